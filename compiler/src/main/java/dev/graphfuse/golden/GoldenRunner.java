package dev.graphfuse.golden;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.ir.Model;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Runs golden cases: the input graph (inline, or a model file) through the case's passes, the printed
 * result and the per-rule statistics compared with the case; and again with the input's nodes in a
 * shuffled order, which must give the same result (a pipeline whose output depends on node order would
 * make every golden flaky). Used by {@code graphfuse golden} and by the JUnit factory of graphfuse-testing.
 */
public final class GoldenRunner {
    /** What goldens compare: node metadata (fused nodes' provenance) but no large tensor data. */
    public static final TextWriterOptions PRINT = new TextWriterOptions(16, true, true, null, false);

    private GoldenRunner() {
    }

    public static GoldenResult run(GoldenCase c) {
        String input = inputText(c);
        Outcome first = optimize(c, input);
        boolean changedUnchanged = c.expectsUnchanged() && !first.output.equals(first.printedInput);
        String expectedOutput = c.expectsUnchanged() ? first.printedInput : c.expected();
        boolean matches = first.output.equals(expectedOutput) && first.stats.equals(c.stats());
        String actual = c.render(first.output, first.stats);
        String diff = "";
        if (changedUnchanged) {
            diff = unifiedDiff(c.file() + " (input; the case expects it unchanged)", "the pipeline's result",
                    first.printedInput + "--- stats\n" + c.stats(), first.output + "--- stats\n" + first.stats);
        } else if (!matches) {
            diff = unifiedDiff(c.file().toString(), c.file() + ".actual", readString(c.file()), actual);
        }
        Outcome shuffled = optimize(c, shuffleNodes(input, new Random(c.file().getFileName().toString().hashCode())));
        String nondeterminism = shuffled.output.equals(first.output) && shuffled.stats.equals(first.stats) ? null
                : "the result depends on the order of the input's nodes (same input, node lines shuffled, gave another graph "
                        + "or other statistics)";
        return new GoldenResult(c.file(), matches, actual, diff, changedUnchanged, nondeterminism);
    }

    private static String unifiedDiff(String from, String to, String a, String b) {
        return String.join("\n", UnifiedDiffUtils.generateUnifiedDiff(from, to, a.lines().toList(),
                DiffUtils.diff(a.lines().toList(), b.lines().toList()), 3)) + "\n";
    }

    /** Accepts a run: writes its result into the case file (through a temporary file and a rename). */
    public static void update(GoldenCase c, GoldenResult r) {
        dev.graphfuse.util.AtomicFiles.writeString(c.file(), r.actual());
    }

    /** One line per rule that saw a candidate or rewrote something: {@code pass/rule: …}. */
    public static String stats(PassContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (RuleStats s : ctx.allStats()) {
            if (s.candidates() > 0 || s.rewritten() > 0) {
                sb.append(s.pass()).append('/').append(s).append('\n');
            }
        }
        return sb.length() == 0 ? "(none)\n" : sb.toString();
    }

    private record Outcome(String printedInput, String output, String stats) {
    }

    /** The case's input as text: inline, or the model file printed losslessly (external data by reference). */
    private static String inputText(GoldenCase c) {
        if (c.modelFile() == null) {
            return c.input();
        }
        Model m = ModelFiles.read(c.modelFile());
        return GraphTextWriter.print(m, TextWriterOptions.FULL.withExternalBase(c.modelFile().toAbsolutePath().getParent()));
    }

    private static Outcome optimize(GoldenCase c, String input) {
        Path base = c.modelFile() != null ? c.modelFile().toAbsolutePath().getParent() : c.dir();
        Model model = GraphTextReader.parse(input, c.file().getFileName().toString(), base);
        String printedInput = GraphTextWriter.print(model, PRINT);
        PassRegistry registry = PassRegistry.standard();
        if (!c.patternFiles().isEmpty()) {
            registry.registerPatterns("patterns", c.patternFiles());
        }
        PassContext ctx = PassContext.quiet();
        new PassManager().run(model, registry.pipeline(c.passes()), ctx);
        return new Outcome(printedInput, GraphTextWriter.print(model, PRINT), stats(ctx));
    }

    /** The same text with its node lines ({@code [name] …}) in another order. */
    static String shuffleNodes(String text, Random rnd) {
        List<String> lines = text.lines().toList();
        List<Integer> nodeLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  [")) {
                nodeLines.add(i);
            }
        }
        List<String> nodes = new ArrayList<>();
        nodeLines.forEach(i -> nodes.add(lines.get(i)));
        Collections.shuffle(nodes, rnd);
        List<String> out = new ArrayList<>(lines);
        for (int k = 0; k < nodeLines.size(); k++) {
            out.set(nodeLines.get(k), nodes.get(k));
        }
        return String.join("\n", out) + "\n";
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
