package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code optimize}, {@code explain} and {@code patterns} as a user runs them. */
class OptimizeCliTest {
    @TempDir
    Path tmp;

    private static final Path VLLM = TestModels.modelsDir().resolve("vllm_attn_dynamo_op18_f32.onnx");

    @Test
    void optimizeWritesTheFusedModelAndReportsCounts() throws Exception {
        Path out = tmp.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", VLLM.toString(), "-o", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(2, j.path("fused").path("RaiseRmsNorm").asInt());
        assertEquals(1, j.path("fused").path("QkNormSplit").asInt());
        assertEquals(1, j.path("fused").path("QkNormRope").asInt());
        // QkNormRope absorbed the QkNorm the same pass made: one fused node per attention layer.
        long qkNormRope = OnnxImporter.read(out).graph().nodes().stream().filter(n -> n.opType().equals("QkNormRope")).count();
        long qkNorm = OnnxImporter.read(out).graph().nodes().stream().filter(n -> n.opType().equals("QkNorm")).count();
        assertEquals(1, qkNormRope);
        assertEquals(0, qkNorm);
        assertEquals(j.path("nodes_after").asInt(), OnnxImporter.read(out).graph().nodeCount());
    }

    @Test
    void statsListEveryPatternWithItsRejections() {
        Path out = tmp.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", VLLM.toString(), "-o", out.toString(), "--stats",
                "--passes", "raise,fuse");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("raise:\n  RaiseRmsNorm: candidates="), r.out());
        assertTrue(r.out().contains("fuse:\n  QkNormSplit: candidates=1 matched=1 rewritten=1"), r.out());
    }

    @Test
    void aPatternThatNearlyFiredIsRemarkedWithItsReason() throws Exception {
        // Q and K normalized with different eps: the QK structure is there, the fusion is refused.
        String golden = Files.readString(TestModels.repoRoot().resolve("testdata/golden/fuse/no_fire_different_eps.test"));
        Path model = tmp.resolve("different_eps.gft");
        Files.writeString(model, golden.substring(golden.indexOf("--- input\n") + 10, golden.indexOf("--- expected")));
        CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", tmp.resolve("o.gft").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("remark: fuse/QkNormSplit did not fire on any of 2 candidates (most often: "), r.err());
        assertTrue(r.err().contains("graphfuse explain --pattern QkNormSplit"), r.err());
    }

    @Test
    void patternsForArchitecturesTheModelLacksAreNotRemarked() {
        // Qwen3 has no gated or Gemma norm: those patterns fail on op kinds alone, which is not news. The
        // vLLM module's QkNormRope has no head transpose, an attribute the MRoPE patterns need: not news either.
        for (String name : new String[] {"qwen3_dynamo_op18_f32.onnx", "vllm_attn_dynamo_op18_f32.onnx"}) {
            Path model = TestModels.modelsDir().resolve(name);
            CliTest.Run r = CliTest.run("optimize", model.toString(), "-o", tmp.resolve("o.onnx").toString());
            assertEquals(0, r.code(), r.err());
            assertFalse(r.err().contains("remark:"), name + ": " + r.err());
        }
    }

    @Test
    void explainNamesTheFirstReasonPerCandidate() {
        Path model = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx");
        CliTest.Run r = CliTest.run("explain", model.toString(), "--pattern", "QkNormSplit");
        assertEquals(0, r.code(), r.err());
        // The sibling patterns of its stage run first, as in the pipeline: QkNormHeads takes the HF
        // layout's q/k norms, and the remaining norms (input, post-attention, final) have no head view.
        assertTrue(r.out().startsWith("pattern QkNormSplit (dev/graphfuse/patterns/fuse/qk_norm.fuse:"), r.out());
        assertTrue(r.out().contains("after canonicalize,raise,fuse without QkNormSplit: 5 candidates, 0 matched"), r.out());
        assertTrue(r.out().contains(": expected Reshape, found Gather"), r.out());
        assertFalse(r.out().contains(": matched"), r.out());
    }

    @Test
    void explainSaysWhenThereIsNoCandidate() throws Exception {
        Path text = tmp.resolve("g.gft");
        Files.writeString(text, "graph g (x: f32[2]) -> (y: f32[2]) {\n  y = Relu(x)\n}\n");
        CliTest.Run r = CliTest.run("explain", text.toString(), "--pattern", "RaiseRmsNorm");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0 candidates, 0 matched"), r.out());
        assertTrue(r.out().contains("no node has the op kind of the pattern's root (Cast or CastLike or Mul)"), r.out());
    }

    @Test
    void explainOfAnUnknownPatternIsAUsageError() {
        CliTest.Run r = CliTest.run("explain", VLLM.toString(), "--pattern", "NoSuchPattern");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown pattern 'NoSuchPattern'"), r.err());
    }

    @Test
    void userPatternFilesRunAsTheirOwnPass() throws Exception {
        Path fuse = tmp.resolve("relu.fuse");
        Files.writeString(fuse, """
                op my.DoubleRelu(X);
                pattern DoubleRelu {
                    let y = Relu(Relu(x));
                    replace y with my.DoubleRelu(x);
                }
                """);
        Path text = tmp.resolve("g.gft");
        Files.writeString(text, "graph g (x: f32[2]) -> (y: f32[2]) {\n  a = Relu(x)\n  y = Relu(a)\n}\n");
        Path out = tmp.resolve("out.gft");
        CliTest.Run r = CliTest.run("optimize", text.toString(), "-o", out.toString(), "--patterns", fuse.toString(),
                "--stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("patterns:\n  DoubleRelu: candidates=2 matched=1 rewritten=1"), r.out());
        assertTrue(Files.readString(out).contains("y = my::DoubleRelu(x)"), Files.readString(out));
    }

    @Test
    void badPatternFileExitsTwoWithLocatedErrorsAndWritesNothing() throws Exception {
        Path fuse = tmp.resolve("bad.fuse");
        Files.writeString(fuse, "pattern P {\n    let y = Frobnicate(x);\n    replace y with Relu(x);\n}\n");
        Path out = tmp.resolve("out.onnx");
        CliTest.Run r = CliTest.run("optimize", VLLM.toString(), "-o", out.toString(), "--patterns", fuse.toString());
        assertEquals(2, r.code());
        assertEquals(fuse + ":2:13: error: unknown op 'Frobnicate'; declare it with 'op Frobnicate(…);' or import "
                + "the file that does\n", r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void patternsCheckReportsOkOrErrors() throws Exception {
        Path good = tmp.resolve("good.fuse");
        Files.writeString(good, "pattern P {\n    let y = Neg(Neg(x));\n    replace y with Identity(x);\n}\n");
        CliTest.Run ok = CliTest.run("patterns", "check", good.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals(good + ": ok, 1 pattern (P benefit 2)\n", ok.out());
        Path bad = tmp.resolve("bad.fuse");
        Files.writeString(bad, "pattern P {\n    let y = Neg(x) {axis = 1};\n    replace y with Identity(x);\n}\n");
        CliTest.Run err = CliTest.run("patterns", "check", bad.toString());
        assertEquals(2, err.code());
        assertTrue(err.err().startsWith(bad + ":2:21: error: unknown attribute 'axis' for Neg\n"), err.err());
        assertTrue(err.err().contains(": note: Neg is declared here"), err.err());
    }

    @Test
    void unknownPassIsAUsageError() {
        CliTest.Run r = CliTest.run("optimize", VLLM.toString(), "-o", tmp.resolve("o.onnx").toString(),
                "--passes", "raise,nope");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown pass 'nope'"), r.err());
    }

    @Test
    void keepDataRefersToTheWeightsWhereTheyAre() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("keep"));
        String name = "qwen3_dynamo_op18_f32.onnx";
        Path in = Files.copy(TestModels.modelsDir().resolve(name), dir.resolve(name));
        Path data = Files.copy(TestModels.modelsDir().resolve(name + ".data"), dir.resolve(name + ".data"));
        Path out = dir.resolve("q.opt.onnx");
        CliTest.Run r = CliTest.run("optimize", in.toString(), "-o", out.toString(), "--keep-data", "--json");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(dir.resolve("q.opt.onnx.data")), "no copy of the weights");
        JsonNode j = new ObjectMapper().readTree(r.out());
        long kept = j.path("kept_data_bytes").asLong();
        assertTrue(kept > 0 && kept <= Files.size(data), "kept " + kept);
        var ext = OnnxImporter.read(out).graph().values().stream()
                .filter(v -> v.initializer() != null && v.initializer().data() instanceof dev.graphfuse.ir.TensorData.External)
                .map(v -> (dev.graphfuse.ir.TensorData.External) v.initializer().data()).toList();
        assertFalse(ext.isEmpty());
        ext.forEach(e -> assertEquals(name + ".data", e.location()));
        CliTest.Run v = CliTest.run("verify", in.toString(), out.toString(), "--device", "cpu", "--seed", "1");
        assertEquals(0, v.code(), v.out() + v.err());
        // written over the input itself: the weights read from IN.data are copied into the new IN.data
        CliTest.Run same = CliTest.run("optimize", in.toString(), "-o", in.toString(), "--keep-data");
        assertEquals(0, same.code(), same.err());
        CliTest.Run v2 = CliTest.run("verify", TestModels.modelsDir().resolve(name).toString(), in.toString(),
                "--device", "cpu", "--seed", "1");
        assertEquals(0, v2.code(), v2.out() + v2.err());
        // another folder: nothing there to refer to, the weights are copied as without the flag
        Path other = Files.createDirectory(tmp.resolve("elsewhere")).resolve("q.onnx");
        CliTest.Run r3 = CliTest.run("optimize", out.toString(), "-o", other.toString(), "--keep-data");
        assertEquals(0, r3.code(), r3.err());
        assertTrue(Files.size(other.resolveSibling("q.onnx.data")) > 0);
    }

    @Test
    void explainPicksAUserPatternByItsPass() throws Exception {
        // a user's pattern may reuse a built-in name; PASS/NAME picks the user's one
        Path mine = Files.writeString(tmp.resolve("mine.fuse"), """
                pattern RaiseRmsNorm {
                    let y = Mul(Mul(x, Reciprocal(Sqrt(Add(ReduceMean(Pow(x, 2.0), ...), eps: Scalar)))), w);
                    replace y with graphfuse.RmsNorm(x, w) {epsilon = eps, axis = -1};
                }
                """);
        String model = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx").toString();
        CliTest.Run user = CliTest.run("explain", model, "--pattern", "patterns/RaiseRmsNorm", "--patterns", mine.toString(),
                "--passes", "canonicalize");
        assertEquals(0, user.code(), user.err());
        assertTrue(user.out().startsWith("pattern patterns/RaiseRmsNorm (" + mine + ":1:9), after canonicalize: "), user.out());
        assertTrue(user.out().contains(" 9 matched"), user.out());
        CliTest.Run builtin = CliTest.run("explain", model, "--pattern", "RaiseRmsNorm", "--patterns", mine.toString());
        assertEquals(0, builtin.code(), builtin.err());
        assertTrue(builtin.out().startsWith("pattern RaiseRmsNorm (dev/graphfuse/patterns/raise/rms_norm.fuse:"), builtin.out());
        CliTest.Run unknown = CliTest.run("explain", model, "--pattern", "nope/RaiseRmsNorm");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("graphfuse: error: unknown pattern 'nope/RaiseRmsNorm'"), unknown.err());
    }
}
