package dev.graphfuse.dsl;

import static dev.graphfuse.dsl.DslFixture.failure;
import static dev.graphfuse.dsl.DslFixture.graph;
import static dev.graphfuse.dsl.DslFixture.load;
import static dev.graphfuse.dsl.DslFixture.match;
import static dev.graphfuse.dsl.DslFixture.producer;
import static dev.graphfuse.dsl.DslFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.dsl.DslFixture.Run;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Model;
import dev.graphfuse.match.Constant;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.MatchFailure;
import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.ir.Value;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What each matching feature of the pattern language accepts and rejects: one graph it must match
 * and one it must not, with the failure kind a user sees in statistics and {@code explain}.
 */
class DslMatchingTest {

    @Nested
    class Captures {
        static final String FUSE = """
                op test.Square(x);
                pattern Square {
                    let y = Mul(x, x);
                    replace y with test.Square(x);
                }
                """;

        @Test
        void reusedNameMatchesTheSameValue() {
            Run r = run(FUSE, """
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      y: f32[4] = Mul(a, a)
                    }
                    """);
            assertEquals(1, r.stats("Square").rewritten());
            assertEquals("Square", r.model().graph().value("y").producer().opType());
            assertEquals(List.of(r.model().graph().value("a")), r.only("Square").inputs());
            assertEquals(0, r.count("Mul"));
        }

        @Test
        void reusedNameRejectsDifferentValues() {
            String g = """
                    graph g (a: f32[4], b: f32[4]) -> (y: f32[4]) {
                      y: f32[4] = Mul(a, b)
                    }
                    """;
            Run r = run(FUSE, g);
            assertEquals(0, r.stats("Square").rewritten());
            assertEquals(Map.of("capture-mismatch", 1L), r.stats("Square").rejected());
            MatchFailure<?> f = failure(load(FUSE), "Square", graph(g), "y");
            assertEquals("capture-mismatch", f.label());
            assertTrue(f.reason().contains("'x'"), f.reason());
        }

        @Test
        void constraintOnALaterUseIsChecked() {
            // x is bound by the first operand; the second use adds an element type the value does not have
            PatternLibrary lib = load("""
                    op test.Square(x);
                    pattern HalfSquare {
                        let y = Mul(x, x: Tensor<f16>);
                        replace y with test.Square(x);
                    }
                    """);
            Model m = graph("""
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      y: f32[4] = Mul(a, a)
                    }
                    """);
            assertEquals("type-mismatch", failure(lib, "HalfSquare", m, "y").label());
        }
    }

    @Nested
    class Wildcards {
        static final String FUSE = """
                pattern AnyRight {
                    let y = Mul(x, _);
                    replace y with Identity(x);
                }
                pattern ConstRight {
                    let y = Mul(x, _: Const);
                    replace y with Identity(x);
                }
                """;

        @Test
        void wildcardMatchesAnythingAndBindsNothing() {
            PatternLibrary lib = load(FUSE);
            Model m = graph("""
                    graph g (a: f32[4], b: f32[4]) -> (y: f32[4]) {
                      y: f32[4] = Mul(a, b)
                    }
                    """);
            Match match = match(lib, "AnyRight", m, "y");
            assertSame(m.graph().value("a"), match.binding("x"));
            assertEquals(null, match.binding("_"));
        }

        @Test
        void constrainedWildcardRejectsRuntimeValues() {
            PatternLibrary lib = load(FUSE);
            Model runtime = graph("""
                    graph g (a: f32[4], b: f32[4]) -> (y: f32[4]) {
                      y: f32[4] = Mul(a, b)
                    }
                    """);
            assertEquals("not-constant", failure(lib, "ConstRight", runtime, "y").label());
            Model constant = graph("""
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init w: f32[4] = [1, 2, 3, 4]
                      y: f32[4] = Mul(w, a)
                    }
                    """);
            // Mul is commutative: the constant on the left still matches '_: Const' on the right
            assertSame(constant.graph().value("a"), match(lib, "ConstRight", constant, "y").binding("x"));
        }
    }

