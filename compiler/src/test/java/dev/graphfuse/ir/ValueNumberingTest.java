package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Equal keys for equal computations whatever their names; unequal for any difference in what they compute. */
class ValueNumberingTest {
    /** An RMSNorm-like body, as FunctionBody builds one; {@code edit} changes it before outputs are set. */
    private static Graph body(float eps, String prefix, Consumer<Graph> edit) {
        Graph g = new Graph("RmsNorm");
        Value x = g.addInput(prefix + "x", null);
        Value w = g.addInput(prefix + "weight", null);
        Node two = g.addNode("", "", "Constant", List.of(), List.of(prefix + "t0"));
        two.setAttribute("value", new Attribute.TensorAttr(scalar(2.0f)));
        Node pow = g.addNode("", "", "Pow", List.of(x, two.output()), List.of(prefix + "t1"));
        Node mean = g.addNode("", "", "ReduceMean", List.of(pow.output()), List.of(prefix + "t2"));
        mean.setAttribute("axes", new Attribute.IntsAttr(new long[] {-1}));
        mean.setAttribute("keepdims", new Attribute.IntAttr(1));
        Node e = g.addNode("", "", "Constant", List.of(), List.of(prefix + "t3"));
        e.setAttribute("value", new Attribute.TensorAttr(scalar(eps)));
        Node add = g.addNode("", "", "Add", List.of(mean.output(), e.output()), List.of(prefix + "t4"));
        Node mul = g.addNode("", "", "Mul", List.of(add.output(), w), List.of(prefix + "y"));
        edit.accept(g);
        g.addOutput(mul.output());
        return g;
    }

    private static Tensor scalar(float v) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
        return Tensor.of("", ElementType.FLOAT, new long[0], b);
    }

    @Test
    void equalComputationsWithOtherNamesAndDocsAreEqual() {
        ValueNumbering numbering = new ValueNumbering();
        Graph a = body(1e-6f, "", g -> { });
        Graph b = body(1e-6f, "other_", g -> {
            g.value("other_t2").producer().setDocString("mean");
            g.value("other_t4").setDocString("sum");
            g.value("other_t2").producer().setName("named");
        });
        assertEquals(numbering.keyOf(a), numbering.keyOf(b));
    }

    @Test
    void nodeOrderDoesNotMatter() {
        ValueNumbering numbering = new ValueNumbering();
        Graph a = new Graph("f");
        Value x = a.addInput("x", null);
        Node p = a.addNode("", "", "Neg", List.of(x), List.of("p"));
        Node q = a.addNode("", "", "Abs", List.of(x), List.of("q"));
        a.addOutput(a.addNode("", "", "Sub", List.of(p.output(), q.output()), List.of("y")).output());
        Graph b = new Graph("f");
        Value x2 = b.addInput("x", null);
        Node q2 = b.addNode("", "", "Abs", List.of(x2), List.of("q"));
        Node p2 = b.addNode("", "", "Neg", List.of(x2), List.of("p"));
        b.addOutput(b.addNode("", "", "Sub", List.of(p2.output(), q2.output()), List.of("y")).output());
        assertEquals(numbering.keyOf(a), numbering.keyOf(b));
    }

    @Test
    void differentAttributesConstantsOrWiringAreUnequal() {
        ValueNumbering numbering = new ValueNumbering();
        ValueNumbering.GraphKey a = numbering.keyOf(body(1e-6f, "", g -> { }));
        List<Graph> others = List.of(
                body(1e-5f, "", g -> { }),
                body(1e-6f, "", g -> g.value("t2").producer().setAttribute("keepdims", new Attribute.IntAttr(0))),
                body(1e-6f, "", g -> g.value("t1").setType(ValueType.tensor(ElementType.FLOAT, Shape.of(2, 3)))),
                body(1e-6f, "", g -> g.value("y").producer().setInput(1, g.value("x"))),
                body(1e-6f, "", g -> g.addNode("", "", "Identity", List.of(g.value("x")), List.of("unused"))));
        for (Graph b : others) {
            assertNotEquals(a, numbering.keyOf(b));
        }
    }

    @Test
    void floatsCompareByBits() {
        ValueNumbering numbering = new ValueNumbering();
        assertNotEquals(numbering.keyOf(body(0.0f, "", g -> { })), numbering.keyOf(body(-0.0f, "", g -> { })));
    }

    @Test
    void initializersCompareByContentNotName() {
        ValueNumbering numbering = new ValueNumbering();
        Graph a = body(1e-6f, "", g -> g.value("y").producer().setInput(1, g.addInitializer(scalar(3f).withName("c"))));
        Graph b = body(1e-6f, "", g -> g.value("y").producer().setInput(1, g.addInitializer(scalar(3f).withName("d"))));
        Graph c = body(1e-6f, "", g -> g.value("y").producer().setInput(1, g.addInitializer(scalar(4f).withName("c"))));
        assertEquals(numbering.keyOf(a), numbering.keyOf(b));
        assertNotEquals(numbering.keyOf(a), numbering.keyOf(c));
    }

    @Test
    void nodeKeysOverTheSameOperandsAreEqual() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", null);
        Node a = g.addNode("", "", "Transpose", List.of(x), List.of("a"));
        a.setAttribute("perm", new Attribute.IntsAttr(new long[] {1, 0}));
        Node b = g.addNode("", "", "Transpose", List.of(x), List.of("b"));
        b.setAttribute("perm", new Attribute.IntsAttr(new long[] {1, 0}));
        Node c = g.addNode("", "", "Transpose", List.of(x), List.of("c"));
        c.setAttribute("perm", new Attribute.IntsAttr(new long[] {0, 1}));
        assertEquals(NodeKey.of(a, v -> v), NodeKey.of(b, v -> v));
        assertNotEquals(NodeKey.of(a, v -> v), NodeKey.of(c, v -> v));
    }
}
