package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the IR keeps true by itself, so that passes need not redo it. */
class GraphInvariantsTest {
    private static final ValueType F32 = ValueType.tensor(ElementType.FLOAT, Shape.of(4));

    @Test
    void replacingAllUsesMovesGraphOutputSlots() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F32);
        Node relu = g.addNode("relu", "", "Relu", List.of(x), List.of("y"));
        Node neg = g.addNode("neg", "", "Neg", List.of(relu.output()), List.of("z"));
        g.addOutput(relu.output());
        g.addOutput(neg.output());
        g.addOutput(relu.output());
        Node abs = g.addNode("abs", "", "Abs", List.of(x), List.of("w"));

        relu.output().replaceAllUsesWith(abs.output());

        assertEquals(List.of(abs.output(), neg.output(), abs.output()), g.outputs());
        assertSame(abs.output(), neg.input(0));
        assertFalse(relu.output().isGraphOutput());
        assertTrue(abs.output().isGraphOutput());
        g.removeNode(relu);
        GraphVerifier.verify(g);
    }

    @Test
    void outputSlotsAreCountedThroughSetOutput() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F32);
        Node relu = g.addNode("relu", "", "Relu", List.of(x), List.of("y"));
        g.addOutput(relu.output());
        g.setOutput(0, x);
        assertFalse(relu.output().isGraphOutput());
        assertTrue(x.isGraphOutput());
        g.removeNode(relu);
    }

    /** x → Relu → y, and an If whose then-branch reads y by name. */
    private static Graph withCapture() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F32);
        Value c = g.addInput("c", ValueType.tensor(ElementType.BOOL, Shape.of()));
        Node relu = g.addNode("relu", "", "Relu", List.of(x), List.of("y"));
        Node branchHolder = g.addNode("if", "", "If", List.of(c), List.of("out"));
        Graph then = new Graph("then", g);
        Node id = then.addNode("id", "", "Identity", List.of(then.valueOrCapture("y")), List.of("t"));
        then.addOutput(id.output());
        Graph otherwise = new Graph("else", g);
        otherwise.addOutput(otherwise.valueOrCapture("x"));
        branchHolder.setAttribute("then_branch", new Attribute.GraphAttr(then));
        branchHolder.setAttribute("else_branch", new Attribute.GraphAttr(otherwise));
        g.addOutput(branchHolder.output());
        assertFalse(relu.output().hasUses(), "the capture is no node input");
        return g;
    }

    @Test
    void aSubgraphCaptureCountsAsAUse() {
        Graph g = withCapture();
        Value y = g.value("y");
        assertTrue(y.isReadBySubgraph());
        assertTrue(y.isUsed());
        assertThrows(IllegalStateException.class, () -> g.removeNode(y.producer()));

        g.removeNode(dropOutput(g));
        assertFalse(y.isReadBySubgraph(), "the holder is gone, and with it the read");
        assertFalse(y.isUsed());
        g.removeNode(y.producer());
        GraphVerifier.verify(g);
    }

    /** Makes the If's output no graph output any more and returns the If. */
    private static Node dropOutput(Graph g) {
        Node holder = g.value("out").producer();
        g.setOutput(0, g.value("x"));
        return holder;
    }

    @Test
    void readsFollowChangesInsideTheSubgraph() {
        Graph g = withCapture();
        Graph then = ((Attribute.GraphAttr) g.value("out").producer().attribute("then_branch")).value();
        assertTrue(g.value("y").isReadBySubgraph());
        Node id = then.value("t").producer();
        Node replacement = then.addNode("id2", "", "Identity", List.of(then.valueOrCapture("x")), List.of("t2"));
        then.setOutput(0, replacement.output());
        then.removeNode(id);
        then.removeCapture(then.value("y"));
        assertFalse(g.value("y").isReadBySubgraph());
        assertTrue(g.value("x").isReadBySubgraph());
    }

    @Test
    void aSwappedNameCarriesTheCaptureOver() {
        Graph g = withCapture();
        Value y = g.value("y");
        Node abs = g.addNode("abs", "", "Abs", List.of(g.value("x")), List.of("y_new"));
        y.replaceAllUsesWith(abs.output());
        g.swapNames(y, abs.output());
        assertEquals("y", abs.output().name());
        assertTrue(abs.output().isReadBySubgraph());
        g.removeNode(y.producer());
        GraphVerifier.verify(g);
    }

    @Test
    void valueOrCaptureResolvesInEnclosingGraphsOnly() {
        Graph g = new Graph("g");
        g.addInput("x", F32);
        Graph sub = new Graph("sub", g);
        Value captured = sub.valueOrCapture("x");
        assertTrue(captured.isCaptured());
        assertSame(captured, sub.valueOrCapture("x"));
        assertNull(sub.valueOrCapture("nowhere"));
        assertNull(g.valueOrCapture("nowhere"));
    }

    @Test
    void oneConstantViewForInitializersAndConstantNodes() {
        Graph g = new Graph("g");
        Value init = g.addInitializer(Tensor.ofLongs(new long[] {2}, new long[] {3, 4}).withName("k"));
        Value overridable = g.addInitializer(Tensor.ofLongs(new long[0], new long[] {1}).withName("d"));
        g.addInitializerAsInput(overridable);
        Node ints = g.addNode("", "", "Constant", List.of(), List.of("c"));
        ints.setAttribute("value_ints", new Attribute.IntsAttr(new long[] {3, 4}));
        Node two = g.addNode("", "", "Constant", List.of(), List.of("c2"));
        two.setAttribute("value_int", new Attribute.IntAttr(1));
        two.setAttribute("value_float", new Attribute.FloatAttr(1));

        assertEquals(TensorKey.of(init.constant()), TensorKey.of(ints.output().constant()));
        assertNull(overridable.constant(), "a graph input's default may be overridden");
        assertNull(two.output().constant(), "a Constant has exactly one attribute");
        assertNotNull(ints.constantTensor());
    }
}