    @Nested
    class Constants {
        static final String FUSE = """
                pattern Square {
                    let y = Pow(x, 2.0);
                    replace y with Mul(x, x);
                }
                pattern RoughSquare {
                    let y = Pow(x, 2.0 ~ 0.01);
                    replace y with Mul(x, x);
                }
                pattern Flatten {
                    let y = Reshape(x, [2, 8]);
                    replace y with Flatten(x) {axis = 1};
                }
                """;

        private static Model pow(String exponent) {
            return graph("""
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init e: f32[] = [%s]
                      y: f32[4] = Pow(a, e)
                    }
                    """.formatted(exponent));
        }

        @Test
        void defaultToleranceIsRelativeOneInHundredThousand() {
            PatternLibrary lib = load(FUSE);
            match(lib, "Square", pow("2.0"), "y");
            match(lib, "Square", pow("2.00001"), "y");
            MatchFailure<?> f = failure(lib, "Square", pow("2.001"), "y");
            assertEquals("constant-mismatch", f.label());
            assertTrue(f.reason().contains("expected 2.0"), f.reason());
        }

        @Test
        void explicitTolerance() {
            PatternLibrary lib = load(FUSE);
            match(lib, "RoughSquare", pow("2.005"), "y");
            assertEquals("constant-mismatch", failure(lib, "RoughSquare", pow("2.05"), "y").label());
        }

        @Test
        void constantNodesCountAsConstants() {
            Run r = run(FUSE, """
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      e: f32[] = Constant() {value_float: float = 2.0}
                      y: f32[4] = Pow(a, e)
                    }
                    """);
            assertEquals(1, r.stats("Square").rewritten());
            assertEquals(List.of(r.model().graph().value("a"), r.model().graph().value("a")), r.only("Mul").inputs());
            assertEquals(0, r.count("Constant"), "the Constant only the Pow used is removed");
        }

        @Test
        void runtimeValueIsNotAConstant() {
            Model m = graph("""
                    graph g (a: f32[4], e: f32[]) -> (y: f32[4]) {
                      y: f32[4] = Pow(a, e)
                    }
                    """);
            assertEquals("not-constant", failure(load(FUSE), "Square", m, "y").label());
        }

        @Test
        void largeConstantAgainstOneValueIsReadInPlace() {
            // past the 4,096 elements a list is compared up to: an exporter's splat sized by the sequence
            String g = """
                    graph g (a: f32[5000]) -> (y: f32[5000]) {
                      init e: f32[5000] = [%s]
                      y: f32[5000] = Pow(a, e)
                    }
                    """;
            String[] values = new String[5000];
            java.util.Arrays.fill(values, "2.0");
            PatternLibrary lib = load(FUSE);
            match(lib, "Square", graph(g.formatted(String.join(", ", values))), "y");
            values[4500] = "3.0";
            MatchFailure<?> f = failure(lib, "Square", graph(g.formatted(String.join(", ", values))), "y");
            assertEquals("constant-mismatch", f.label());
            assertTrue(f.reason().contains("constant e element 4500 of 5000 is 3.0, expected 2.0"), f.reason());
        }

        @Test
        void listConstantComparesElementwise() {
            PatternLibrary lib = load(FUSE);
            String g = """
                    graph g (a: f32[4,4]) -> (y: f32[2,8]) {
                      init s: i64[2] = [%s]
                      y: f32[2,8] = Reshape(a, s)
                    }
                    """;
            match(lib, "Flatten", graph(g.formatted("2, 8")), "y");
            assertEquals("constant-mismatch", failure(lib, "Flatten", graph(g.formatted("8, 2")), "y").label());
        }
    }

    @Nested
    class ScalarCaptures {
        static final String FUSE = """
                op test.AddEps(x) {epsilon: float};
                pattern AddEps {
                    let y = Add(x, eps: Scalar);
                    replace y with test.AddEps(x) {epsilon = eps};
                }
                """;

        @Test
        void scalarValueBecomesAnAttribute() {
            Run r = run(FUSE, """
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init e: f32[1] = [0.25]
                      y: f32[4] = Add(a, e)
                    }
                    """);
            assertEquals(1, r.stats("AddEps").rewritten());
            assertEquals(new Attribute.FloatAttr(0.25f), r.only("AddEps").attribute("epsilon"));
        }

