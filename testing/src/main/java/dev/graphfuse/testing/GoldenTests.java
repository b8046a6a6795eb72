package dev.graphfuse.testing;

import dev.graphfuse.golden.GoldenCase;
import dev.graphfuse.golden.GoldenResult;
import dev.graphfuse.golden.GoldenRunner;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Golden cases as JUnit 5 tests: one test per {@code NAME.test} below a folder, one container per
 * subfolder, in sorted order. A case passes when the pipeline gives exactly the expected graph and
 * statistics, also with the input's nodes shuffled. A mismatch fails with a unified diff and writes
 * {@code NAME.test.actual} beside the case; with {@code -Dgraphfuse.golden.update=true} the case file is
 * rewritten instead (review the diff before committing).
 *
 * <pre>{@code
 * class MyFusionsGoldenTest {
 *     @TestFactory
 *     Stream<DynamicNode> goldens() {
 *         return GoldenTests.in(Path.of("src/test/golden"));
 *     }
 * }
 * }</pre>
 */
public final class GoldenTests {
    /** The system property that makes a mismatch rewrite the case. */
    public static final String UPDATE = "graphfuse.golden.update";

    private GoldenTests() {
    }

    /** Every case below {@code dir}. */
    public static Stream<DynamicNode> in(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir.toAbsolutePath() + ": no such folder of golden cases");
        }
        return children(dir);
    }

    private static Stream<DynamicNode> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.sorted().toList();
            return entries.stream().<DynamicNode>mapMulti((p, sink) -> {
                if (Files.isDirectory(p)) {
                    sink.accept(DynamicContainer.dynamicContainer(p.getFileName().toString(), p.toUri(), children(p)));
                } else if (p.getFileName().toString().endsWith(".test")) {
                    sink.accept(DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> check(p)));
                }
            }).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one case: passes, updates it under {@value #UPDATE}, or fails with its diff. */
    public static void check(Path file) throws IOException {
        boolean update = Boolean.getBoolean(UPDATE);
        GoldenCase c = GoldenCase.read(file, update);
        GoldenResult r = GoldenRunner.run(c);
        Path actual = file.resolveSibling(file.getFileName() + ".actual");
        if (r.nondeterminism() != null) {
            throw new AssertionFailedError(file + ": " + r.nondeterminism());
        }
        if (r.matches()) {
            Files.deleteIfExists(actual);
            return;
        }
        if (!r.updatable()) {
            throw new AssertionFailedError(file + ": the case says 'expect: unchanged' but the pipeline changed the graph "
                    + "(no update accepts that: edit the case):\n" + r.diff());
        }
        if (update) {
            GoldenRunner.update(c, r);
            Files.deleteIfExists(actual);
            return;
        }
        AtomicFiles.writeString(actual, r.actual());
        throw new AssertionFailedError("golden mismatch (the run's result is in " + actual + "; rerun with -D" + UPDATE
                + "=true to accept it):\n" + r.diff(), Files.readString(file), r.actual());
    }
}
