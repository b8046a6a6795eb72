package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.CanonSupport.run;
import static dev.graphfuse.canonicalize.CanonSupport.unchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import org.junit.jupiter.api.Test;

class CanonDeadCodeEliminationTest {
    private static final DeadCodeEliminationPass DCE = new DeadCodeEliminationPass();

    @Test
    void removesDeadNodesAndInitializersButNoInputs() {
        String in = """
                graph g (x: f32[4], unused: f32[4], w2: f32[1]) -> (y: f32[4], z: f32[2]) {
                  init w: f32[1] = [2.0]
                  init w2: f32[1] = [3.0]
                  a = Relu(x)
                  b = Mul(a, w)
                  c = Neg(b)
                  y = Sigmoid(x)
                  p, q = Split(x) {axis: int = 0, num_outputs: int = 2}
                  z = Neg(q)
                }
                """;
        String expected = """
                graph g (x: f32[4], unused: f32[4], w2: f32[1]) -> (y: f32[4], z: f32[2]) {
                  init w2: f32[1] = [3.0]
                  p, q = Split(x) {axis: int = 0, num_outputs: int = 2}
                  y = Sigmoid(x)
                  z = Neg(q)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, DCE));
        RuleStats nodes = ctx.stats("canonicalize", "dead-node");
        assertEquals(3, nodes.rewritten(), "Relu, Mul, Neg");
        assertEquals(1, ctx.stats("canonicalize", "dead-initializer").rewritten(), "w; w2 is also an input");
    }

    @Test
    void keepsAGraphOutputThatIsAnInitializerOrInput() {
        String in = """
                graph g (x: f32[4]) -> (x: f32[4], k: f32[1]) {
                  init k: f32[1] = [2.0]
                }
                """;
        assertEquals(unchanged(in), run(in, DCE));
    }

    /**
     * Values read only inside If branches are live although they have no uses in the outer graph.
     * Once the else branch's only reader of {@code t} is dead, the branch stops capturing {@code t}
     * and its producer dies too.
     */
    @Test
    void valuesCapturedBySubgraphsStayLive() {
        String in = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4]) {
                  init k: f32[1] = [2.0]
                  init unused: f32[1] = [5.0]
                  s = Neg(x)
                  t = Relu(x)
                  y = If(c) {then_branch: graph = graph then_g () -> (o: f32[4]) {
                    o = Mul(s, k)
                  }, else_branch: graph = graph else_g () -> (o2: f32[4]) {
                    d = Abs(t)
                    o2 = Identity(x)
                  }}
                }
                """;
        String expected = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4]) {
                  init k: f32[1] = [2.0]
                  s = Neg(x)
                  y = If(c) {then_branch: graph = graph then_g () -> (o: f32[4]) {
                    o = Mul(s, k)
                  }, else_branch: graph = graph else_g () -> (o2: f32[4]) {
                    o2 = Identity(x)
                  }}
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, DCE));
        assertEquals(1, ctx.stats("canonicalize", "dead-capture").rewritten(), "else_g no longer captures t");
    }

    @Test
    void aValueCapturedByANestedSubgraphStaysLive() {
        String in = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4]) {
                  s = Neg(x)
                  y = If(c) {then_branch: graph = graph outer_then () -> (o: f32[4]) {
                    o = If(c) {then_branch: graph = graph inner_then () -> (p: f32[4]) {
                      p = Abs(s)
                    }, else_branch: graph = graph inner_else () -> (q: f32[4]) {
                      q = Identity(x)
                    }}
                  }, else_branch: graph = graph outer_else () -> (o2: f32[4]) {
                    o2 = Identity(x)
                  }}
                }
                """;
        assertEquals(unchanged(in), run(in, DCE));
    }
}