        @Test
        void moreThanOneElementIsNotAScalar() {
            String g = """
                    graph g (a: f32[2]) -> (y: f32[2]) {
                      init e: f32[2] = [0.25, 0.5]
                      y: f32[2] = Add(a, e)
                    }
                    """;
            Run r = run(FUSE, g);
            assertEquals(0, r.stats("AddEps").rewritten());
            assertEquals(Map.of("not-scalar", 1L), r.stats("AddEps").rejected());
        }
    }

    @Nested
    class Attributes {
        static final String FUSE = """
                op test.Softmax(x);
                op test.Leaky(x) {alpha: float};
                pattern LastSoftmax {
                    let y = Softmax(x) {axis = -1};
                    replace y with test.Softmax(x);
                }
                pattern Leaky {
                    let y = LeakyRelu(x) {alpha = a};
                    replace y with test.Leaky(x) {alpha = a * 2.0};
                }
                pattern SameAlpha {
                    let y = Add(LeakyRelu(x) {alpha = a}, LeakyRelu(z) {alpha = a});
                    replace y with test.Leaky(x) {alpha = a};
                }
                """;

        @Test
        void attributeValueAndSchemaDefault() {
            PatternLibrary lib = load(FUSE);
            Model m = graph("""
                    graph g (a: f32[2,4]) -> (y1: f32[2,4], y2: f32[2,4]) {
                      y1: f32[2,4] = Softmax(a) {axis: int = -1}
                      y2: f32[2,4] = Softmax(a)
                    }
                    """);
            match(lib, "LastSoftmax", m, "y1");
            match(lib, "LastSoftmax", m, "y2"); // absent: the schema default -1 from onnx.fuse
        }

        @Test
        void otherAttributeValueDoesNotMatch() {
            Model m = graph("""
                    graph g (a: f32[2,4]) -> (y: f32[2,4]) {
                      y: f32[2,4] = Softmax(a) {axis: int = 0}
                    }
                    """);
            MatchFailure<?> f = failure(load(FUSE), "LastSoftmax", m, "y");
            assertEquals("attribute-mismatch", f.label());
            assertTrue(f.reason().contains("'axis' is 0, expected -1"), f.reason());
        }

        @Test
        void capturedAttributeFeedsTheReplacement() {
            Run r = run(FUSE, """
                    graph g (a: f32[4]) -> (y1: f32[4], y2: f32[4]) {
                      y1: f32[4] = LeakyRelu(a) {alpha: float = 0.25}
                      y2: f32[4] = LeakyRelu(a)
                    }
                    """);
            assertEquals(2, r.stats("Leaky").rewritten());
            assertEquals(new Attribute.FloatAttr(0.5f), producer(r.model(), "y1").attribute("alpha"));
            // absent: the captured value is the default 0.01
            assertEquals(new Attribute.FloatAttr(0.02f), producer(r.model(), "y2").attribute("alpha"));
        }

        @Test
        void capturedAttributeMustAgreeOnReuse() {
            PatternLibrary lib = load(FUSE);
            String g = """
                    graph g (a: f32[4], b: f32[4]) -> (y: f32[4]) {
                      l1: f32[4] = LeakyRelu(a) {alpha: float = 0.25}
                      l2: f32[4] = LeakyRelu(b) {alpha: float = %s}
                      y: f32[4] = Add(l1, l2)
                    }
                    """;
            match(lib, "SameAlpha", graph(g.formatted("0.25")), "y");
            assertEquals("capture-mismatch", failure(lib, "SameAlpha", graph(g.formatted("0.5")), "y").label());
        }
    }

    @Nested
    class TypesAndShapes {
        static final String FUSE = """
                pattern SameShapeAdd {
                    let y = Add(x: Tensor<f32|f16>[T, D], z: Tensor<f32|f16>[T, D]);
                    replace y with Sub(x, z);
                }
                pattern LastDim {
                    let y = Relu(x: Tensor[B, ..., D]);
                    replace y with Sigmoid(x);
                }
                """;

        private static Model add(String a, String b) {
            return graph("""
                    graph g (a: %s, b: %s) -> (y) {
                      y = Add(a, b)
                    }
                    """.formatted(a, b));
        }

