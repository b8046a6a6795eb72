package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pattern-language guide's examples work as a user would use them: each fenced block of docs/dsl.md
 * that declares a pattern, copied as written into a file of the user's own, loads as a registered pass
 * beside the built-in library (whose ops and predicates it sees, and whose defs and pattern names it may
 * reuse), and fires on a committed export.
 */
class GuideExamplesTest {
    @TempDir
    Path tmp;

    private static List<String> fuseBlocks(Path markdown) throws Exception {
        List<String> blocks = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("```")) {
                if (cur != null && cur.toString().contains("\npattern ")) {
                    blocks.add(cur.toString());
                }
                cur = cur == null ? new StringBuilder("\n") : null;
            } else if (cur != null) {
                cur.append(line).append('\n');
            }
        }
        return blocks;
    }

    @Test
    void everyGuideExampleLoadsAsAUserFileAndFires() throws Exception {
        List<String> blocks = fuseBlocks(TestModels.repoRoot().resolve("docs/dsl.md"));
        assertFalse(blocks.isEmpty(), "docs/dsl.md has no pattern example");
        for (int i = 0; i < blocks.size(); i++) {
            Path file = Files.writeString(tmp.resolve("example" + i + ".fuse"), blocks.get(i));
            PassRegistry r = PassRegistry.standard().registerPatterns("mine", file);
            Model m = OnnxImporter.read(TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx"));
            PassContext ctx = PassContext.quiet();
            new PassManager().run(m, r.pipeline(List.of("canonicalize", "mine")), ctx);
            long fused = m.graph().nodes().stream().filter(n -> n.domain().equals("graphfuse")).count();
            assertTrue(fused > 0, "example " + i + " fired nowhere:\n" + blocks.get(i));
            // the built-in pattern of the same name is still there, in its own pass
            assertEquals(2, r.library().patterns().stream().filter(p -> p.name().equals("RaiseRmsNorm")).count());
        }
    }

    @Test
    void aUserFileMayReuseTheLibrarysNamesButNotRedeclareAnOpDifferently() throws Exception {
        Path file = Files.writeString(tmp.resolve("clash.fuse"), """
                op graphfuse.RmsNorm(X, scale, extra) {epsilon: float};
                """);
        PassRegistry r = PassRegistry.standard().registerPatterns("mine", file);
        BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class, r::library);
        assertTrue(e.getMessage().startsWith(file + ":1:4: error: op 'graphfuse.RmsNorm' is already declared"), e.getMessage());
    }
}
