package dev.graphfuse.canonicalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.ir.Model;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonPipelineTest {
    /** Two per-use copies of a dynamo-style reshape target, plus a Constant and an Identity. */
    private static final String TWO_RESHAPES = """
            graph g (x: f32[2,3,4]) -> (y: f32[2,12], z: f32[2,12]) {
              init ax: i64[1] = [0]
              init i0: i64[] = [0]
              init m1: i64[1] = [-1]
              s1 = Shape(x)
              b1 = Gather(s1, i0) {axis: int = 0}
              u1 = Unsqueeze(b1, ax)
              t1 = Concat(u1, m1) {axis: int = 0}
              r1 = Reshape(x, t1)
              s2 = Shape(x)
              b2 = Gather(s2, i0) {axis: int = 0}
              u2 = Unsqueeze(b2, ax)
              t2 = Concat(u2, m1) {axis: int = 0}
              r2 = Reshape(x, t2)
              c = Constant() {"value": tensor = tensor f32[] = [2.0]}
              i = Identity(r2)
              y = Mul(r1, c)
              z = Mul(i, c)
            }
            """;

    /**
     * Folding turns both shape computations into equal constants, CSE merges them and then the two
     * Reshapes, and DCE sweeps the rest. The equal Muls both stay: each is a graph output.
     */
    @Test
    void foldingExposesCommonSubexpressions() {
        String expected = """
                graph g (x: f32[2,3,4]) -> (y: f32[2,12], z: f32[2,12]) {
                  init c: f32[] = [2.0]
                  init t1: i64[2] = [2, -1]
                  r1: f32[2,12] = Reshape(x, t1)
                  y = Mul(r1, c)
                  z = Mul(r1, c)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, CanonSupport.run(TWO_RESHAPES, ctx, Canonicalize.passes().toArray(Pass[]::new)));
        assertTrue(ctx.allStats().stream().allMatch(s -> s.pass().equals("canonicalize")));
        assertEquals(1, rule(ctx, "identity").rewritten());
        assertEquals(1, rule(ctx, "cse").rewritten(), "r2 into r1");
    }

    @Test
    void resultDoesNotDependOnNodeInsertionOrder() {
        String reference = canonicalize(TWO_RESHAPES);
        List<String> lines = TWO_RESHAPES.lines().toList();
        List<String> head = lines.subList(0, 4);
        List<String> nodes = new ArrayList<>(lines.subList(4, lines.size() - 1));
        Random rnd = new Random(11);
        for (int trial = 0; trial < 10; trial++) {
            Collections.shuffle(nodes, rnd);
            List<String> all = new ArrayList<>(head);
            all.addAll(nodes);
            all.add("}");
            assertEquals(reference, canonicalize(String.join("\n", all) + "\n"), "order " + trial);
        }
    }

    private static String canonicalize(String text) {
        Model m = CanonSupport.parse(text);
        new PassManager().run(m, Canonicalize.pipeline(), PassContext.quiet());
        return CanonSupport.print(m);
    }

    @Test
    void pipelineOrderAndLookupByName() {
        assertEquals(List.of("fold-constants", "reshape", "cse", "dce", "infer-types"),
                Canonicalize.pipeline().passes().stream().map(Pass::name).toList());
        assertEquals("canonicalize", Canonicalize.pipeline().name());
        assertSame(Canonicalize.CSE, Canonicalize.byName("cse").orElseThrow());
        assertSame(Canonicalize.FOLD_CONSTANTS, Canonicalize.byName("fold-constants").orElseThrow());
        assertEquals(Optional.empty(), Canonicalize.byName("no-such-pass"));
        for (Pass p : Canonicalize.passes()) {
            assertTrue(!p.summary().isEmpty(), p.name() + " has a summary");
        }
    }

    @Test
    void foldingDoesNotApplyBeforeIrVersion4() {
        Model m = CanonSupport.parse("model {\n  ir_version: 3\n}\n" + TWO_RESHAPES);
        assertTrue(Canonicalize.FOLD_CONSTANTS.notApplicableTo(m).isPresent());
        PassContext ctx = PassContext.quiet();
        new PassManager().run(m, Canonicalize.pipeline(), ctx);
        assertTrue(ctx.remarks().stream().anyMatch(r -> r.contains("fold-constants")), ctx.remarks().toString());
    }

    private static RuleStats rule(PassContext ctx, String name) {
        return ctx.stats("canonicalize", name);
    }
}
