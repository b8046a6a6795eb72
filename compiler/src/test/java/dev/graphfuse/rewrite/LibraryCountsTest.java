package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * How often each library pattern fires on each committed export, how many fused nodes of each graphfuse
 * op the optimized graph holds, and its node count before and after: exactly the table "Counts on the
 * committed exports" of docs/patterns.md, which is the one place these numbers are written (the prose
 * around it derives them from the models' architecture: a Qwen3 layer has input, post-attention, q and k
 * norms, plus one final norm; q and k each get one RoPE and become one QkNormRope per layer; the Llama
 * control has RoPE but no QK norm, so no QK fusion; look-alikes must not fuse as the op they resemble).
 * Every committed export has a row. A change in any count is a regression or a new capability — either
 * way it must be looked at, and the table changed with it.
 */
class LibraryCountsTest {
    private static final String DOC = "docs/patterns.md";
    private static final String SECTION = "## Counts on the committed exports";

    private record Expected(long nodesBefore, long nodesAfter, Map<String, Long> rules, Map<String, Long> ops) {
    }

    /** "Name 3, Other 1 (a note)" → {Name=3, Other=1}; parenthesised notes are left out. */
    private static Map<String, Long> counts(String cell) {
        Map<String, Long> m = new TreeMap<>();
        for (String item : cell.replaceAll("\\([^)]*\\)", "").split(",\\s*")) {
            String[] kv = item.trim().split("\\s+");
            if (kv.length == 2) {
                m.put(kv[0], Long.parseLong(kv[1].replace(",", "")));
            } else if (!item.isBlank()) {
                throw new IllegalArgumentException(DOC + ": cannot read '" + item.trim() + "' in '" + cell + "'");
            }
        }
        return m;
    }

    private static long number(String s) {
        return Long.parseLong(s.trim().replace(",", ""));
    }

    /** Model name (without a "(look-alike)" note) → its row of the table. */
    private static Map<String, Expected> table() throws IOException {
        List<String> lines = Files.readAllLines(TestModels.repoRoot().resolve(DOC));
        Map<String, Expected> out = new LinkedHashMap<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                in = line.equals(SECTION);
                continue;
            }
            if (!in || !line.startsWith("| ") || line.startsWith("| model") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String model = cells[1].replaceAll("\\([^)]*\\)", "").trim();
            String[] nodes = cells[2].split("→");
            out.put(model, new Expected(number(nodes[0]), number(nodes[1]), counts(cells[3]), counts(cells[4])));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachPatternFiresExactlyAsOftenAsTheDocsSay() throws IOException {
        Map<String, Expected> table = table();
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Expected want = table.get(m.name());
            assertNotNull(want, "no row for " + m.name() + " in " + DOC + " (" + SECTION + ")");
            Model model = OnnxImporter.read(m.file());
            long before = model.graph().nodes().size();
            PassContext ctx = PassContext.quiet();
            new PassManager().run(model, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), ctx);
            Map<String, Long> rules = new TreeMap<>();
            for (RuleStats s : ctx.allStats()) {
                if (!s.pass().equals("canonicalize") && s.rewritten() > 0) {
                    rules.put(s.rule(), s.rewritten());
                }
            }
            Map<String, Long> ops = new TreeMap<>();
            for (Node n : model.graph().nodes()) {
                if (n.domain().equals("graphfuse")) {
                    ops.merge(n.opType(), 1L, Long::sum);
                }
            }
            // Nested graphfuse calls are inlined: ORT 1.23 ignores a nested call's overload, and a
            // partial-rotary Rope calling the full-width Rope recursed until the process crashed.
            for (var f : model.functions()) {
                for (Node n : f.body().nodes()) {
                    assertEquals("", n.domain(), "function " + f.name() + " calls " + n.domain() + "::" + n.opType());
                }
            }
            assertEquals(want.rules(), rules, "patterns fired (" + DOC + ")");
            assertEquals(want.ops(), ops, "graphfuse nodes in the optimized graph (" + DOC + ")");
            assertEquals(want.nodesBefore() + " → " + want.nodesAfter(), before + " → " + model.graph().nodes().size(),
                    "nodes before → after (" + DOC + ")");
        }));
    }
}
