package dev.graphfuse.canonicalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.ir.Model;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.util.ArrayList;
import java.util.List;

/** Runs passes on graphs written in the text format and prints the result for comparison. */
final class CanonSupport {
    private CanonSupport() {
    }

    static Model parse(String text) {
        return GraphTextReader.parse(text, "test.gft", null);
    }

    static String print(Model m) {
        return GraphTextWriter.print(m.graph(), TextWriterOptions.CANONICAL);
    }

    /** The input graph as the writer prints it: what a pass that must not fire leaves. */
    static String unchanged(String text) {
        return print(parse(text));
    }

    /**
     * Runs {@code passes} (verifying the graph after each) and returns the printed graph. For a flat
     * graph the same is done with its node lines in reverse order, which must give the same text.
     */
    static String run(String text, Pass... passes) {
        return run(text, PassContext.quiet(), passes);
    }

    static String run(String text, PassContext context, Pass... passes) {
        String result = runOnce(text, context, passes);
        String reversed = reverseNodeLines(text);
        if (reversed != null) {
            assertEquals(result, runOnce(reversed, PassContext.quiet(), passes), "result depends on node order");
        }
        return result;
    }

    private static String runOnce(String text, PassContext context, Pass... passes) {
        Model m = parse(text);
        new PassManager().run(m, Pipeline.of("test", passes), context);
        return print(m);
    }

    /** The text with its node statements reversed, or null when it has subgraphs (multi-line nodes). */
    private static String reverseNodeLines(String text) {
        List<String> lines = text.lines().toList();
        if (lines.stream().skip(1).anyMatch(l -> l.contains("graph "))) {
            return null;
        }
        List<Integer> nodeLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("  ") && !l.startsWith("   ") && !l.startsWith("  init ") && l.contains(" = ")) {
                nodeLines.add(i);
            }
        }
        List<String> out = new ArrayList<>(lines);
        for (int k = 0; k < nodeLines.size(); k++) {
            out.set(nodeLines.get(k), lines.get(nodeLines.get(nodeLines.size() - 1 - k)));
        }
        return String.join("\n", out) + "\n";
    }
}
