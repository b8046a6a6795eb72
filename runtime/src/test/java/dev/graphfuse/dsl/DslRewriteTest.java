package dev.graphfuse.dsl;

import static dev.graphfuse.dsl.DslFixture.failure;
import static dev.graphfuse.dsl.DslFixture.graph;
import static dev.graphfuse.dsl.DslFixture.load;
import static dev.graphfuse.dsl.DslFixture.producer;
import static dev.graphfuse.dsl.DslFixture.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.dsl.DslFixture.Run;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.testing.Ort;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a rewrite produces: multi-output nodes, computed attributes, function bodies, and what it refuses to fuse. */
class DslRewriteTest {
    @TempDir
    Path tmp;

    @Nested
    class MultiRoot {
        static final String FUSE = """
                op test.ReluSigmoid(x) -> (r, s);
                op test.ReluAdd(x, w) -> (r, s);
                pattern ReluSigmoid {
                    let a = Relu(x);
                    let b = Sigmoid(x);
                    replace (a, b) with test.ReluSigmoid(x);
                }
                pattern ReluAdd {
                    let a = Relu(x);
                    let b = Add(x, w);
                    replace (a, b) with test.ReluAdd(x, w);
                }
                """;

        @Test
        void rootsSharingACaptureBecomeOneNode() {
            Run r = run(FUSE, """
                    graph g (x: f32[4]) -> (out1: f32[4], out2: f32[4]) {
                      out1: f32[4] = Relu(x)
                      out2: f32[4] = Sigmoid(x)
                    }
                    """);
            assertEquals(1, r.stats("ReluSigmoid").rewritten());
            Node fused = r.only("ReluSigmoid");
            assertEquals(List.of("out1", "out2"), fused.outputs().stream().map(v -> v.name()).toList());
            assertEquals(List.of(fused.output(0), fused.output(1)), r.model().graph().outputs());
            assertEquals(0, r.count("Relu") + r.count("Sigmoid"));
        }

        @Test
        void operandComputedFromARootIsRejected() {
            // z is only a capture, but here it meets the value of root a: the fused node would read its own output
            Run r = run("""
                    op test.Pair(x) -> (a, b);
                    pattern Pair {
                        let a = Relu(x);
                        let b = Sigmoid(Mul(x, z));
                        replace (a, b) with test.Pair(z);
                    }
                    """, """
                    graph g (x: f32[4]) -> (b: f32[4]) {
                      a: f32[4] = Relu(x)
                      m: f32[4] = Mul(x, a)
                      b: f32[4] = Sigmoid(m)
                    }
                    """);
            assertEquals(0, r.stats("Pair").rewritten());
            assertEquals(Map.of("cycle", 1L), r.stats("Pair").rejected());
        }

        @Test
        void outputsOfOneTupleLetNodeAreRoots() {
            Run r = run("""
                    op test.TopK(x, k) -> (values, indices);
                    pattern TopK {
                        let (values, indices) = TopK(x, k);
                        replace (values, indices) with test.TopK(x, k);
                    }
                    """, """
                    graph g (a: f32[2,8], k: i64[1]) -> (v: f32[2,1], i: i64[2,1]) {
                      v: f32[2,1], i: i64[2,1] = TopK(a, k) {axis: int = -1}
                    }
                    """);
            assertEquals(1, r.stats("TopK").rewritten());
            Node fused = r.model().graph().nodes().iterator().next();
            assertEquals("test::TopK", fused.qualifiedOpType());
            assertEquals(List.of("v", "i"), fused.outputs().stream().map(v -> v.name()).toList());
        }

        @Test
        void contractionThatWouldCreateACycleIsRejected() {
            // Neg reads Relu's output and feeds Add: one node for {Relu, Add} would depend on itself.
            Run r = run(FUSE, """
                    graph g (x: f32[4]) -> (b: f32[4]) {
                      a: f32[4] = Relu(x)
                      n: f32[4] = Neg(a)
                      b: f32[4] = Add(x, n)
                    }
                    """);
            assertEquals(0, r.stats("ReluAdd").rewritten());
            assertEquals(Map.of("cycle", 1L), r.stats("ReluAdd").rejected());
            assertEquals(1, r.count("Relu"));
            assertEquals(1, r.count("Add"));
        }
    }

    @Nested
    class ComputedAttributes {
        static final String FUSE = """
                op test.Attrs(x) {i: int, f: float, l: ints, fl: floats, d: int, e: int, s: string = "x", n: int = 0};
                pattern Attrs {
                    let y = Add(x: Tensor[B, T, D], eps: Scalar);
                    replace y with test.Attrs(x) {i = 3, f = eps * 2.0 + 1, l = [B, dim(x, 1) * 2, -1],
                        fl = [0.5, eps], d = dim(x, -1), e = (D / 2 + rank(x)) % 5 - 1, s = "y", n = -numel(x)};
                }
                """;

