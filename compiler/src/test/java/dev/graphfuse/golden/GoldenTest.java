package dev.graphfuse.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.graphfuse.ir.Model;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@code testdata/golden/<suite>/<case>.test}: parse the input graph, run the named
 * passes, compare the printed result and the statistics with the file. A mismatch fails with a
 * unified diff and writes the actual file to {@code target/golden-actual/<suite>/<case>.test};
 * {@code -Dgolden.update=true} rewrites the expectations in place (review the diff before committing).
 */
class GoldenTest {
    /** Prints what goldens compare: node metadata (fused nodes' provenance) but no large tensor data. */
    static final TextWriterOptions PRINT = new TextWriterOptions(16, true, true, null, false);

    @TestFactory
    Stream<DynamicNode> golden() throws IOException {
        Path root = TestModels.repoRoot().resolve("testdata/golden");
        try (Stream<Path> suites = Files.list(root)) {
            return suites.filter(Files::isDirectory).sorted().toList().stream().map(suite -> {
                try (Stream<Path> cases = Files.list(suite)) {
                    List<DynamicTest> tests = cases.filter(p -> p.toString().endsWith(".test")).sorted()
                            .map(c -> DynamicTest.dynamicTest(c.getFileName().toString(), c.toUri(), () -> run(c)))
                            .toList();
                    return DynamicContainer.dynamicContainer(suite.getFileName().toString(), tests);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private static void run(Path file) throws IOException {
        GoldenCase c = GoldenCase.read(file);
        Model model = GraphTextReader.parse(c.input(), file.getFileName().toString(), file.getParent());
        String printedInput = GraphTextWriter.print(model, PRINT);
        PassRegistry registry = PassRegistry.standard();
        String patterns = c.headers().get("patterns");
        List<String> passes = Arrays.stream(c.headers().getOrDefault("passes", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (patterns != null) {
            registry.registerPatterns("patterns", Arrays.stream(patterns.split(","))
                    .map(s -> file.getParent().resolve(s.strip())).toList());
        }
        if (passes.isEmpty()) {
            fail(file + ": no '# passes:' header");
        }
        PassContext ctx = PassContext.quiet();
        new PassManager().run(model, registry.pipeline(passes), ctx);
        String output = GraphTextWriter.print(model, PRINT);
        String stats = stats(ctx);
        String expectedOutput = c.expectsUnchanged() ? printedInput : c.expected();
        boolean same = output.equals(expectedOutput) && stats.equals(c.stats());
        if (same) {
            return;
        }
        String actual = c.render(output, stats);
        if (Boolean.getBoolean("golden.update") && (!c.expectsUnchanged() || output.equals(printedInput))) {
            Files.writeString(file, actual);
            return;
        }
        Path suite = file.getParent().getFileName();
        Path out = Path.of("target", "golden-actual").resolve(suite.toString()).resolve(file.getFileName().toString());
        Files.createDirectories(out.getParent());
        Files.writeString(out, actual);
        String expectedFile = Files.readString(file);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(file.toString(), out.toString(),
                expectedFile.lines().toList(), DiffUtils.diff(expectedFile.lines().toList(), actual.lines().toList()), 3);
        assertEquals(expectedFile, actual, "golden mismatch (actual written to " + out.toAbsolutePath() + "; rerun with "
                + "-Dgolden.update=true to accept):\n" + String.join("\n", diff));
    }

    /** One line per rule that saw a candidate or rewrote something: {@code pass/rule: …}. */
    static String stats(PassContext ctx) {
        StringBuilder sb = new StringBuilder();
        for (RuleStats s : ctx.allStats()) {
            if (s.candidates() > 0 || s.rewritten() > 0) {
                sb.append(s.pass()).append('/').append(s).append('\n');
            }
        }
        return sb.length() == 0 ? "(none)\n" : sb.toString();
    }
}
