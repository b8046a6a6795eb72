package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.transform.Fp32Promotion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * verify's fp32 reference for fp16 / bf16 models: the promoted model computes the same function without fp16
 * roundings, and an optimized output is accepted when it is within 2× of the original's own distance from it.
 */
class Fp32ReferenceTest {
    private static Tensor f16(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putShort(Float.floatToFloat16(x));
        }
        return Tensor.of("y", ElementType.FLOAT16, new long[] {v.length}, b.array());
    }

    private static Tensor f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Tensor.of("y", ElementType.FLOAT, new long[] {v.length}, b.array());
    }

    @Test
    void theOptimizedOutputPassesWhenItIsNoFurtherFromFp32ThanTheOriginal() {
        // original and optimized 0.5 % apart (over f16's 2e-3), each about 0.25 % from the truth (after f16 rounding), on either side
        Tensor ref = f32(1.0f, -1.0f, 0.5f);
        Tensor orig = f16(1.0025f, -1.0025f, 0.5f);
        Tensor opt = f16(0.9975f, -0.9975f, 0.5f);
        OutputComparison direct = OutputComparison.of("y", orig, opt);
        assertFalse(direct.pass(), direct.toString());
        OutputComparison judged = direct.withReference(orig, opt, ref);
        assertTrue(judged.pass(), judged.toString());
        assertNotNull(judged.reference());
        assertTrue(judged.toString().contains("against the original run in fp32: original 0.00293, optimized 0.00244"),
                judged.toString());
        // an optimized output far from the truth fails, however the direct comparison went
        Tensor bad = f16(1.02f, -1.02f, 0.5f);
        OutputComparison worse = OutputComparison.of("y", orig, bad).withReference(orig, bad, ref);
        assertFalse(worse.pass(), worse.toString());
        assertFalse(worse.reference().pass());
    }

    @Test
    void thePromotedModelComputesTheSameFunctionInFp32() throws Exception {
        Model f16 = OnnxImporter.read(TestModels.modelsDir().resolve("qwen3_dynamo_op18_f16.onnx"));
        // exported as Verification does, and read back: the wire form is what ONNX Runtime runs
        byte[] promoted = OnnxExporter.toBytes(Fp32Promotion.promote(f16));
        Model f32 = OnnxImporter.read(ByteBuffer.wrap(promoted), "promoted", TestModels.modelsDir());
        f32.graph().values().forEach(v -> {
            if (v.type() instanceof ValueType.TensorType t) {
                assertFalse(t.elementType() == ElementType.FLOAT16 || t.elementType() == ElementType.BFLOAT16, v.name());
            }
        });
        Tensor ids = Npy.read(TestModels.modelsDir().resolve("qwen3_dynamo_op18_f16.in.input_ids.npy"), "input_ids");
        Tensor want = Npy.read(TestModels.modelsDir().resolve("qwen3_dynamo_op18_f16.out.logits.npy"), "logits");
        try (GraphfuseSession s = GraphfuseSession.open(promoted, SessionOptionsSpec.of(ExecutionProvider.CPU).withOpLibrary(false))) {
            Tensor got = s.run(Map.of("input_ids", ids)).get("logits");
            assertEquals(ElementType.FLOAT, got.elementType());
            double scale = 0;
            double diff = 0;
            for (long i = 0; i < want.elementCount(); i++) {
                scale = Math.max(scale, Math.abs(want.getDouble(i)));
                diff = Math.max(diff, Math.abs(want.getDouble(i) - got.getDouble(i)));
            }
            // the exporter's fp16 run against the same function in fp32: a few f16 roundings apart, no more
            assertTrue(diff / scale < 5e-3, "relative " + diff / scale);
            assertTrue(diff > 0, "fp32 must differ from fp16 somewhere");
        }
    }
}
