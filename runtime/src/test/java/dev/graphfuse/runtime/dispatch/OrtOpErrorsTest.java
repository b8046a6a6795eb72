package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.text.GraphTextReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input to a graphfuse op inside ONNX Runtime is an ORT error that names the op, the node, the
 * provider and the problem — never a crash or a read out of bounds. What the node itself gets wrong
 * (attributes, element types) fails the session when it is created; what only the inputs show (shapes)
 * fails the run.
 */
class OrtOpErrorsTest {
    private static final String HEADER = "model {\n  ir_version: 10\n  opset \"\": 18\n  opset \"graphfuse\": 1\n}\n";

    /**
     * A one-node QkNormRope graph: q [T, 2·4], k [T, 1·4] (outputs [T, heads, 4] of q's type), cos / sin
     * [T, 1, 2] (half width, broadcast over heads), head_dim 4.
     */
    private static String qkNormRope(String qType, String kType, String attrs) {
        String out = qType.substring(0, qType.indexOf('['));
        return HEADER + "graph g (q: " + qType + ", k: " + kType + ", cos: f32[?,1,2], sin: f32[?,1,2]) -> "
                + "(qo: " + out + "[?,2,4], ko: " + out + "[?,1,4]) {\n"
                + "  init qw: f32[4] = [1.0, 1.1, 0.9, 1.0]\n"
                + "  init kw: f32[4] = [1.0, 0.8, 1.2, 1.0]\n"
                + "  [bad_node] qo: " + out + "[?,2,4], ko: " + out + "[?,1,4] = graphfuse::QkNormRope(q, k, qw, kw, cos, sin) {"
                + attrs + "}\n"
                + "}\n";
    }

    private static final String GOOD_ATTRS = "epsilon: float = 1e-6, num_q_heads: int = 2, num_kv_heads: int = 1, "
            + "head_dim: int = 4, rotary_dim: int = 4";

    private static OrtException sessionError(String text) {
        Model m = GraphTextReader.parse(text, "bad.gft", null);
        return assertThrows(OrtException.class,
                () -> ModelSource.of(m).open(SessionOptionsSpec.of(ExecutionProvider.CPU)).close());
    }

    private static void assertNames(OrtException e, String problem) {
        assertTrue(e.getMessage().contains("graphfuse.QkNormRope node 'bad_node' on CPUExecutionProvider: " + problem),
                e.getMessage());
    }

