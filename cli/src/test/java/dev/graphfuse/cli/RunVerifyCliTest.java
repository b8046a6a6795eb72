package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graphfuse run} / {@code verify} on a bundled export: outputs match the exporter's reference
 * output, verify passes on the optimized model and fails (exit 4) on a different one, and bad input
 * gives one error line, exit 2 and no output files; --no-fallback turns the CPU fallback into exit 3.
 */
class RunVerifyCliTest {
    @TempDir
    static Path tmp;
    static Path models = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");
    static Path optimized;

    @BeforeAll
    static void optimize() {
        optimized = tmp.resolve("qwen3.opt.onnx");
        assertEquals(0, CliTest.run("optimize", models.resolve("qwen3_dynamo_op18_f32.onnx").toString(), "-o",
                optimized.toString()).code());
    }

    @Test
    void runWritesTheOutputsTheExporterRecorded() {
        Path out = tmp.resolve("run-out");
        CliTest.Run r = CliTest.run("run", optimized.toString(), "--device", "cpu", "--input",
                "input_ids=" + models.resolve("qwen3_dynamo_op18_f32.in.input_ids.npy"), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        // one session; ORT's profile shows every graphfuse node run by graphfuse's kernel on the CPU provider
        assertTrue(r.out().contains(": one ONNX Runtime session on CPUExecutionProvider; 7 graphfuse nodes: "
                + "QkNormRope on CPUExecutionProvider ×2, RmsNorm on CPUExecutionProvider ×5;"), r.out());
        assertEquals("", r.err());
        Tensor got = Npy.read(out.resolve("logits.npy"), "logits");
        Tensor want = Npy.read(models.resolve("qwen3_dynamo_op18_f32.out.logits.npy"), "logits");
        assertArrayEquals(want.dims(), got.dims());
        for (long i = 0; i < want.elementCount(); i++) {
            assertEquals(want.getDouble(i), got.getDouble(i), 1e-4, "logits[" + i + "]");
        }
    }

    @Test
    void runWritesAJsonReport() throws Exception {
        Path out = tmp.resolve("run-json-out");
        Path json = tmp.resolve("run.json");
        CliTest.Run r = CliTest.run("run", optimized.toString(), "--device", "cpu", "--random", "--seed", "5",
                "-o", out.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals("CPUExecutionProvider", j.path("provider").asText());
        assertEquals(7, j.path("graphfuse_nodes").asInt());
        assertEquals(0, j.path("misplaced").asInt());
        assertEquals(5, j.path("seed").asLong());
        JsonNode logits = j.path("outputs").get(0);
        assertEquals("logits", logits.path("name").asText());
        assertEquals("f32", logits.path("type").asText());
        assertEquals(out.resolve("logits.npy").toString(), logits.path("file").asText());
        assertTrue(Files.isRegularFile(Path.of(logits.path("file").asText())));
    }

    @Test
    void verifyPassesOnTheOptimizedModel() {
        CliTest.Run r = CliTest.run("verify", models.resolve("qwen3_dynamo_op18_f32.onnx").toString(),
                optimized.toString(), "--device", "cpu");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("both on CPUExecutionProvider; 7 graphfuse nodes: QkNormRope on CPUExecutionProvider ×2, "
                + "RmsNorm on CPUExecutionProvider ×5"), r.out());
        assertTrue(r.out().strip().endsWith("PASS"), r.out());
    }

    @Test
    void verifyFailsWhenOutputsDiffer() {
        // same input names and shapes, different weights: every logit differs
        CliTest.Run r = CliTest.run("verify", models.resolve("llama_dynamo_op18_f32.onnx").toString(),
                optimized.toString(), "--device", "cpu", "--seed", "1");
        assertEquals(VerifyCommand.EXIT_MISMATCH, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FAIL"), r.out());
    }

    @Test
    void verifyJudgesByAllCloseWithAtolAndRtol() throws Exception {
        String orig = models.resolve("qwen3_dynamo_op18_f32.onnx").toString();
        Path json = tmp.resolve("allclose.json");
        CliTest.Run loose = CliTest.run("verify", orig, optimized.toString(), "--device", "cpu", "--seed", "3",
                "--atol", "1e-4", "--rtol", "1e-4", "--json", json.toString());
        assertEquals(0, loose.code(), loose.out() + loose.err());
        assertTrue(loose.out().contains("(allclose atol 1e-04 rtol 1e-04: 0 elements outside): ok"), loose.out());
        JsonNode out = new ObjectMapper().readTree(json.toFile()).path("outputs").get(0);
        assertEquals(1e-4, out.path("atol").asDouble());
        assertEquals(0, out.path("outside").asLong());
        // the kernels round differently from the unfused graph: not every logit is bit-equal
        CliTest.Run exact = CliTest.run("verify", orig, optimized.toString(), "--device", "cpu", "--seed", "3",
                "--atol", "0");
        assertEquals(VerifyCommand.EXIT_MISMATCH, exact.code(), exact.out() + exact.err());
        assertTrue(exact.out().matches("(?s).*allclose atol 0e\\+00 rtol 0e\\+00: [1-9][0-9]* elements? outside\\): FAIL.*"),
                exact.out());
        CliTest.Run both = CliTest.run("verify", orig, optimized.toString(), "--device", "cpu", "--atol", "1e-3",
                "--tolerance", "1e-2");
        assertEquals(2, both.code());
        assertEquals("--tolerance: error: give either --tolerance (one scaled number) or --atol / --rtol (allclose), not both",
                both.err().strip());
        CliTest.Run negative = CliTest.run("verify", orig, optimized.toString(), "--device", "cpu", "--rtol", "-1");
        assertEquals(2, negative.code());
        assertEquals("--rtol: error: expected a number in [0, 1), got -1.0", negative.err().strip());
    }

    @Test
    void badInputsAreOneErrorAndNoOutput() throws Exception {
        Path out = tmp.resolve("bad-out");
        CliTest.Run unknown = CliTest.run("run", optimized.toString(), "--device", "cpu", "--input",
                "ids=x.npy", "-o", out.toString());
        assertEquals(2, unknown.code());
        assertEquals("--input: error: the model has no input 'ids' (inputs: [input_ids])", unknown.err().strip());
        CliTest.Run missing = CliTest.run("run", optimized.toString(), "--device", "cpu", "-o",
                out.toString());
        assertEquals(2, missing.code());
        assertEquals("inputs: error: graph input 'input_ids' was not given", missing.err().strip());
        Path floats = tmp.resolve("floats.npy");
        Npy.write(Tensor.of("x", dev.graphfuse.ir.ElementType.FLOAT, new long[] {1, 16}, new byte[64]), floats);
        CliTest.Run wrongType = CliTest.run("run", optimized.toString(), "--device", "cpu", "--input",
                "input_ids=" + floats, "-o", out.toString());
        assertEquals(2, wrongType.code());
        assertEquals(floats + ": error: input 'input_ids' is i64, the file holds f32", wrongType.err().strip());
        assertFalse(Files.exists(out), "no output for a failed run");
        CliTest.Run device = CliTest.run("run", optimized.toString(), "--device", "gpu", "--random",
                "-o", out.toString());
        assertEquals(2, device.code(), device.err());
        assertTrue(device.err().contains("expected auto, cuda or cpu, got 'gpu'"), device.err());
        assertFalse(device.err().contains("internal error"), device.err());
        assertFalse(Files.exists(out), "no output for a failed run");
    }

    @Test
    void noFallbackMakesTheCpuFallbackAnError() {
        CliTest.Run probe = CliTest.run("verify", models.resolve("qwen3_dynamo_op18_f32.onnx").toString(),
                optimized.toString());
        if (probe.out().contains("on CUDAExecutionProvider")) {
            return; // a GPU machine with ORT's CUDA provider: nothing falls back
        }
        assertTrue(probe.err().contains("graphfuse: --device auto: falling back to ONNX Runtime's CPU execution provider: "),
                probe.err());
        CliTest.Run r = CliTest.run("verify", models.resolve("qwen3_dynamo_op18_f32.onnx").toString(),
                optimized.toString(), "--no-fallback");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().strip().endsWith("(--no-fallback)"), r.err());
    }

    @Test
    void ropeIndexFeedsTheMultimodalPositionIds() {
        // the request describes the exporter's reference sequence: 3 text tokens, a 6 x 6 image (9 tokens after
        // the 2 x 2 merge), 4 text tokens; get_rope_index gives the T != H != W ids the exporter recorded
        Path opt = tmp.resolve("qwen3vl.opt.onnx");
        assertEquals(0, CliTest.run("optimize", models.resolve("qwen3vl_text_dynamo_op18_f32.onnx").toString(),
                "-o", opt.toString()).code());
        Path request = models.resolveSibling("rope_index").resolve("qwen3vl_text_model.request.json");
        Path out = tmp.resolve("vl-out");
        CliTest.Run r = CliTest.run("run", opt.toString(), "--device", "cpu", "--input",
                "input_ids=" + models.resolve("qwen3vl_text_dynamo_op18_f32.in.input_ids.npy"), "--rope-index",
                request.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        Tensor got = Npy.read(out.resolve("last_hidden_state.npy"), "h");
        Tensor want = Npy.read(models.resolve("qwen3vl_text_dynamo_op18_f32.out.last_hidden_state.npy"), "h");
        assertArrayEquals(want.dims(), got.dims());
        for (long i = 0; i < want.elementCount(); i++) {
            assertEquals(want.getDouble(i), got.getDouble(i), 1e-4, "last_hidden_state[" + i + "]");
        }
    }

    @Test
    void ropeIndexErrorsNameTheRequest() throws Exception {
        Path opt = tmp.resolve("qwen3vl-bad.opt.onnx");
        CliTest.run("optimize", models.resolve("qwen3vl_text_dynamo_op18_f32.onnx").toString(), "-o", opt.toString());
        Path longer = tmp.resolve("twenty.json");
        Files.writeString(longer, "{\"mm_token_type_ids\": [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]}");
        CliTest.Run r = CliTest.run("run", opt.toString(), "--device", "cpu", "--input",
                "input_ids=" + models.resolve("qwen3vl_text_dynamo_op18_f32.in.input_ids.npy"), "--rope-index", longer.toString());
        assertEquals(2, r.code());
        assertEquals(longer + ": error: the request gives position ids (3, 1, 20), input 'position_ids' is [3,1,16]",
                r.err().strip());
        CliTest.Run noInput = CliTest.run("run", optimized.toString(), "--device", "cpu",
                "--rope-index", longer.toString());
        assertEquals(2, noInput.code());
        assertEquals("--rope-index-input: error: the model has no input 'position_ids'", noInput.err().strip());
    }
}
