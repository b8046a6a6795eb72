package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.CanonSupport.run;
import static dev.graphfuse.canonicalize.CanonSupport.unchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonReshapeCanonicalizationTest {
    private static final ReshapeCanonicalizationPass RESHAPE = new ReshapeCanonicalizationPass();

    @Test
    void removesIdentityUnlessItFeedsAGraphOutput() {
        String in = """
                graph g (x: f32[4]) -> (y: f32[4], z: f32[4]) {
                  a = Identity(x)
                  y = Relu(a)
                  z = Identity(a)
                }
                """;
        String expected = """
                graph g (x: f32[4]) -> (y: f32[4], z: f32[4]) {
                  y = Relu(x)
                  z = Identity(x)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, RESHAPE));
        RuleStats s = ctx.stats("canonicalize", "identity");
        assertEquals(1, s.rewritten());
        assertEquals(Map.of("graph-output", 1L), s.rejected());
    }

    /** Found by fuzzing: a Flatten whose dims multiply past 2^63 stays a Flatten, not an ArithmeticException. */
    @Test
    void aFlattenWhoseSizeOverflowsIsLeftAlone() {
        String in = """
                graph g (x: f32[4611686018427387904,4]) -> (y: f32[4611686018427387904,4]) {
                  y = Flatten(x) {axis: int = 2}
                }
                """;
        assertEquals(unchanged(in), run(in, RESHAPE));
    }

    /** Found by fuzzing: a Reshape whose data operand is left out ("") is left alone, not a crash. */
    @Test
    void aReshapeWithoutItsDataOperandIsLeftAlone() {
        String in = """
                graph g (s: i64[1]) -> (y: f32[4]) {
                  y = Reshape("", s)
                }
                """;
        assertEquals(unchanged(in), run(in, RESHAPE));
    }

    /** A subgraph refers to {@code a} by name; replacing it by {@code x} would leave the name dangling. */
    @Test
    void keepsAnIdentityASubgraphReadsByName() {
        String in = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4]) {
                  a = Identity(x)
                  y = If(c) {then_branch: graph = graph t () -> (o: f32[4]) {
                    o = Neg(a)
                  }, else_branch: graph = graph e () -> (x: f32[4]) {
                  }}
                }
                """;
        assertEquals(unchanged(in), run(in, RESHAPE));
    }

    /** HF RMSNorm casts to the dtype the tensor already has; the type may be declared or inferred. */
    @Test
    void removesCastsToTheTypeTheInputAlreadyHas() {
        String in = """
                graph g (x: f32[2], h: f16[2]) -> (y: f32[2], z: f16[2], w: f32[2], v: f32[2]) {
                  a = Cast(x) {to: int = 1}
                  y = Relu(a)
                  z = Cast(x) {to: int = 10}
                  r = Relu(x)
                  b = Cast(r) {to: int = 1}
                  w = Neg(b)
                  u = test::Op(x)
                  c = Cast(u) {to: int = 1}
                  v = Neg(c)
                }
                """;
        String expected = """
                graph g (x: f32[2], h: f16[2]) -> (y: f32[2], z: f16[2], w: f32[2], v: f32[2]) {
                  r = Relu(x)
                  u = test::Op(x)
                  c = Cast(u) {to: int = 1}
                  v = Neg(c)
                  w = Neg(r)
                  y = Relu(x)
                  z = Cast(x) {to: int = 10}
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, RESHAPE));
        RuleStats s = ctx.stats("canonicalize", "cast-noop");
        assertEquals(2, s.rewritten());
        assertEquals(Map.of("input-type-unknown", 1L), s.rejected());
    }

    /**
     * Reshape(Reshape(x, s1), s2) becomes Reshape(x, s2), repeatedly along a chain, but not when the
     * inner Reshape has another user or the outer target has a 0 (which copies a dim of its input).
     */
    @Test
    void collapsesReshapeChains() {
        String in = """
                graph g (x: f32[2,3,4]) -> (y: f32[6,4], z: f32[4,6], w: f32[24], v: f32[6,2,2]) {
                  init s1: i64[2] = [6, 4]
                  init s2: i64[2] = [4, -1]
                  init s3: i64[1] = [-1]
                  init sz: i64[3] = [0, 2, -1]
                  a = Reshape(x, s1)
                  y = Neg(a)
                  z = Reshape(a, s2)
                  b = Reshape(x, s2)
                  c = Reshape(b, s1)
                  w = Reshape(c, s3)
                  d = Reshape(x, s1)
                  v = Reshape(d, sz)
                }
                """;
        String expected = """
                graph g (x: f32[2,3,4]) -> (y: f32[6,4], z: f32[4,6], w: f32[24], v: f32[6,2,2]) {
                  init s1: i64[2] = [6, 4]
                  init s2: i64[2] = [4, -1]
                  init s3: i64[1] = [-1]
                  init sz: i64[3] = [0, 2, -1]
                  a = Reshape(x, s1)
                  d = Reshape(x, s1)
                  v = Reshape(d, sz)
                  w = Reshape(x, s3)
                  y = Neg(a)
                  z = Reshape(a, s2)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, RESHAPE));
        RuleStats s = ctx.stats("canonicalize", "reshape-chain");
        assertEquals(2, s.rewritten());
        assertEquals(Map.of("inner-has-other-users", 1L, "zero-in-target", 1L), s.rejected());
    }

    @Test
    void removesReshapesToTheShapeTheInputAlreadyHas() {
        String in = """
                graph g (x: f32[2,3], d: f32[2,n]) -> (y: f32[2,3], z: f32[3,2], w: f32[2,3], v: f32, u: f32[2,3]) {
                  init inferred: i64[2] = [2, -1]
                  init other: i64[2] = [3, 2]
                  init same: i64[2] = [2, 3]
                  a = Reshape(x, same)
                  y = Relu(a)
                  z = Reshape(x, other)
                  b = Reshape(x, inferred)
                  w = Neg(b)
                  c = Reshape(d, same)
                  v = Neg(c)
                  u = Reshape(x, same)
                }
                """;
        String expected = """
                graph g (x: f32[2,3], d: f32[2,n]) -> (y: f32[2,3], z: f32[3,2], w: f32[2,3], v: f32, u: f32[2,3]) {
                  init inferred: i64[2] = [2, -1]
                  init other: i64[2] = [3, 2]
                  init same: i64[2] = [2, 3]
                  c = Reshape(d, same)
                  u = Reshape(x, same)
                  v = Neg(c)
                  w = Neg(x)
                  y = Relu(x)
                  z = Reshape(x, other)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, RESHAPE));
        RuleStats s = ctx.stats("canonicalize", "reshape-noop");
        assertEquals(2, s.rewritten());
        assertEquals(Map.of("graph-output", 1L, "input-shape-unknown", 1L), s.rejected());
    }

    /**
     * Squeeze, Unsqueeze and Flatten of a static shape become Reshape to a constant shape, keeping the
     * output name (also for a graph output). Dynamic shapes and non-constant axes stay as they are.
     */
    @Test
    void rewritesStaticViewsAsReshape() {
        String in = """
                graph g (x: f32[1,3,1,4], t: f32[2,3,4], q: f32[n,4], k: i64[1]) -> (y: f32[3,1,4], z: f32[2,1,3,4], f: f32[6,4], s: f32, u: f32, h: f32[3,4]) {
                  init ax0: i64[1] = [0]
                  init ax1: i64[1] = [1]
                  a = Squeeze(x, ax0)
                  y = Neg(a)
                  z = Unsqueeze(t, ax1)
                  f = Flatten(t) {axis: int = 2}
                  b = Squeeze(q, ax0)
                  s = Neg(b)
                  c = Unsqueeze(t, k)
                  u = Neg(c)
                  e = Squeeze(x)
                  h = Neg(e)
                }
                """;
        String expected = """
                graph g (x: f32[1,3,1,4], t: f32[2,3,4], q: f32[n,4], k: i64[1]) -> (y: f32[3,1,4], z: f32[2,1,3,4], f: f32[6,4], s: f32, u: f32, h: f32[3,4]) {
                  init a_shape: i64[3] = [3, 1, 4]
                  init ax0: i64[1] = [0]
                  init ax1: i64[1] = [1]
                  init e_shape: i64[2] = [3, 4]
                  init f_shape: i64[2] = [6, 4]
                  init z_shape: i64[4] = [2, 1, 3, 4]
                  a = Reshape(x, a_shape)
                  b = Squeeze(q, ax0)
                  c = Unsqueeze(t, k)
                  e = Reshape(x, e_shape)
                  f = Reshape(t, f_shape)
                  h = Neg(e)
                  s = Neg(b)
                  u = Neg(c)
                  y = Neg(a)
                  z = Reshape(t, z_shape)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, RESHAPE));
        assertEquals(Map.of("input-shape-unknown", 1L), ctx.stats("canonicalize", "squeeze-to-reshape").rejected());
        assertEquals(Map.of("axes-not-constant", 1L), ctx.stats("canonicalize", "unsqueeze-to-reshape").rejected());
        assertEquals(1, ctx.stats("canonicalize", "flatten-to-reshape").rewritten());
    }

    /** A view rewritten as Reshape then collapses into the Reshape that reads it. */
    @Test
    void aRewrittenViewJoinsAReshapeChain() {
        String in = """
                graph g (t: f32[2,3,4]) -> (y: f32[24]) {
                  init ax1: i64[1] = [1]
                  init flat: i64[1] = [-1]
                  p = Unsqueeze(t, ax1)
                  y = Reshape(p, flat)
                }
                """;
        String expected = """
                graph g (t: f32[2,3,4]) -> (y: f32[24]) {
                  init ax1: i64[1] = [1]
                  init flat: i64[1] = [-1]
                  init p_shape: i64[4] = [2, 1, 3, 4]
                  y = Reshape(t, flat)
                }
                """;
        assertEquals(expected, run(in, RESHAPE));
    }
}