        private static Model add(String shape) {
            return graph("""
                    graph g (a: f32%s) -> (y: f32%s) {
                      init e: f32[] = [0.25]
                      y: f32%s = Add(a, e)
                    }
                    """.formatted(shape, shape, shape));
        }

        @Test
        void intsFloatsListsDimsArithmetic() {
            Run r = run(load(FUSE), add("[2,3,8]"));
            assertEquals(1, r.stats("Attrs").rewritten());
            Node n = r.only("Attrs");
            assertEquals(new Attribute.IntAttr(3), n.attribute("i"));
            assertEquals(new Attribute.FloatAttr(1.5f), n.attribute("f"));
            assertArrayEquals(new long[] {2, 6, -1}, ((Attribute.IntsAttr) n.attribute("l")).values());
            assertArrayEquals(new float[] {0.5f, 0.25f}, ((Attribute.FloatsAttr) n.attribute("fl")).values());
            assertEquals(new Attribute.IntAttr(8), n.attribute("d"));
            assertEquals(new Attribute.IntAttr(1), n.attribute("e")); // (8 / 2 + 3) % 5 - 1
            assertEquals("y", new String(((Attribute.StringAttr) n.attribute("s")).value(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(new Attribute.IntAttr(-48), n.attribute("n"));
        }

        @Test
        void symbolicDimCannotBecomeAnAttribute() {
            Run r = run(load(FUSE), add("[2,seq,8]"));
            assertEquals(0, r.stats("Attrs").rewritten());
            assertEquals(Map.of("attribute-evaluation", 1L), r.stats("Attrs").rejected());
            assertEquals(1, r.count("Add"));
        }
    }

    @Nested
    class FunctionBodies {
        static final String FUSE = """
                op test.ScaledSilu(x, s);
                pattern ScaledSilu {
                    let y = Mul(Mul(x, Sigmoid(x)), s: Scalar);
                    replace y with test.ScaledSilu(x, s);
                }
                """;
        static final String GRAPH = """
                graph g (a: f32[2,3], b: f32[2,3], c: f32[2,3]) -> (y1: f32[2,3], y2: f32[2,3], y3: f32[2,3]) {
                  init s: f32[] = [1.5]
                  sa: f32[2,3] = Sigmoid(a)
                  ma: f32[2,3] = Mul(a, sa)
                  y1: f32[2,3] = Mul(ma, s)
                  sb: f32[2,3] = Sigmoid(b)
                  mb: f32[2,3] = Mul(b, sb)
                  y2: f32[2,3] = Mul(mb, s)
                  sc: f32[2,3] = Sigmoid(c)
                  mc: f32[2,3] = Mul(sc, c)
                  y3: f32[2,3] = Mul(s, mc)
                }
                """;

        @Test
        void customDomainReplacementCarriesAFunctionThatRunsInOnnxRuntime() throws Exception {
            Model original = graph(GRAPH);
            Path before = tmp.resolve("before.onnx");
            OnnxExporter.write(original, before);

            Run r = run(FUSE, GRAPH);
            assertEquals(3, r.stats("ScaledSilu").rewritten());
            assertEquals(3, r.count("ScaledSilu"));
            assertEquals(0, r.count("Sigmoid") + r.count("Mul"));
            // every fused node names a function of the model; identical subgraphs share one
            for (String y : List.of("y1", "y2", "y3")) {
                Node n = producer(r.model(), y);
                assertNotNull(r.model().function("test", "ScaledSilu", n.overload()), y);
            }
            assertEquals(producer(r.model(), "y1").overload(), producer(r.model(), "y2").overload());
            Function f = r.model().function("test", "ScaledSilu", producer(r.model(), "y1").overload());
            // the matched subgraph, with the Scalar operand's constant as a formal input
            assertEquals(List.of("Mul", "Mul", "Sigmoid"), f.body().nodes().stream().map(Node::opType).sorted().toList());
            assertEquals(2, f.body().inputs().size());
            assertNotNull(r.model().opsetImports().get("test"));

            Path after = tmp.resolve("after.onnx");
            OnnxExporter.write(r.model(), after);
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put("a", floats("a", new long[] {2, 3}, -3f, -1f, 0f, 0.5f, 2f, 7f));
            inputs.put("b", floats("b", new long[] {2, 3}, 4f, 1f, -0.25f, 3f, -6f, 0.125f));
            inputs.put("c", floats("c", new long[] {2, 3}, 0.75f, -2f, 5f, -0.5f, 1f, 9f));
            Map<String, Tensor> want = Ort.run(before, inputs);
            Map<String, Tensor> got = Ort.run(after, inputs);
            assertEquals(want.keySet(), got.keySet());
            for (String k : want.keySet()) {
                assertArrayEquals(values(want.get(k)), values(got.get(k)), 1e-6f, k);
            }
        }

        @Test
        void onnxDomainReplacementHasNoFunction() {
            Run r = run("""
                    pattern Square {
                        let y = Pow(x, 2.0);
                        replace y with Mul(x, x);
                    }
                    """, """
                    graph g (a: f32[4]) -> (y: f32[4]) {
                      init e: f32[] = [2.0]
                      y: f32[4] = Pow(a, e)
                    }
                    """);
            assertEquals(1, r.stats("Square").rewritten());
            assertTrue(r.model().functions().isEmpty());
        }
    }

    static Tensor floats(String name, long[] dims, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Tensor.of(name, ElementType.FLOAT, dims, b.array());
    }

    static float[] values(Tensor t) {
        float[] out = new float[(int) t.elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) t.getDouble(i);
        }
        return out;
    }

    @Nested
    class Escapes {
        static final String FUSE = """
                op test.ReluSq(x);
                op test.SigmoidSq(x);
                pattern ReluSq {
                    let y = Relu(Mul(x, x));
                    replace y with test.ReluSq(x);
                }
                pattern SigmoidSq {
                    let y = Sigmoid(shared Mul(x, x));
                    replace y with test.SigmoidSq(x);
                }
                """;

        @Test
        void interiorNodeWithAnOutsideUserIsNotFused() {
            String g = """
                    graph g (a: f32[4]) -> (r: f32[4], n: f32[4]) {
                      m: f32[4] = Mul(a, a)
                      r: f32[4] = Relu(m)
                      n: f32[4] = Neg(m)
                    }
                    """;
            Run run = run(FUSE, g);
            assertEquals(0, run.stats("ReluSq").rewritten());
            assertEquals(Map.of("users-outside-match", 1L), run.stats("ReluSq").rejected());
            assertTrue(failure(load(FUSE), "ReluSq", graph(g), "r").reason().contains("outside the match (node"));
        }

        @Test
        void sharedInteriorNodeIsFusedAndKeptForItsOtherUsers() throws Exception {
            String g = """
                    graph g (a: f32[4]) -> (r: f32[4], n: f32[4]) {
                      m: f32[4] = Mul(a, a)
                      r: f32[4] = Sigmoid(m)
                      n: f32[4] = Neg(m)
                    }
                    """;
            Path before = tmp.resolve("shared-before.onnx");
            OnnxExporter.write(graph(g), before);
            Run run = run(FUSE, g);
            assertEquals(1, run.stats("SigmoidSq").rewritten());
            assertEquals("SigmoidSq", producer(run.model(), "r").opType());
            // the Mul stays for Neg, and the fused node recomputes it from its operand
            assertSame(producer(run.model(), "m"), producer(run.model(), "n").input(0).producer());
            assertEquals(List.of(run.model().graph().value("a")), producer(run.model(), "r").inputs());
            Path after = tmp.resolve("shared-after.onnx");
            OnnxExporter.write(run.model(), after);
            Map<String, Tensor> in = Map.of("a", floats("a", new long[] {4}, -2f, 0f, 0.5f, 3f));
            Map<String, Tensor> want = Ort.run(before, in);
            Map<String, Tensor> got = Ort.run(after, in);
            for (String k : want.keySet()) {
                assertArrayEquals(values(want.get(k)), values(got.get(k)), 1e-6f, k);
            }
        }

        @Test
        void graphOutputIsNeverSwallowed() {
            String g = """
                    graph g (a: f32[4]) -> (m: f32[4], r: f32[4]) {
                      m: f32[4] = Mul(a, a)
                      r: f32[4] = Relu(m)
                    }
                    """;
            Run run = run(FUSE, g);
            assertEquals(0, run.stats("ReluSq").rewritten());
            assertEquals(Map.of("graph-output", 1L), run.stats("ReluSq").rejected());
            assertEquals("Mul", producer(run.model(), "m").opType());

            // 'shared' may fuse through it, but the output is still computed
            Run shared = run(FUSE, g.replace("Relu", "Sigmoid"));
            assertEquals(1, shared.stats("SigmoidSq").rewritten());
            assertEquals("Mul", producer(shared.model(), "m").opType());
            assertEquals(List.of("m", "r"), shared.model().graph().outputs().stream().map(v -> v.name()).toList());
        }
    }
}
