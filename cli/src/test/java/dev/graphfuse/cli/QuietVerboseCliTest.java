package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --quiet / --verbose, given before or after the command. */
class QuietVerboseCliTest {
    @TempDir
    Path tmp;

    private final String model = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx").toString();

    @Test
    void quietLeavesOnlyTheFilesTheExitCodeAndTheJsonAskedFor() throws Exception {
        Path out = tmp.resolve("q.opt.onnx");
        CliTest.Run loud = CliTest.run("optimize", model, "-o", out.toString());
        assertTrue(loud.out().contains("wrote " + out), loud.out());
        for (String[] args : new String[][] {{"optimize", model, "-o", out.toString(), "--quiet"},
                {"-q", "optimize", model, "-o", out.toString()},
                {"verify", "-q", model, out.toString(), "--device", "cpu"},
                {"run", out.toString(), "--device", "cpu", "--random", "-o", tmp.resolve("o").toString(), "--quiet"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err());
            assertEquals("", r.out(), String.join(" ", args));
        }
        assertTrue(Files.isRegularFile(tmp.resolve("o").resolve("logits.npy")));
        CliTest.Run json = CliTest.run("optimize", model, "-o", out.toString(), "--json", "--quiet");
        assertTrue(json.out().startsWith("{"), "the JSON asked for on standard output stays: " + json.out());
        // quiet changes no verdict: a mismatch is still exit 4, with nothing printed
        CliTest.Run mismatch = CliTest.run("verify", "-q", TestModels.modelsDir().resolve("llama_dynamo_op18_f32.onnx").toString(),
                out.toString(), "--device", "cpu", "--seed", "1");
        assertEquals(VerifyCommand.EXIT_MISMATCH, mismatch.code(), mismatch.err());
        assertEquals("", mismatch.out());
    }

    @Test
    void quietDoesNotHideAProduct() {
        CliTest.Run r = CliTest.run("inspect", model, "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ir_version:"), r.out());
    }

    @Test
    void verboseIsAcceptedAnywhere() {
        for (String[] args : new String[][] {{"-v", "inspect", model}, {"inspect", model, "--verbose"}}) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(0, r.code(), r.err());
        }
    }
}
