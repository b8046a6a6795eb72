package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graphfuse bench}: one row per token count with both sides' median / p90 and their ratio, the JSON
 * rows, the profile table; symbolic dims from --tokens / --dim; bad options are one error line; and
 * {@code verify --dim / --tolerance}, {@code run --dim}, {@code --device cuda} without ORT's CUDA provider.
 */
class BenchCliTest {
    @TempDir
    static Path tmp;
    static Path models = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");
    static Path original = models.resolve("qwen3_dynamo_op18_f32_dynseq.onnx");
    static Path optimized;

    @BeforeAll
    static void optimize() {
        optimized = tmp.resolve("dyn.opt.onnx");
        assertEquals(0, CliTest.run("optimize", original.toString(), "-o", optimized.toString()).code());
    }

    @Test
    void benchTimesEveryTokenCountAndWritesJson() throws Exception {
        Path json = tmp.resolve("rows.json");
        CliTest.Run r = CliTest.run("bench", original.toString(), optimized.toString(), "--tokens", "4,9", "--device", "cpu",
                "--warmup", "1", "--iterations", "3", "--profile", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("on CPUExecutionProvider, 1 warm-up + 3 timed runs each, alternating"), r.out());
        assertTrue(r.out().matches("(?s).*\\{seq=4\\}\\s+\\d+ / \\d+\\s+\\d+ / \\d+\\s+\\d+\\.\\d\\d×.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\{seq=9\\}\\s+\\d+ / \\d+\\s+\\d+ / \\d+\\s+\\d+\\.\\d\\d×.*"), r.out());
        // the profile: the unfused prologue's ops on the original side, graphfuse's ops on the optimized side
        assertTrue(r.out().matches("(?s).*\\n\\s+QkNormRope\\s+0\\s+[1-9]\\d*\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n\\s+ReduceMean\\s+[1-9]\\d*\\s+0\\n.*"), r.out());
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, rows.size());
        assertEquals(9, rows.get(1).path("dims").path("seq").asInt());
        assertEquals(3, rows.get(1).path("runs").asInt());
        assertTrue(rows.get(0).path("original_median_us").asDouble() > 0);
        assertEquals(rows.get(0).path("original_median_us").asDouble() / rows.get(0).path("optimized_median_us").asDouble(),
                rows.get(0).path("speedup").asDouble(), 1e-9);
    }

    @Test
    void badBenchOptionsAreOneErrorLine() {
        CliTest.Run graph = CliTest.run("bench", original.toString(), optimized.toString(), "--tokens", "4", "--device", "cpu",
                "--cuda-graph");
        assertEquals(2, graph.code());
        assertEquals("--cuda-graph: error: needs the CUDA execution provider, this run is on CPUExecutionProvider",
                graph.err().strip());
        CliTest.Run dim = CliTest.run("bench", original.toString(), optimized.toString(), "--dim", "seq=zero", "--device", "cpu");
        assertEquals(2, dim.code());
        assertEquals("--dim: error: expected NAME=N with N a positive integer, got 'seq=zero'", dim.err().strip());
        CliTest.Run missing = CliTest.run("bench", original.toString(), optimized.toString(), "--device", "cpu");
        assertEquals(2, missing.code());
        assertTrue(missing.err().strip().startsWith("--random: error: input 'input_ids' has symbolic dim seq; give it with "
                + "--input NAME=FILE.npy"), missing.err());
    }

    @Test
    void verifyAndRunTakeSymbolicDimsAndATolerance() throws Exception {
        Path json = tmp.resolve("verify.json");
        CliTest.Run v = CliTest.run("verify", original.toString(), optimized.toString(), "--dim", "seq=7", "--seed", "3",
                "--tolerance", "1e-4", "--device", "cpu", "--json", json.toString());
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("logits f32[1, 7, 256]") && v.out().contains("(tolerance abs 1e-04): ok"), v.out());
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertTrue(report.path("pass").asBoolean());
        assertEquals("CPUExecutionProvider", report.path("provider").asText());
        assertEquals(7, report.path("graphfuse_nodes").asInt());
        assertEquals("logits", report.path("outputs").get(0).path("name").asText());
        assertEquals(7, report.path("outputs").get(0).path("shape").get(1).asInt());
        assertEquals(1e-4, report.path("outputs").get(0).path("tolerance").asDouble());
        CliTest.Run bad = CliTest.run("verify", original.toString(), optimized.toString(), "--dim", "seq=7", "--tolerance", "2",
                "--device", "cpu");
        assertEquals(2, bad.code());
        assertEquals("--tolerance: error: expected a number in (0, 1), got 2.0", bad.err().strip());
        CliTest.Run run = CliTest.run("run", optimized.toString(), "--random", "--dim", "seq=5", "--seed", "1", "--device", "cpu");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("logits: f32[1, 5, 256]"), run.out());
    }

    @Test
    void deviceCudaWithoutOrtsCudaProviderSaysWhatIsMissing() throws Exception {
        Path out = tmp.resolve("cuda-out");
        CliTest.Run r = CliTest.run("run", optimized.toString(), "--random", "--dim", "seq=5", "--device", "cuda", "-o",
                out.toString());
        if (r.code() == 0) {
            return; // a machine with ORT's CUDA provider and a GPU: nothing is missing
        }
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().strip().startsWith("graphfuse: error: --device cuda: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "no output for a failed run");
    }
}
