package com.example.goldens;

import dev.graphfuse.testing.GoldenTests;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/** One test per case under src/test/golden: what graphfuse does to our graphs with our patterns. */
class MyFusionsGoldenTest {
    @TestFactory
    Stream<DynamicNode> goldens() {
        return GoldenTests.in(Path.of("src/test/golden"));
    }
}