        @Test
        void sameSymbolSameDim() {
            PatternLibrary lib = load(FUSE);
            Match<?> m = match(lib, "SameShapeAdd", add("f32[2,4]", "f32[2,4]"), "y");
            assertEquals(2L, m.binding("T"));
            assertEquals(4L, m.binding("D"));
            match(lib, "SameShapeAdd", add("f16[2,4]", "f16[2,4]"), "y");
            // symbolic dims agree when they have the same name
            assertEquals("seq", match(lib, "SameShapeAdd", add("f32[seq,4]", "f32[seq,4]"), "y").binding("T"));
        }

        @Test
        void sameSymbolDifferentDims() {
            PatternLibrary lib = load(FUSE);
            MatchFailure<?> f = failure(lib, "SameShapeAdd", add("f32[2,4]", "f32[1,4]"), "y");
            assertEquals("shape-mismatch", f.label());
            assertTrue(f.reason().contains("'T' is 2"), f.reason());
            assertEquals("shape-mismatch", failure(lib, "SameShapeAdd", add("f32[seq,4]", "f32[len,4]"), "y").label());
        }

        @Test
        void elementTypeAndRank() {
            PatternLibrary lib = load(FUSE);
            assertEquals("type-mismatch", failure(lib, "SameShapeAdd", add("i64[2,4]", "i64[2,4]"), "y").label());
            assertEquals("rank-mismatch", failure(lib, "SameShapeAdd", add("f32[4]", "f32[4]"), "y").label());
            assertEquals("shape-unknown", failure(lib, "SameShapeAdd", add("f32", "f32"), "y").label());
        }

        /** Element type names are case-insensitive when matching too, as when the file loads. */
        @Test
        void elementTypeNamesInAnyCase() {
            PatternLibrary lib = load("""
                    pattern UpperCase {
                        let y = Add(x: Tensor<F32|BF16>[T, D], z: Tensor<F32|BF16>[T, D]);
                        replace y with Sub(x, z);
                    }
                    """);
            match(lib, "UpperCase", add("f32[2,4]", "f32[2,4]"), "y");
            match(lib, "UpperCase", add("bf16[2,4]", "bf16[2,4]"), "y");
            assertEquals("type-mismatch", failure(lib, "UpperCase", add("f16[2,4]", "f16[2,4]"), "y").label());
        }

        @Test
        void restDims() {
            PatternLibrary lib = load(FUSE);
            String g = """
                    graph g (a: f32%s) -> (y) {
                      y = Relu(a)
                    }
                    """;
            Match<?> m = match(lib, "LastDim", graph(g.formatted("[2,3,5,7]")), "y");
            assertEquals(2L, m.binding("B"));
            assertEquals(7L, m.binding("D"));
            match(lib, "LastDim", graph(g.formatted("[2,7]")), "y");
            assertEquals("rank-mismatch", failure(lib, "LastDim", graph(g.formatted("[7]")), "y").label());
        }
    }

    @Nested
    class Alternation {
        static final String FUSE = """
                op test.Rsqrt(x);
                pattern Rsqrt {
                    let y = Reciprocal(Sqrt(v)) | Div(1.0, Sqrt(v));
                    replace y with test.Rsqrt(v);
                }
                """;

        @Test
        void eitherSpellingMatches() {
            Run r = run(FUSE, """
                    graph g (a: f32[4], b: f32[4]) -> (y1: f32[4], y2: f32[4]) {
                      init one: f32[] = [1.0]
                      s1: f32[4] = Sqrt(a)
                      y1: f32[4] = Reciprocal(s1)
                      s2: f32[4] = Sqrt(b)
                      y2: f32[4] = Div(one, s2)
                    }
                    """);
            assertEquals(2, r.stats("Rsqrt").rewritten());
            assertEquals(2, r.count("Rsqrt"));
            assertEquals(0, r.count("Sqrt") + r.count("Div") + r.count("Reciprocal"));
        }

        @Test
        void neitherSpellingMatches() {
            Run r = run(FUSE, """
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init two: f32[] = [2.0]
                      s: f32[4] = Sqrt(a)
                      y: f32[4] = Div(two, s)
                    }
                    """);
            assertEquals(0, r.stats("Rsqrt").rewritten());
            assertEquals(Map.of("constant-mismatch", 1L), r.stats("Rsqrt").rejected());
        }
    }

