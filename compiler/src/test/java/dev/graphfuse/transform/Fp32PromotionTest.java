package dev.graphfuse.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Fp32Promotion} on the IR: what becomes fp32, with which values, and what is left alone. */
class Fp32PromotionTest {
    /**
     * Every place a half type can sit: graph inputs and outputs, intermediate types, fp16 and bf16
     * initializers (their extremes: largest finite, smallest subnormal, infinities, NaN), Cast targets,
     * dtype, Constant tensors, tensor lists, types, an If body and a function body.
     */
    private static final String MODEL = """
            model {
              ir_version: 10
              opset "": 18
              opset "local": 1
            }
            graph main (x: f16[4], c: bool[], s: seq(f16[4]), q: f32[4]) -> (y: f16[4], r: bf16[4], z: f16[4], i: i64[4]) {
              init h: f16[4] = [1.5, -65504.0, 5.9604645E-8, -inf]
              init b: bf16[4] = [1.0078125, -3.3895314E38, 9.18355E-41, nan]
              init f: f32[2] = [0.1, 0.2]
              [cast_h] xh: f16[4] = Cast(q) {to: int = 10}
              [cast_b] r: bf16[4] = Cast(x) {to: int = 16}
              [cast_i] i: i64[4] = Cast(x) {to: int = 7}
              [rand] n: f16[4] = RandomNormalLike(x) {dtype: int = 10}
              [k] k: f16[4] = Constant() {value: tensor = tensor f16[4] = [0.5, 2.0, -0.25, 1024.0]}
              [mul] m: f16[4] = Mul(xh, h)
              [add] y: f16[4] = Add(m, k)
              [custom] u = test::Keep(x) {to: int = 10, ts: tensors = [tensor f16[1] = [3.0], tensor i64[1] = [3]], \
            ty: type = seq(f16[2]), tys: types = [bf16, i64]}
              [if] z: f16[4] = If(c) {then_branch: graph = graph then () -> (a: f16[4]) {
                [then_cast] a: f16[4] = Cast(q) {to: int = 10}
              }, else_branch: graph = graph else () -> (e: f16[4]) {
                [else_k] e: f16[4] = Constant() {value: tensor = tensor f16[4] = [1.0, 2.0, 3.0, 4.0]}
              }}
              [call] w = local::Half(x)
            }
            function local::Half (p) -> (o) opset "": 18 {
              [fk] hk = Constant() {value: tensor = tensor bf16[] = [-2.5]}
              [fc] pc: f16[4] = Cast(p) {to: int = 16}
              o = Mul(pc, hk)
            }
            """;

    private static Model parse() {
        return GraphTextReader.parse(MODEL, "half.gft", null);
    }

