package dev.graphfuse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.text.GraphTextReader;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomPassExampleTest {
    private static final Path ROOT = Path.of(System.getProperty("graphfuse.repoRoot", ".."));
    private static final Path MODEL = ROOT.resolve("testdata/models/qwen3_dynamo_op18_f32.onnx");

    @Test
    void exampleFusesTheMlpSiluAndTheResultRunsInOrt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("qwen3_silu.onnx");
        CustomPassExample.Result r = CustomPassExample.run(MODEL, out);

        // Two decoder layers, one SiLU (Mul(x, Sigmoid(x))) in each MLP.
        Model original = ModelFiles.read(MODEL);
        assertEquals(2, count(original, "", "Sigmoid"));
        Model written = ModelFiles.read(out);
        assertEquals(List.of(), GraphVerifier.problems(written));
        assertEquals(2, count(written, "example", "Silu"));
        assertEquals(0, count(written, "", "Sigmoid"));
        assertEquals(1L, written.opsetImports().get("example"));
        assertTrue(written.functions().stream().anyMatch(f -> f.domain().equals("example") && f.name().equals("Silu")),
                "example.Silu carries a function body");
        // The built-in stages around the custom passes ran too: raise left no decomposed RMSNorm.
        assertTrue(stats(r, "raise", "RaiseRmsNorm").rewritten() > 0);
        assertEquals(0, count(written, "", "Pow"));
        assertTrue(r.stats().stream().anyMatch(s -> s.pass().equals("fuse")), "fuse ran");
        assertEquals(r.nodesAfter(), written.graph().nodeCount());

        RuleStats silu = stats(r, CustomPassExample.SILU_PASS, "FuseSilu");
        assertEquals(2, silu.rewritten());
        // The Java pass ran over every Mul left after raise and silu; this export has no Mul by one.
        RuleStats mulByOne = stats(r, CustomPassExample.RemoveMulByOne.NAME, CustomPassExample.RemoveMulByOne.RULE);
        assertTrue(mulByOne.candidates() > 0, mulByOne.toString());
        assertEquals(0, mulByOne.rewritten());
        assertEquals(Map.of("no-constant-one", mulByOne.candidates()), mulByOne.rejected());

        // Same outputs as the original in stock ONNX Runtime: the reference ids and random ones.
        Tensor ids = Npy.read(ROOT.resolve("testdata/models/qwen3_dynamo_op18_f32.in.input_ids.npy"), "input_ids");
        long[] refIds = new long[(int) ids.elementCount()];
        for (int i = 0; i < refIds.length; i++) {
            refIds[i] = (long) ids.getDouble(i);
        }
        long[] randomIds = new Random(3).longs(refIds.length, 0, 256).toArray();
        for (long[] in : List.of(refIds, randomIds)) {
            float[] a = runLogits(MODEL, in, ids.dims());
            float[] b = runLogits(out, in, ids.dims());
            assertEquals(a.length, b.length);
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertTrue(worst <= 1e-5, "max abs diff " + worst);
        }
    }

    @Test
    void javaPassRemovesMulByOneAndCountsRejections() {
        Model m = GraphTextReader.parse("""
                model {
                  opset "": 18
                }
                graph g (x: f32[2,4]) -> (y: f32[1,2,4], z: f32[2,4]) {
                  init one: f32[] = [1.0]
                  init one_3d: f32[1,1,1] = [1.0]
                  init two: f32[] = [2.0]
                  [a] a: f32[2,4] = Mul(x, one)
                  [b] b: f32[2,4] = Mul(two, a)
                  [c] y = Mul(b, one_3d)
                  [d] z = Mul(one, b)
                }
                """, "inline.gft", null);
        PassContext ctx = PassContext.quiet();
        new PassManager().run(m, Pipeline.of("p", new CustomPassExample.RemoveMulByOne()), ctx);
        assertEquals(List.of(), GraphVerifier.problems(m));
        RuleStats s = ctx.allStats().get(0);
        assertEquals(4, s.candidates());
        assertEquals(1, s.rewritten());
        assertEquals(Map.of("no-constant-one", 1L, "may-broadcast", 1L, "graph-output", 1L), s.rejected());
        Node b = m.graph().nodes().stream().filter(n -> n.name().equals("b")).findFirst().orElseThrow();
        assertEquals("x", b.input(1).name());
        assertNull(m.graph().value("a"));
    }

    private static RuleStats stats(CustomPassExample.Result r, String pass, String rule) {
        return r.stats().stream().filter(s -> s.pass().equals(pass) && s.rule().equals(rule)).findFirst()
                .orElseThrow(() -> new AssertionError("no statistics for " + pass + "/" + rule));
    }

    private static long count(Model m, String domain, String op) {
        return m.graph().nodes().stream().filter(n -> n.domain().equals(domain) && n.opType().equals(op)).count();
    }

    private static float[] runLogits(Path model, long[] ids, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            // ORT's warnings (unused initializers, CastLike not folded) would bury the build's own output
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), opts);
                 OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                 OrtSession.Result r = session.run(Map.of("input_ids", in))) {
                FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[fb.remaining()];
                fb.get(out);
                return out;
            }
        }
    }
}
