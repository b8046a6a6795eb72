package dev.graphfuse.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * What a user of examples/golden-example relies on, on a copy of it: its cases pass; changing one constant
 * of its .fuse file fails the fusing case with a readable diff and a NAME.test.actual beside it; the update
 * flag accepts the new result, after which the cases pass again. (The example's own `mvn test` is run by
 * the invoker plugin, see pom.xml.)
 */
class ExampleProjectGoldenTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("examples/golden-example");

    @TempDir
    Path tmp;

    @Test
    void aChangedPatternFailsWithADiffAndUpdateAcceptsIt() throws Exception {
        Path copy = tmp.resolve("golden-example");
        copyTree(EXAMPLE, copy);
        Path fires = copy.resolve("src/test/golden/fires.test");
        Path noFire = copy.resolve("src/test/golden/no_fire_other_slope.test");
        GoldenTests.check(fires);
        GoldenTests.check(noFire);

        Path fuse = copy.resolve("fusions/quick_gelu.fuse");
        Files.writeString(fuse, Files.readString(fuse).replace("Sigmoid(Mul(x, 1.702))", "Sigmoid(Mul(x, 1.5))"));
        String before = Files.readString(fires);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GoldenTests.check(fires));
        // the fusion no longer fires on 1.702: the diff shows the fused node going and the stats changing
        assertTrue(e.getMessage().contains("-  [act] y = mylab::QuickGelu(x) {alpha: float = 1.702}"), e.getMessage());
        assertTrue(e.getMessage().contains("+patterns/FuseQuickGelu: candidates=2 matched=0 rewritten=0 rejected: "
                + "constant-mismatch=1, op-mismatch=1"), e.getMessage());
        Path actual = fires.resolveSibling("fires.test.actual");
        assertTrue(Files.isRegularFile(actual), "the run's result beside the case");
        assertEquals(before, Files.readString(fires), "check never rewrites the case");

        System.setProperty(GoldenTests.UPDATE, "true");
        try {
            GoldenTests.check(fires);
        } finally {
            System.clearProperty(GoldenTests.UPDATE);
        }
        assertFalse(Files.exists(actual));
        GoldenTests.check(fires);
        assertTrue(Files.readString(fires).contains("--- expected"), "still a case with its expectation");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                if (p.toString().contains("/target")) {
                    continue;
                }
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
