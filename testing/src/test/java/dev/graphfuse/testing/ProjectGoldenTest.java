package dev.graphfuse.testing;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** graphfuse's own goldens ({@code testdata/golden/<stage>/<case>.test}), through the factory users get. */
class ProjectGoldenTest {
    @TestFactory
    Stream<DynamicNode> golden() {
        return GoldenTests.in(Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/golden"));
    }
}
