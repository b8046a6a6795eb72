package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's --help ends with examples, and the examples work as written: each one that names only
 * the repository's files runs (in the order the commands are listed, so optimize's output feeds run and
 * verify), with /tmp/ mapped to a temporary folder. Ones with placeholders (MODEL.onnx, my.fuse) are left out.
 */
class HelpExamplesCliTest {
    @TempDir
    Path tmp;

    private static final List<String> ORDER = List.of("inspect", "convert", "optimize", "explain", "patterns",
            "rope-index", "run", "verify", "bench", "golden");

    @Test
    void everyCommandHelpHasExamples() {
        for (String command : ORDER) {
            CliTest.Run r = CliTest.run(command, "--help");
            assertEquals(0, r.code(), command);
            String examples = r.out().substring(r.out().indexOf("\nExamples:\n") + 1);
            assertTrue(examples.startsWith("Examples:\n  graphfuse "), command + ":\n" + r.out());
            assertTrue(examples.contains("graphfuse " + command + " "), command + ":\n" + r.out());
        }
        assertEquals(new java.util.TreeSet<>(ORDER), new java.util.TreeSet<>(HelpSections.EXAMPLES.keySet()));
    }

    @Test
    void theExamplesRunAsWritten() {
        String root = Path.of(System.getProperty("graphfuse.repoRoot", "..")).toAbsolutePath().normalize() + "/";
        int ran = 0;
        for (String command : ORDER) {
            for (String example : HelpSections.EXAMPLES.get(command)) {
                if (example.matches(".*\\b(MODEL|OUT|ORIG|OPT)\\.onnx.*|.*my\\.fuse.*")) {
                    continue;
                }
                List<String> args = new ArrayList<>();
                for (String word : example.substring("graphfuse ".length()).split(" ")) {
                    String w = word.replace("/tmp/", tmp + "/");
                    args.add(w.startsWith("testdata/") || w.contains("=testdata/") ? w.replace("testdata/", root + "testdata/") : w);
                }
                if (command.equals("golden") && args.get(0).equals("update")) {
                    continue; // would rewrite the repository's own case
                }
                CliTest.Run r = CliTest.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), example + "\n" + r.out() + r.err());
                ran++;
            }
        }
        assertTrue(ran >= 12, "examples run: " + ran);
    }
}