    private static float[] floats(Tensor t) {
        assertEquals(ElementType.FLOAT, t.elementType(), t.toString());
        float[] out = new float[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.bytes().getFloat(4 * i);
        }
        return out;
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    private static long intAttr(Graph g, String node, String attr) {
        return ((Attribute.IntAttr) node(g, node).attribute(attr)).value();
    }

    private static Tensor tensorAttr(Graph g, String node) {
        return ((Attribute.TensorAttr) node(g, node).attribute("value")).value();
    }

    private static Graph branch(Graph g, String which) {
        return ((Attribute.GraphAttr) node(g, "if").attribute(which)).value();
    }

    private static ValueType f32(long... dims) {
        return ValueType.tensor(ElementType.FLOAT, Shape.of(dims));
    }

    @Test
    void everyHalfTypeBecomesFp32AndNothingElseChanges() {
        Graph g = Fp32Promotion.promote(parse()).graph();
        for (String name : List.of("x", "y", "r", "z", "xh", "n", "k", "m", "h", "b")) {
            assertEquals(f32(4), g.value(name).type(), name);
        }
        assertEquals(new ValueType.SequenceType(f32(4)), g.value("s").type());
        assertEquals(ValueType.tensor(ElementType.INT64, Shape.of(4)), g.value("i").type());
        assertEquals(ValueType.tensor(ElementType.BOOL, Shape.of()), g.value("c").type());
        assertEquals(List.of(), GraphVerifier.problems(g));
    }

    @Test
    void initializersWidenExactly() {
        Graph g = Fp32Promotion.promote(parse()).graph();
        assertArrayEquals(new float[] {1.5f, -65504f, 0x1p-24f, Float.NEGATIVE_INFINITY}, floats(g.value("h").initializer()));
        float[] b = floats(g.value("b").initializer());
        assertArrayEquals(new float[] {1.0078125f, -0x1.FEp127f, 0x1p-133f}, java.util.Arrays.copyOf(b, 3));
        assertEquals(0x7FC00000, Float.floatToRawIntBits(b[3]), "bf16's quiet NaN is fp32's");
        assertEquals("h", g.value("h").initializer().name());
        assertArrayEquals(new long[] {4}, g.value("b").initializer().dims());
        // not half: the very same tensor
        Model original = parse();
        assertSame(original.graph().value("f").initializer(), Fp32Promotion.promote(original).graph().value("f").initializer());
    }

    @Test
    void castTargetsAndDtypesBecomeFp32() {
        Graph g = Fp32Promotion.promote(parse()).graph();
        assertEquals(ElementType.FLOAT.code(), intAttr(g, "cast_h", "to"));
        assertEquals(ElementType.FLOAT.code(), intAttr(g, "cast_b", "to"));
        assertEquals(ElementType.INT64.code(), intAttr(g, "cast_i", "to"));
        assertEquals(ElementType.FLOAT.code(), intAttr(g, "rand", "dtype"));
        // 'to' means a target type only on Cast
        assertEquals(ElementType.FLOAT16.code(), intAttr(g, "custom", "to"));
    }

    @Test
    void tensorAndTypeAttributesBecomeFp32() {
        Graph g = Fp32Promotion.promote(parse()).graph();
        assertArrayEquals(new float[] {0.5f, 2f, -0.25f, 1024f}, floats(tensorAttr(g, "k")));
        Node custom = node(g, "custom");
        List<Tensor> ts = ((Attribute.TensorsAttr) custom.attribute("ts")).values();
        assertArrayEquals(new float[] {3f}, floats(ts.get(0)));
        assertEquals(ElementType.INT64, ts.get(1).elementType());
        assertEquals(new Attribute.TypeAttr(new ValueType.SequenceType(f32(2))), custom.attribute("ty"));
        assertEquals(new Attribute.TypesAttr(List.of(ValueType.tensor(ElementType.FLOAT, Shape.UNKNOWN_RANK),
                ValueType.tensor(ElementType.INT64, Shape.UNKNOWN_RANK))), custom.attribute("tys"));
    }

    @Test
    void subgraphsAndFunctionsArePromoted() {
        Model m = Fp32Promotion.promote(parse());
        Graph then = branch(m.graph(), "then_branch");
        assertEquals(f32(4), then.value("a").type());
        assertEquals(ElementType.FLOAT.code(), intAttr(then, "then_cast", "to"));
        Graph other = branch(m.graph(), "else_branch");
        assertEquals(f32(4), other.value("e").type());
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, floats(tensorAttr(other, "else_k")));
        Graph body = m.functions().get(0).body();
        assertEquals(ElementType.FLOAT.code(), intAttr(body, "fc", "to"));
        assertEquals(f32(4), body.value("pc").type());
        assertArrayEquals(new float[] {-2.5f}, floats(tensorAttr(body, "fk")));
    }

    @Test
    void theOriginalIsLeftAsItWas() {
        Model m = parse();
        String before = GraphTextWriter.print(m);
        Model promoted = Fp32Promotion.promote(m);
        assertEquals(before, GraphTextWriter.print(m));
        assertEquals(ElementType.FLOAT16, m.graph().value("h").initializer().elementType());
        assertEquals(ElementType.FLOAT16.code(), intAttr(branch(m.graph(), "then_branch"), "then_cast", "to"));
        assertEquals(ElementType.BFLOAT16.code(), intAttr(m.functions().get(0).body(), "fc", "to"));
        // and the copy is one: its subgraphs hang off its own graph
        assertSame(promoted.graph(), branch(promoted.graph(), "then_branch").parent());
    }

    /** A model of {@code bytes} bytes of external fp32 weights; never read: the guard looks only at the lengths. */
    private static Model weights(long bytes) {
        Graph g = new Graph("big");
        TensorData data = new TensorData.External(Path.of("/nonexistent"), "w.bin", 0, bytes, null, Map.of());
        Value w = g.addInitializer(new Tensor("w", ElementType.FLOAT, new long[] {bytes / 4}, data, "", Map.of()));
        g.addOutput(w);
        return new Model(10, g);
    }

    @Test
    void theSizeGuardRefusesBeyondHalfOfMaxBytes() {
        long limit = Fp32Promotion.MAX_BYTES / 2;
        assertEquals(f32(limit / 4), Fp32Promotion.promote(weights(limit)).graph().value("w").type());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Fp32Promotion.promote(weights(limit + 4)));
        assertEquals("an fp32 copy of its 536870916 bytes of weights would be over 1073741824 bytes", e.getMessage());
    }
}
