package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.CanonSupport.run;
import static dev.graphfuse.canonicalize.CanonSupport.unchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.pass.PassContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonConstantFoldingTest {
    private static final ConstantFoldingPass FOLD = new ConstantFoldingPass();

    /** Found by fuzzing: Gather(Shape(x), k) with a complex k (no valid index type) is left alone, not a crash. */
    @Test
    void aShapeElementGatherWithAComplexIndexIsLeftAlone() {
        dev.graphfuse.ir.Model m = CanonSupport.parse("""
                graph g (x: f32[n,4]) -> (y: i64[]) {
                  s = Shape(x)
                  y = Gather(s, s) {axis: int = 0}
                }
                """);
        dev.graphfuse.ir.Graph g = m.graph();
        dev.graphfuse.ir.Value k = g.addInitializer(dev.graphfuse.ir.Tensor.of("k", dev.graphfuse.ir.ElementType.COMPLEX64,
                new long[0], new byte[8]));
        dev.graphfuse.ir.Node gather = g.outputs().get(0).producer();
        gather.setInput(1, k);
        String before = CanonSupport.print(m);
        FOLD.run(m, PassContext.quiet());
        assertEquals(before, CanonSupport.print(m));
    }

    /** TorchScript's slice bound for "first half of the last dim": Shape → Gather(3) → Div(2) → Cast → Unsqueeze. */
    @Test
    void foldsTorchScriptSliceBoundsOfAStaticInput() {
        String in = """
                graph g (x: f32[2,4,8,64]) -> (y: f32[2,4,8,32]) {
                  init ax0: i64[1] = [0]
                  init axis3: i64[1] = [3]
                  init three: i64[] = [3]
                  init two: i64[] = [2]
                  init zero: i64[1] = [0]
                  s = Shape(x)
                  d = Gather(s, three) {axis: int = 0}
                  h = Div(d, two)
                  c = Cast(h) {to: int = 7}
                  e = Unsqueeze(c, ax0)
                  y = Slice(x, zero, e, axis3)
                }
                """;
        String expected = """
                graph g (x: f32[2,4,8,64]) -> (y: f32[2,4,8,32]) {
                  init ax0: i64[1] = [0]
                  init axis3: i64[1] = [3]
                  init c: i64[] = [32]
                  init d: i64[] = [64]
                  init e: i64[1] = [32]
                  init h: i64[] = [32]
                  init s: i64[4] = [2, 4, 8, 64]
                  init three: i64[] = [3]
                  init two: i64[] = [2]
                  init zero: i64[1] = [0]
                  y = Slice(x, zero, e, axis3)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, FOLD));
        for (String rule : new String[]{"fold-shape", "fold-gather", "fold-div", "fold-cast", "fold-unsqueeze"}) {
            assertEquals(1, ctx.stats("canonicalize", rule).rewritten(), rule);
        }
    }

    /** The same chain on a dynamic last dim must stay: its value is only known at run time. */
    @Test
    void doesNotFoldAShapeOfADynamicDim() {
        String in = """
                graph g (x: f32[2,4,8,tokens]) -> (y: f32) {
                  init ax0: i64[1] = [0]
                  init axis3: i64[1] = [3]
                  init three: i64[] = [3]
                  init two: i64[] = [2]
                  init zero: i64[1] = [0]
                  s = Shape(x)
                  d = Gather(s, three) {axis: int = 0}
                  h = Div(d, two)
                  c = Cast(h) {to: int = 7}
                  e = Unsqueeze(c, ax0)
                  y = Slice(x, zero, e, axis3)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(in), run(in, ctx, FOLD));
        assertEquals(Map.of("dynamic-shape", 1L), ctx.stats("canonicalize", "fold-shape").rejected());
    }

    /** Shape with start/end (opset 15) reads only some dims; those may be static when others are not. */
    @Test
    void foldsTheStaticSliceOfAPartlyDynamicShape() {
        String in = """
                graph g (x: f32[batch,4,8,tokens]) -> (y: i64[2], z: i64[1]) {
                  init one: i64[2] = [1, 1]
                  inner = Shape(x) {end: int = 3, start: int = 1}
                  last = Shape(x) {start: int = -1}
                  y = Add(inner, one)
                  z = Neg(last)
                }
                """;
        String withOutputKept = """
                graph g (x: f32[batch,4,8,tokens]) -> (y: i64[2], z: i64[1]) {
                  init inner: i64[2] = [4, 8]
                  init one: i64[2] = [1, 1]
                  last = Shape(x) {start: int = -1}
                  y = Add(inner, one)
                  z = Neg(last)
                }
                """;
        assertEquals(withOutputKept, run(in, FOLD), "y is a graph output, so its Add stays");
    }

    /** The dynamo spelling of a reshape target: Shape → Gather → Unsqueeze → Concat. */
    @Test
    void foldsAReshapeTargetComputation() {
        String in = """
                graph g (x: f32[2,3,4]) -> (y: f32[2,12]) {
                  init ax: i64[1] = [0]
                  init i0: i64[] = [0]
                  init minus1: i64[1] = [-1]
                  s = Shape(x)
                  b = Gather(s, i0) {axis: int = 0}
                  bu = Unsqueeze(b, ax)
                  target = Concat(bu, minus1) {axis: int = 0}
                  y = Reshape(x, target)
                }
                """;
        String expected = """
                graph g (x: f32[2,3,4]) -> (y: f32[2,12]) {
                  init ax: i64[1] = [0]
                  init b: i64[] = [2]
                  init bu: i64[1] = [2]
                  init i0: i64[] = [0]
                  init minus1: i64[1] = [-1]
                  init s: i64[3] = [2, 3, 4]
                  init target: i64[2] = [2, -1]
                  y = Reshape(x, target)
                }
                """;
        assertEquals(expected, run(in, FOLD));
    }

    /** Shapes of intermediate values with no declared type (TorchScript writes none) are inferred. */
    @Test
    void infersStaticShapesThroughUntypedValues() {
        String in = """
                graph g (x: f32[16,128], w: f32[128,64]) -> (y: i64[4]) {
                  init ax: i64[1] = [1]
                  init reps: i64[3] = [1, 2, 1]
                  m = MatMul(x, w)
                  t = Transpose(m) {perm: ints = [1, 0]}
                  u = Unsqueeze(t, ax)
                  r = Tile(u, reps)
                  s = Shape(r)
                  y = Concat(s, ax) {axis: int = 0}
                }
                """;
        String expected = """
                graph g (x: f32[16,128], w: f32[128,64]) -> (y: i64[4]) {
                  init ax: i64[1] = [1]
                  init reps: i64[3] = [1, 2, 1]
                  init s: i64[3] = [64, 2, 16]
                  m = MatMul(x, w)
                  t = Transpose(m) {perm: ints = [1, 0]}
                  u = Unsqueeze(t, ax)
                  r = Tile(u, reps)
                  y = Concat(s, ax) {axis: int = 0}
                }
                """;
        assertEquals(expected, run(in, FOLD));
    }

    @Test
    void constantNodesBecomeInitializersUnlessTheyAreGraphOutputs() {
        String in = """
                graph g (x: i64[2], f: f32[]) -> (y: i64[2], z: f32[], k: i64[1]) {
                  c = Constant() {"value": tensor = tensor i64[2] = [1, 2]}
                  h = Constant() {value_float: float = 1.5}
                  k = Constant() {value_ints: ints = [7]}
                  y = Add(x, c)
                  z = Mul(f, h)
                }
                """;
        String expected = """
                graph g (x: i64[2], f: f32[]) -> (y: i64[2], z: f32[], k: i64[1]) {
                  init c: i64[2] = [1, 2]
                  init h: f32[] = [1.5]
                  k = Constant() {value_ints: ints = [7]}
                  y = Add(x, c)
                  z = Mul(f, h)
                }
                """;
        assertEquals(expected, run(in, FOLD));
    }

    @Test
    void leavesNonConstantInputsGraphOutputsAndLargeResults() {
        String in = """
                graph g (x: i64[2]) -> (y: i64[2], z: i64[2], big: f32[2000]) {
                  init a: i64[2] = [1, 2]
                  init b: i64[2] = [3, 4]
                  init n: i64[1] = [2000]
                  s = Add(x, a)
                  y = Mul(s, b)
                  z = Add(a, b)
                  big0 = ConstantOfShape(n)
                  big = Neg(big0)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(in), run(in, ctx, FOLD));
        assertEquals(Map.of("graph-output", 1L), ctx.stats("canonicalize", "fold-add").rejected());
        assertEquals(Map.of("too-large", 1L), ctx.stats("canonicalize", "fold-constantofshape").rejected());
        assertEquals(0, ctx.stats("canonicalize", "fold-mul").candidates(), "Mul reads a computed value");
    }

    /**
     * Integer Div truncates toward zero in ONNX Runtime, while the ONNX reference implementation
     * used floor division until recently; only divisions where both agree are folded. Casting NaN
     * to an integer is undefined and stays.
     */
    @Test
    void foldsOnlyUnambiguousIntegerDivisionsAndCasts() {
        String in = """
                graph g () -> (y) {
                  init fl: f32[3] = [2.7, -2.7, 0.1]
                  init m7: i64[] = [-7]
                  init m8: i64[] = [-8]
                  init mtwo: i64[] = [-2]
                  init nan: f32[1] = [nan]
                  init p7: i64[] = [7]
                  init two: i64[] = [2]
                  q1 = Div(m7, two)
                  q2 = Div(m8, two)
                  q3 = Div(p7, two)
                  q4 = Div(m7, mtwo)
                  q5 = Div(p7, mtwo)
                  t = Cast(fl) {to: int = 7}
                  u = Cast(nan) {to: int = 7}
                  y = test::Sink(q1, q2, q3, q4, q5, t, u)
                }
                """;
        String expected = """
                graph g () -> (y) {
                  init fl: f32[3] = [2.7, -2.7, 0.1]
                  init m7: i64[] = [-7]
                  init m8: i64[] = [-8]
                  init mtwo: i64[] = [-2]
                  init nan: f32[1] = [nan]
                  init p7: i64[] = [7]
                  init q2: i64[] = [-4]
                  init q3: i64[] = [3]
                  init q4: i64[] = [3]
                  init t: i64[3] = [2, -2, 0]
                  init two: i64[] = [2]
                  q1 = Div(m7, two)
                  q5 = Div(p7, mtwo)
                  u = Cast(nan) {to: int = 7}
                  y = test::Sink(q1, q2, q3, q4, q5, t, u)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(expected, run(in, ctx, FOLD));
        assertEquals(Map.of("inexact-negative-division", 2L), ctx.stats("canonicalize", "fold-div").rejected());
        assertEquals(Map.of("float-to-int-out-of-range", 1L), ctx.stats("canonicalize", "fold-cast").rejected());
    }

    /**
     * Every whitelisted op once. Slice follows ONNX clamping (negative step, INT64_MAX end), float32
     * arithmetic is rounded to float32 ({@code 0.1f * 0.1f} is 0.010000001, not 0.01), and Size reads
     * the static shape of a graph input.
     */
    @Test
    void leavesArithmeticOnFloatTensorsToTheRuntime() {
        // (1 + w) of a Gemma norm: folding it would hide the norm's spelling from the patterns.
        String in = """
                graph g () -> (y) {
                  init one: f32[] = [1.0]
                  init w: f32[3] = [0.5, -0.25, 0.125]
                  g1 = Add(w, one)
                  y = test::Sink(g1)
                }
                """;
        PassContext ctx = PassContext.quiet();
        assertEquals(unchanged(in), run(in, ctx, FOLD));
        assertEquals(1, ctx.stats("canonicalize", "fold-add").rejected().getOrDefault("float-tensor", 0L));
    }

    @Test
    void foldsEachSupportedOp() {
        String in = """
                graph g (x: f32[3,5]) -> (y) {
                  init ax: i64[1] = [0]
                  init big: i64[1] = [9223372036854775807]
                  init cond: bool[2] = [1, 0]
                  init delta: i64[] = [3]
                  init f1: f32[] = [0.1]
                  init f2: f32[] = [0.2]
                  init limit: i64[] = [10]
                  init mone: i64[1] = [-1]
                  init one: i64[1] = [1]
                  init shp: i64[2] = [2, 1]
                  init start: i64[] = [1]
                  init v: i64[4] = [10, 20, 30, 40]
                  init zero: i64[1] = [0]
                  r = Range(start, limit, delta)
                  rev = Slice(v, mone, zero, zero, mone)
                  tail = Slice(v, one, big)
                  e = Expand(delta, shp)
                  sq = Squeeze(e, mone)
                  eq = Equal(rev, tail)
                  w = Where(cond, f1, f2)
                  s = Add(f1, f2)
                  n = Neg(v)
                  cs = ConstantOfShape(shp) {"value": tensor = tensor i64[1] = [7]}
                  sz = Size(x)
                  c = Concat(v, n) {axis: int = 0}
                  u = Unsqueeze(r, ax)
                  i = Identity(v)
                  sub = Sub(f2, f1)
                  m = Mul(f1, f1)
                  y = test::Sink(r, rev, tail, sq, eq, w, s, n, cs, sz, c, u, i, sub, m)
                }
                """;
        String expected = """
                graph g (x: f32[3,5]) -> (y) {
                  init ax: i64[1] = [0]
                  init big: i64[1] = [9223372036854775807]
                  init c: i64[8] = [10, 20, 30, 40, -10, -20, -30, -40]
                  init cond: bool[2] = [1, 0]
                  init cs: i64[2,1] = [7, 7]
                  init delta: i64[] = [3]
                  init e: i64[2,1] = [3, 3]
                  init eq: bool[3] = [0, 1, 0]
                  init f1: f32[] = [0.1]
                  init f2: f32[] = [0.2]
                  init i: i64[4] = [10, 20, 30, 40]
                  init limit: i64[] = [10]
                  init m: f32[] = [0.010000001]
                  init mone: i64[1] = [-1]
                  init n: i64[4] = [-10, -20, -30, -40]
                  init one: i64[1] = [1]
                  init r: i64[3] = [1, 4, 7]
                  init rev: i64[3] = [40, 30, 20]
                  init s: f32[] = [0.3]
                  init shp: i64[2] = [2, 1]
                  init sq: i64[2] = [3, 3]
                  init start: i64[] = [1]
                  init sub: f32[] = [0.1]
                  init sz: i64[] = [15]
                  init tail: i64[3] = [20, 30, 40]
                  init u: i64[1,3] = [1, 4, 7]
                  init v: i64[4] = [10, 20, 30, 40]
                  init w: f32[2] = [0.1, 0.2]
                  init zero: i64[1] = [0]
                  y = test::Sink(r, rev, tail, sq, eq, w, s, n, cs, sz, c, u, i, sub, m)
                }
                """;
        assertEquals(expected, run(in, FOLD));
    }
}