    @Nested
    class OptionalOps {
        static final String FUSE = """
                op test.ReluSigmoid(x);
                pattern ReluSigmoid {
                    let y = Relu(Cast?(Sigmoid(x)) {to = 1});
                    replace y with test.ReluSigmoid(x);
                }
                """;

        private static Model chain(String middle) {
            return graph("""
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      s: f32[4] = Sigmoid(a)
                      %s
                    }
                    """.formatted(middle));
        }

        @Test
        void presentOrAbsent() {
            PatternLibrary lib = load(FUSE);
            Model present = chain("c: f32[4] = Cast(s) {to: int = 1}\n  y: f32[4] = Relu(c)");
            Match<?> m = match(lib, "ReluSigmoid", present, "y");
            assertEquals(List.of("Relu", "Cast", "Sigmoid"), m.nodes().stream().map(n -> n.opType()).toList());
            Model absent = chain("y: f32[4] = Relu(s)");
            assertEquals(List.of("Relu", "Sigmoid"),
                    match(lib, "ReluSigmoid", absent, "y").nodes().stream().map(n -> n.opType()).toList());
            Run r = run(lib, present);
            assertEquals(1, r.stats("ReluSigmoid").rewritten());
            assertEquals(0, r.count("Cast"));
        }

        @Test
        void somethingElseInItsPlace() {
            PatternLibrary lib = load(FUSE);
            MatchFailure<?> f = failure(lib, "ReluSigmoid", chain("c: f32[4] = Tanh(s)\n  y: f32[4] = Relu(c)"), "y");
            assertEquals("op-mismatch", f.label());
            // a Cast whose attributes do not match is not skipped over either (the deepest failure is reported)
            Model otherCast = chain("c: f16[4] = Cast(s) {to: int = 10}\n  y: f16[4] = Relu(c)");
            assertEquals("attribute-mismatch", failure(lib, "ReluSigmoid", otherCast, "y").label());
        }
    }

    @Nested
    class Commutativity {
        static final String FUSE = """
                op test.Plus(a, b) commutative;
                op test.Minus(a, b);
                op test.Fused(a, b, c);
                pattern AddMul {
                    let y = Add(Mul(a, b), c);
                    replace y with test.Fused(a, b, c);
                }
                pattern SubMul {
                    let y = Sub(Mul(a, b), c);
                    replace y with test.Fused(a, b, c);
                }
                pattern PlusRelu {
                    let y = test.Plus(Relu(a), b);
                    replace y with test.Fused(a, a, b);
                }
                pattern MinusRelu {
                    let y = test.Minus(Relu(a), b);
                    replace y with test.Fused(a, a, b);
                }
                """;

        @Test
        void commutativeOperandsMatchSwapped() {
            PatternLibrary lib = load(FUSE);
            Model m = graph("""
                    graph g (p: f32[4], q: f32[4], r: f32[4]) -> (y1: f32[4], y2: f32[4]) {
                      t: f32[4] = Mul(p, q)
                      y1: f32[4] = Add(r, t)
                      u: f32[4] = Relu(p)
                      y2: f32[4] = test::Plus(q, u)
                    }
                    """);
            Match add = match(lib, "AddMul", m, "y1");
            assertSame(m.graph().value("r"), add.binding("c"));
            assertSame(m.graph().value("q"), match(lib, "PlusRelu", m, "y2").binding("b"));
        }

        @Test
        void nonCommutativeOperandsDoNotMatchSwapped() {
            PatternLibrary lib = load(FUSE);
            Model m = graph("""
                    graph g (p: f32[4], q: f32[4], r: f32[4]) -> (y1: f32[4], y2: f32[4]) {
                      t: f32[4] = Mul(p, q)
                      y1: f32[4] = Sub(r, t)
                      u: f32[4] = Relu(p)
                      y2: f32[4] = test::Minus(q, u)
                    }
                    """);
            assertEquals("op-mismatch", failure(lib, "SubMul", m, "y1").label());
            assertEquals("op-mismatch", failure(lib, "MinusRelu", m, "y2").label());
            Run r = run(lib, m);
            assertEquals(0, r.stats("SubMul").rewritten() + r.stats("MinusRelu").rewritten());
        }
    }

