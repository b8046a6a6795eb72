package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.golden.GoldenCase;
import dev.graphfuse.golden.GoldenRunner;
import dev.graphfuse.ir.Model;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The pipeline's result does not depend on the order nodes were written in: every golden input,
 * with its node lines shuffled, optimizes to the same printed graph and the same statistics.
 */
class PatternDeterminismTest {
    @TestFactory
    Stream<DynamicTest> resultIsIndependentOfNodeOrder() throws Exception {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.walk(TestModels.repoRoot().resolve("testdata/golden"))) {
            s.filter(p -> p.toString().endsWith(".test")).sorted().forEach(cases::add);
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.getParent().getFileName() + "/" + c.getFileName(), () -> {
            GoldenCase golden = GoldenCase.read(c);
            String input = golden.input();
            String passes = golden.headers().get("passes");
            List<Path> patterns = golden.patternFiles();
            String reference = optimize(input, passes, patterns, c);
            List<String> lines = input.lines().toList();
            List<Integer> nodeLines = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).stripLeading().startsWith("[")) {
                    nodeLines.add(i);
                }
            }
            assertTrue(nodeLines.size() > 1, "case has no node lines to shuffle");
            Random rnd = new Random(c.getFileName().toString().hashCode());
            for (int trial = 0; trial < 5; trial++) {
                List<String> shuffledNodes = new ArrayList<>();
                nodeLines.forEach(i -> shuffledNodes.add(lines.get(i)));
                Collections.shuffle(shuffledNodes, rnd);
                List<String> out = new ArrayList<>(lines);
                for (int k = 0; k < nodeLines.size(); k++) {
                    out.set(nodeLines.get(k), shuffledNodes.get(k));
                }
                assertEquals(reference, optimize(String.join("\n", out) + "\n", passes, patterns, c), "trial " + trial);
            }
        }));
    }

    private static String optimize(String text, String passes, List<Path> patterns, Path file) {
        Model m = GraphTextReader.parse(text, file.getFileName().toString(), file.getParent());
        PassContext ctx = PassContext.quiet();
        PassRegistry registry = PassRegistry.standard();
        if (!patterns.isEmpty()) {
            registry.registerPatterns("patterns", patterns);
        }
        new PassManager().run(m, registry.pipeline(List.of(passes.split(","))), ctx);
        return GraphTextWriter.print(m, GoldenRunner.PRINT) + GoldenRunner.stats(ctx);
    }
}
