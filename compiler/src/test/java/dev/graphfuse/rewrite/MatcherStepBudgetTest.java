package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.ir.Model;
import dev.graphfuse.match.Matcher;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.text.GraphTextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pattern whose match fails only at its last leaf, over a chain of commutative ops, backtracks through
 * 2^depth operand orders (2^30 here: hours). The matcher's step budget skips such an anchor with a remark
 * naming the pattern and a {@code step-budget} rejection, and the pass goes on: it never hangs.
 */
class MatcherStepBudgetTest {
    private static final int DEPTH = 30;

    @TempDir
    Path tmp;

    @Test
    void exponentialBacktrackingIsCutAndReported() throws Exception {
        StringBuilder pat = new StringBuilder("op t.Deep(a);\npattern Deep {\n    let a0 = Add(x, 2.0);\n");
        StringBuilder graph = new StringBuilder("model {\n  ir_version: 10\n  opset \"\": 18\n}\ngraph g (x: f32[4]) -> (y"
                + DEPTH + ": f32[4]) {\n  init c: f32[] = [3.0]\n  [n0] y0: f32[4] = Add(x, c)\n");
        for (int i = 1; i <= DEPTH; i++) {
            pat.append("    let a").append(i).append(" = Add(a").append(i - 1).append(", a").append(i - 1).append(");\n");
            graph.append("  [n").append(i).append("] y").append(i).append(": f32[4] = Add(y").append(i - 1).append(", y")
                    .append(i - 1).append(")\n");
        }
        pat.append("    replace a").append(DEPTH).append(" with t.Deep(x);\n}\n");
        Path fuse = Files.writeString(tmp.resolve("deep.fuse"), pat);
        Model m = GraphTextReader.parse(graph.append("}\n").toString(), "deep.gft", null);
        PassRegistry registry = PassRegistry.standard().registerPatterns("patterns", List.of(fuse));
        PassContext ctx = PassContext.quiet();
        assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> new PassManager().run(m, registry.pipeline(List.of("patterns")), ctx));
        RuleStats s = ctx.stats("patterns", "Deep");
        assertEquals(0, s.rewritten());
        assertTrue(s.rejected().getOrDefault(Matcher.BUDGET_KIND, 0L) > 0, s.toString());
        assertTrue(ctx.remarks().stream().anyMatch(r -> r.startsWith("pattern Deep skipped node n" + DEPTH
                + ": matching gave up after " + Matcher.STEP_BUDGET + " steps of backtracking")), ctx.remarks().toString());
    }
}