    private static Tensor floats(String name, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        ByteBuffer b = ByteBuffer.allocate((int) (4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(0.25f * (i % 7) - 0.5f);
        }
        return Tensor.of(name, ElementType.FLOAT, shape, b.array());
    }

    @Test
    void theWellFormedNodeRuns() throws Exception {
        Model m = GraphTextReader.parse(qkNormRope("f32[?,8]", "f32[?,4]", GOOD_ATTRS), "ok.gft", null);
        try (GraphfuseSession s = ModelSource.of(m).open(SessionOptionsSpec.of(ExecutionProvider.CPU))) {
            Map<String, Tensor> out = s.run(Map.of("q", floats("q", 3, 8), "k", floats("k", 3, 4), "cos", floats("cos", 3, 1, 2),
                    "sin", floats("sin", 3, 1, 2)));
            assertEquals(3, out.get("qo").dims()[0]);
            assertEquals(2, out.get("qo").dims()[1]);
        }
    }

    @Test
    void aMissingRequiredAttributeFailsTheSession() {
        assertNames(sessionError(qkNormRope("f32[?,8]", "f32[?,4]", "num_q_heads: int = 2, num_kv_heads: int = 1, "
                + "head_dim: int = 4, rotary_dim: int = 4")), "attribute epsilon (a float) is missing or not a float");
    }

    @Test
    void anAttributeOutOfRangeFailsTheSession() {
        assertNames(sessionError(qkNormRope("f32[?,8]", "f32[?,4]", GOOD_ATTRS.replace("rotary_dim: int = 4",
                "rotary_dim: int = 3"))), "attribute rotary_dim = 3 is not a positive even number");
        assertNames(sessionError(qkNormRope("f32[?,8]", "f32[?,4]", GOOD_ATTRS + ", cos_layout: string = \"sideways\"")),
                "attribute cos_layout = 'sideways' is not 'broadcast' or 'onnx'");
    }

    @Test
    void anUnsupportedElementTypeFailsTheSession() {
        assertNames(sessionError(qkNormRope("f64[?,8]", "f64[?,4]", GOOD_ATTRS)), "input q is f64, expected f32, f16 or bf16");
        assertNames(sessionError(qkNormRope("f32[?,8]", "f16[?,4]", GOOD_ATTRS)), "input k is f16, expected the type of q (f32)");
    }

    @Test
    void mismatchedShapesFailTheRunNotTheProcess() throws Exception {
        Model m = GraphTextReader.parse(qkNormRope("f32[?,?]", "f32[?,?]", GOOD_ATTRS), "shapes.gft", null);
        try (GraphfuseSession s = ModelSource.of(m).open(SessionOptionsSpec.of(ExecutionProvider.CPU))) {
            OrtException wrongWidth = assertThrows(OrtException.class, () -> s.run(Map.of("q", floats("q", 3, 7),
                    "k", floats("k", 3, 4), "cos", floats("cos", 3, 1, 2), "sin", floats("sin", 3, 1, 2))));
            assertNames(wrongWidth, "q f32[3,7] is not [..., 2 x 4]");
            OrtException fewerTokens = assertThrows(OrtException.class, () -> s.run(Map.of("q", floats("q", 3, 8),
                    "k", floats("k", 2, 4), "cos", floats("cos", 3, 1, 2), "sin", floats("sin", 3, 1, 2))));
            assertNames(fewerTokens, "q f32[3,8] and k f32[2,4] have different token axes");
            OrtException shortTable = assertThrows(OrtException.class, () -> s.run(Map.of("q", floats("q", 3, 8),
                    "k", floats("k", 3, 4), "cos", floats("cos", 2, 1, 2), "sin", floats("sin", 2, 1, 2))));
            assertNames(shortTable, "cos f32[2,1,2] does not broadcast against [3,2,4]");
            // the session is still usable after refused runs
            assertEquals(3, s.run(Map.of("q", floats("q", 3, 8), "k", floats("k", 3, 4), "cos", floats("cos", 3, 1, 2),
                    "sin", floats("sin", 3, 1, 2))).get("ko").dims()[0]);
        }
    }

    @Test
    void badMropePositionsFailTheRun() throws Exception {
        String text = HEADER + "graph g (x: f32[?,?,2,4], positions: i64[?,?,?]) -> (y: f32[?,?,2,4]) {\n"
                + "  init inv_freq: f32[2] = [1.0, 0.01]\n"
                + "  [mrope_node] y: f32[?,?,2,4] = graphfuse::MRope(x, positions, inv_freq) {mrope_section: ints = [1, 1, 0], "
                + "rotary_dim: int = 4}\n}\n";
        Model m = GraphTextReader.parse(text, "mrope.gft", null);
        try (GraphfuseSession s = ModelSource.of(m).open(SessionOptionsSpec.of(ExecutionProvider.CPU))) {
            ByteBuffer b = ByteBuffer.allocate(8 * 2 * 1 * 3).order(ByteOrder.LITTLE_ENDIAN);
            Tensor twoRows = Tensor.of("positions", ElementType.INT64, new long[] {2, 1, 3}, b.array());
            OrtException e = assertThrows(OrtException.class, () -> s.run(Map.of("x", floats("x", 1, 3, 2, 4),
                    "positions", twoRows)));
            assertTrue(e.getMessage().contains("graphfuse.MRope node 'mrope_node' on CPUExecutionProvider: positions "
                    + "i64[2,1,3] are not [3, ...]"), e.getMessage());
        }
    }
}
