package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI's conventions: a usage error is an error line plus the synopsis; help lists exit codes; --version
 * names what runs. */
class UsageConventionsCliTest {

    @Test
    void aUsageErrorIsOneLineAndTheSynopsis() {
        CliTest.Run r = CliTest.run("optimize");
        assertEquals(2, r.code());
        List<String> lines = r.err().lines().toList();
        assertEquals("graphfuse: error: Missing required parameter: 'IN'", lines.get(0));
        assertTrue(lines.get(1).startsWith("Usage: graphfuse optimize "), r.err());
        assertEquals("Run 'graphfuse optimize --help' for its options and examples.", lines.get(lines.size() - 1));
        assertTrue(lines.size() <= 6, r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownOptionIsNamed() {
        CliTest.Run r = CliTest.run("verify", "a.onnx", "b.onnx", "--tolerence", "1e-2");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("graphfuse: error: Unknown options: '--tolerence', '1e-2'"), r.err());
        assertTrue(r.err().contains("--tolerance"), "a close option is suggested: " + r.err());
    }

    @Test
    void everyHelpListsTheExitCodes() {
        for (String cmd : List.of("optimize", "run", "verify", "bench", "golden", "inspect")) {
            CliTest.Run r = CliTest.run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Exit codes:"), cmd + ": " + r.out());
            assertTrue(r.out().contains("  2   bad input or usage"), cmd + ": " + r.out());
        }
    }

    /** How many ops ops/graphfuse.fuse declares: the op library registers each (OrtOpContractTest). */
    private static long declaredOps() throws IOException {
        String ops = "dev/graphfuse/patterns/ops/graphfuse.fuse";
        try (InputStream in = UsageConventionsCliTest.class.getClassLoader().getResourceAsStream(ops)) {
            assertNotNull(in, ops);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("op graphfuse.")).count();
        }
    }

    @Test
    void versionNamesTheRuntimeAndTheLibraries() throws IOException {
        CliTest.Run r = CliTest.run("--version");
        assertEquals(0, r.code());
        List<String> lines = r.out().lines().toList();
        assertEquals("graphfuse " + VersionReport.VERSION, lines.get(0));
        assertTrue(lines.get(1).startsWith("JDK: " + Runtime.version()), r.out());
        assertTrue(lines.get(2).startsWith("ONNX Runtime: 1.28.0 (providers: "), r.out());
        assertTrue(lines.get(3).startsWith("op library: " + dev.graphfuse.runtime.ort.OrtOpLibrary.load().path()
                + ", " + declaredOps() + " ops, CUDA kernels "), r.out());
        assertTrue(lines.get(4).startsWith("CUDA kernels: "), r.out());
    }
}
