package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link SameBody} may only say "identical" where the canonical texts are equal. */
class SameBodyTest {
    /** An RMSNorm-like body, as FunctionBody builds one; {@code edit} changes it before outputs are set. */
    private static Graph body(float eps, Consumer<Graph> edit) {
        Graph g = new Graph("RmsNorm");
        Value x = g.addInput("x", null);
        Value w = g.addInput("weight", null);
        Node two = g.addNode("", "", "Constant", List.of(), List.of("t0"));
        two.setAttribute("value", new Attribute.TensorAttr(scalar(2.0f)));
        Node pow = g.addNode("", "", "Pow", List.of(x, two.output()), List.of("t1"));
        Node mean = g.addNode("", "", "ReduceMean", List.of(pow.output()), List.of("t2"));
        mean.setAttribute("axes", new Attribute.IntsAttr(new long[] {-1}));
        mean.setAttribute("keepdims", new Attribute.IntAttr(1));
        Node e = g.addNode("", "", "Constant", List.of(), List.of("t3"));
        e.setAttribute("value", new Attribute.TensorAttr(scalar(eps)));
        Node add = g.addNode("", "", "Add", List.of(mean.output(), e.output()), List.of("t4"));
        Node mul = g.addNode("", "", "Mul", List.of(add.output(), w), List.of("y"));
        edit.accept(g);
        g.addOutput(mul.output());
        return g;
    }

    private static Tensor scalar(float v) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array();
        return Tensor.of("", ElementType.FLOAT, new long[0], b);
    }

    private static void assertAgreesWithText(Graph a, Graph b) {
        boolean textEqual = FunctionBody.canonicalText(a).equals(FunctionBody.canonicalText(b));
        if (SameBody.identical(a, b)) {
            assertTrue(textEqual, "identical bodies must print the same");
        }
    }

    @Test
    void equalBodiesAreIdentical() {
        Graph a = body(1e-6f, g -> { });
        Graph b = body(1e-6f, g -> { });
        assertTrue(SameBody.identical(a, b));
        assertEquals(FunctionBody.canonicalText(a), FunctionBody.canonicalText(b));
    }

    @Test
    void anyPrintedDifferenceIsNotIdentical() {
        Graph a = body(1e-6f, g -> { });
        List<Graph> others = List.of(
                body(1e-5f, g -> { }),
                body(1e-6f, g -> g.metadata().put("k", "v")),
                body(1e-6f, g -> g.value("t2").producer().setAttribute("keepdims", new Attribute.IntAttr(0))),
                body(1e-6f, g -> g.value("t2").producer().setDocString("mean")),
                body(1e-6f, g -> g.value("t4").setDocString("sum")),
                body(1e-6f, g -> g.value("t1").setType(dev.graphfuse.ir.ValueType.tensor(ElementType.FLOAT,
                        dev.graphfuse.ir.Shape.of(2, 3)))),
                body(1e-6f, g -> g.rename(g.value("t1"), "p")),
                body(1e-6f, g -> g.addNode("", "", "Identity", List.of(g.value("x")), List.of("unused"))));
        for (Graph b : others) {
            assertFalse(SameBody.identical(a, b));
            assertNotEquals(FunctionBody.canonicalText(a), FunctionBody.canonicalText(b));
            assertAgreesWithText(a, b);
        }
    }

    @Test
    void unmodelledContentFallsBackToText() {
        Graph a = body(1e-6f, g -> g.addInitializer(scalar(3f).withName("c")));
        Graph b = body(1e-6f, g -> g.addInitializer(scalar(3f).withName("c")));
        assertFalse(SameBody.identical(a, b), "initializers are left to the text comparison");
        assertEquals(FunctionBody.canonicalText(a), FunctionBody.canonicalText(b));
    }
}
