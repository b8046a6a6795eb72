package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.CanonSupport.run;
import static dev.graphfuse.canonicalize.CanonSupport.unchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.pass.PassContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonCommonSubexpressionTest {
    private static final CommonSubexpressionPass CSE = new CommonSubexpressionPass();

    /** Found by fuzzing: a Constant listing two outputs (ONNX defines one) is not merged away under its other user. */
    @Test
    void aConstantWithTwoOutputsIsLeftAlone() {
        String in = """
                graph g (x: f32[2]) -> (y: f32[2], z: f32[2]) {
                  a = Constant() {value: tensor = tensor f32[2] = [1.0, 2.0]}
                  b, c = Constant() {value: tensor = tensor f32[2] = [1.0, 2.0]}
                  y = Add(x, a)
                  z = Add(b, c)
                }
                """;
        assertEquals(unchanged(in), run(in, CSE));
    }

    /**
     * vLLM's "coalesce equivalent splits": two Splits of the same tensor become one, and so do the
     * equal nodes behind them. The duplicate Add stays because its output is a graph output.
     */
    @Test
    void mergesDuplicateSplitChains() {
        String in = """
                graph g (x: f32[4,6]) -> (y: f32[4,2], z: f32[4,2]) {
                  init sizes: i64[3] = [2, 2, 2]
                  a0, a1, a2 = Split(x, sizes) {axis: int = 1}
                  b0, b1, b2 = Split(x, sizes) {axis: int = 1}
                  ra = Relu(a1)
                  rb = Relu(b1)
                  y = Add(ra, a0)
                  z = Add(rb, b0)
                }
                """;
        String expected = """
                graph g (x: f32[4,6]) -> (y: f32[4,2], z: f32[4,2]) {
                  init sizes: i64[3] = [2, 2, 2]
                  a0, a1, a2 = Split(x, sizes) {axis: int = 1}
                  ra = Relu(a1)
                  y = Add(ra, a0)
                  z = Add(ra, a0)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, CSE));
        assertEquals(2, ctx.stats("canonicalize", "cse").rewritten());
        assertEquals(Map.of("graph-output", 1L), ctx.stats("canonicalize", "cse").rejected());
    }

    @Test
    void differentAttributesInputsOrOmittedInputsAreNotMerged() {
        String in = """
                graph g (x: f32[4,6], s: i64[1], e: i64[1], ax: i64[1]) -> (y: f32[4,6], z: f32[4,6], u: f16[4,6], v: bf16[4,6], p: f32, q: f32, m: f32, n: f32) {
                  y = Softmax(x) {axis: int = 0}
                  z = Softmax(x) {axis: int = 1}
                  u = Cast(x) {to: int = 10}
                  v = Cast(x) {to: int = 16}
                  p = Slice(x, s, e)
                  q = Slice(x, s, e, ax)
                  m = Slice(x, e, s)
                  n = LeakyRelu(x) {alpha: float = -0.0}
                }
                """;
        assertEquals(unchanged(in), run(in, CSE));
    }

    @Test
    void tensorAttributesCompareByContent() {
        String in = """
                graph g (s: i64[2]) -> (y: f32, z: f32) {
                  a = ConstantOfShape(s) {"value": tensor = tensor f32[1] = [1.0]}
                  b = ConstantOfShape(s) {"value": tensor = tensor f32[1] = [1.0]}
                  c = ConstantOfShape(s) {"value": tensor = tensor f32[1] = [2.0]}
                  y = Add(a, c)
                  z = Add(b, c)
                }
                """;
        String expected = """
                graph g (s: i64[2]) -> (y: f32, z: f32) {
                  a = ConstantOfShape(s) {"value": tensor = tensor f32[1] = [1.0]}
                  c = ConstantOfShape(s) {"value": tensor = tensor f32[1] = [2.0]}
                  y = Add(a, c)
                  z = Add(a, c)
                }
                """;
        assertEquals(expected, run(in, CSE));
    }

    @Test
    void randomOpsAndTrainingDropoutAreNotMerged() {
        String in = """
                graph g (x: f32[4], train: bool[]) -> (a: f32[4], b: f32[4], c: f32[4], d: f32[4], e: f32[4], f: f32[4]) {
                  init no: bool[] = [0]
                  a = RandomNormalLike(x)
                  b = RandomNormalLike(x)
                  c = Dropout(x, "", train)
                  d = Dropout(x, "", train)
                  e = Dropout(x, "", no)
                  f = Dropout(x, "", no)
                }
                """;
        String expected = """
                graph g (x: f32[4], train: bool[]) -> (a: f32[4], b: f32[4], c: f32[4], d: f32[4], e: f32[4], f: f32[4]) {
                  init no: bool[] = [0]
                  a = RandomNormalLike(x)
                  b = RandomNormalLike(x)
                  c = Dropout(x, "", train)
                  d = Dropout(x, "", train)
                  e = Dropout(x, "", no)
                  f = Dropout(x, "", no)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, CSE));
        // e and f are equal, but f is a graph output: it may only be merged by renaming it
        assertEquals(Map.of("graph-output", 1L, "non-deterministic", 4L), ctx.stats("canonicalize", "cse").rejected());
    }

    /** Equal small constants merge (initializers first, by name), and the nodes reading them follow. */
    @Test
    void mergesEqualSmallConstantsAndTheirReaders() {
        String in = """
                graph g (x: i64[2], d: i64[2]) -> (y: i64[2], z: i64[2], w: i64[2], v: i64[2]) {
                  init c2: i64[2] = [1, 2]
                  init c1: i64[2] = [1, 2]
                  init other: i64[2] = [2, 1]
                  init d: i64[2] = [1, 2]
                  k = Constant() {"value": tensor = tensor i64[2] = [1, 2]}
                  a = Add(x, c1)
                  b = Add(x, c2)
                  e = Add(x, k)
                  y = Mul(a, other)
                  z = Mul(b, other)
                  w = Add(e, d)
                  v = Sub(z, w)
                }
                """;
        // y and z are equal too, but both are graph outputs, so both stay
        String expected = """
                graph g (x: i64[2], d: i64[2]) -> (y: i64[2], z: i64[2], w: i64[2], v: i64[2]) {
                  init c1: i64[2] = [1, 2]
                  init d: i64[2] = [1, 2]
                  init other: i64[2] = [2, 1]
                  a = Add(x, c1)
                  w = Add(a, d)
                  y = Mul(a, other)
                  z = Mul(a, other)
                  v = Sub(z, w)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, CSE));
        assertEquals(2, ctx.stats("canonicalize", "cse-constant").rewritten(), "c2 and k into c1; d is an input");
    }

    /**
     * Equal constants above the small size merge with those of their type and dims (an exporter folds a RoPE
     * table once per use); one of that shape with another value stays, and so do the nodes reading it.
     */
    @Test
    void mergesEqualLargeConstantsOfOneShape() {
        String zeros = "0, ".repeat(64) + "0";
        String lastOne = "0, ".repeat(64) + "1";
        String in = """
                graph g (x: i64[65]) -> (y: i64[65], z: i64[65], w: i64[65]) {
                  init big1: i64[65] = [%s]
                  init big2: i64[65] = [%s]
                  init big3: i64[65] = [%s]
                  k = Constant() {"value": tensor = tensor i64[65] = [%s]}
                  y = Add(x, big1)
                  z = Add(x, big2)
                  w = Add(big3, k)
                }
                """.formatted(zeros, zeros, lastOne, zeros);
        String expected = """
                graph g (x: i64[65]) -> (y: i64[65], z: i64[65], w: i64[65]) {
                  init big1: i64[65] = [%s]
                  init big3: i64[65] = [%s]
                  w = Add(big3, big1)
                  y = Add(x, big1)
                  z = Add(x, big1)
                }
                """.formatted(zeros, lastOne);
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(expected), run(in, ctx, CSE));
        assertEquals(2, ctx.stats("canonicalize", "cse-constant").rewritten(), "big2 and k into big1");
    }

    /** Beyond MAX_LARGE_CONSTANT_ELEMENTS constants are not read for comparison: weights stay as they are. */
    @Test
    void constantsAboveTheComparedSizeAreNotCompared() {
        long n = CommonSubexpressionPass.MAX_LARGE_CONSTANT_ELEMENTS + 1;
        String zeros = "0, ".repeat((int) n - 1) + "0";
        String in = """
                graph g (x: i8[%d]) -> (y: i8[%d], z: i8[%d]) {
                  init big1: i8[%d] = [%s]
                  init big2: i8[%d] = [%s]
                  y = Add(x, big1)
                  z = Add(x, big2)
                }
                """.formatted(n, n, n, n, zeros, n, zeros);
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(in), run(in, ctx, CSE));
        assertEquals(0, ctx.stats("canonicalize", "cse-constant").candidates());
    }

    @Test
    void nodesWithSubgraphsAreNotMerged() {
        String in = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4], z: f32[4]) {
                  y = If(c) {then_branch: graph = graph t1 () -> (o: f32[4]) {
                    o = Neg(x)
                  }, else_branch: graph = graph e1 () -> (x: f32[4]) {
                  }}
                  z = If(c) {then_branch: graph = graph t2 () -> (o: f32[4]) {
                    o = Neg(x)
                  }, else_branch: graph = graph e2 () -> (x: f32[4]) {
                  }}
                }
                """;
        assertEquals(unchanged(in), run(in, CSE));
    }

    @Test
    void aDuplicateCapturedByASubgraphStays() {
        String in = """
                graph g (c: bool[], x: f32[4]) -> (y: f32[4], z: f32[4]) {
                  a = Neg(x)
                  b = Neg(x)
                  y = Relu(a)
                  z = If(c) {then_branch: graph = graph t () -> (b: f32[4]) {
                  }, else_branch: graph = graph e () -> (x: f32[4]) {
                  }}
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(in), run(in, ctx, CSE));
        assertEquals(Map.of("captured-by-subgraph", 1L, "subgraph", 1L), ctx.stats("canonicalize", "cse").rejected());
    }
}