    @Nested
    class Defs {
        static final String FUSE = """
                op test.Norm(x);
                op test.SumSq(a, b);
                def sq(v) {
                    return Mul(v, v) | Pow(v, 2.0);
                }
                pattern Norm {
                    let y = Sqrt(sq(x));
                    replace y with test.Norm(x);
                }
                pattern SumSq {
                    let y = Add(sq(a), sq(b));
                    replace y with test.SumSq(a, b);
                }
                pattern DoubleSq {
                    let y = Add(sq(a), sq(a));
                    replace y with test.Norm(a);
                }
                """;

        @Test
        void oneDefServesTwoPatterns() {
            Run r = run(FUSE, """
                    graph g (p: f32[4], q: f32[4], s: f32[4]) -> (y1: f32[4], y2: f32[4]) {
                      init two: f32[] = [2.0]
                      m1: f32[4] = Mul(p, p)
                      y1: f32[4] = Sqrt(m1)
                      m2: f32[4] = Pow(q, two)
                      m3: f32[4] = Mul(s, s)
                      y2: f32[4] = Add(m2, m3)
                    }
                    """);
            assertEquals(1, r.stats("Norm").rewritten());
            assertEquals(1, r.stats("SumSq").rewritten());
            // each call of the def has its own parameter: a and b bound to different values
            assertEquals(List.of(r.model().graph().value("q"), r.model().graph().value("s")), r.only("SumSq").inputs());
        }

        @Test
        void argumentsSharedAcrossCallsMustAgree() {
            PatternLibrary lib = load(FUSE);
            Model m = graph("""
                    graph g (p: f32[4], s: f32[4]) -> (y: f32[4]) {
                      m1: f32[4] = Mul(p, p)
                      m2: f32[4] = Mul(s, s)
                      y: f32[4] = Add(m1, m2)
                    }
                    """);
            assertEquals("capture-mismatch", failure(lib, "DoubleSq", m, "y").label());
        }
    }

    @Nested
    class Predicates {
        static final String FUSE = """
                op test.Scale(x) {alpha: float};
                predicate Positive(value);
                pattern PositiveScale {
                    let y = Mul(x, s: Scalar);
                    require Positive(s);
                    replace y with test.Scale(x) {alpha = s};
                }
                pattern NegativeScale {
                    let y = Mul(x, s: Scalar);
                    require !Positive(s) && InRange(s, -10, -0.5);
                    replace y with test.Scale(x) {alpha = s};
                }
                predicate InRange(value, low, high);
                """;

        private static PredicateRegistry registry() {
            return PredicateRegistry.withBuiltins().register("Positive", args -> {
                double v = Constant.of((Value) args.get(0)).values()[0];
                return v > 0 ? null : "scale " + v + " is not positive";
            });
        }

        private static Model scale(String s) {
            return graph("""
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init s: f32[] = [%s]
                      y: f32[4] = Mul(a, s)
                    }
                    """.formatted(s));
        }

        @Test
        void predicateHolds() {
            PatternLibrary lib = load(registry(), FUSE);
            Run r = run(lib, scale("1.5"));
            assertEquals(1, r.stats("PositiveScale").rewritten());
            assertEquals(new Attribute.FloatAttr(1.5f), r.only("Scale").attribute("alpha"));
            match(lib, "NegativeScale", scale("-1.5"), "y");
        }

        @Test
        void predicateFails() {
            PatternLibrary lib = load(registry(), FUSE);
            MatchFailure<?> f = failure(lib, "PositiveScale", scale("-1.5"), "y");
            assertEquals("predicate:Positive", f.label());
            assertTrue(f.reason().contains("scale -1.5 is not positive"), f.reason());
            assertEquals("predicate:Positive", failure(lib, "NegativeScale", scale("1.5"), "y").label());
            assertEquals("predicate:InRange", failure(lib, "NegativeScale", scale("-11"), "y").label());
            Run r = run(lib, scale("0"));
            assertEquals(0, r.stats("PositiveScale").rewritten() + r.stats("NegativeScale").rewritten());
            assertEquals(Map.of("predicate:Positive", 1L), r.stats("PositiveScale").rejected());
        }
    }
}
