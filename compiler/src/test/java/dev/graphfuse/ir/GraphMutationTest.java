package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** IR mutations keep use lists and definitions consistent; the verifier catches what they must not do. */
class GraphMutationTest {
    private static final ValueType F32 = ValueType.tensor(ElementType.FLOAT, Shape.of(2, 8));

    /** x → Mul(x, x) → Sqrt → Reciprocal → y, with a second user of the Mul. */
    private static Graph chain() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F32);
        Node mul = g.addNode("mul", "", "Mul", List.of(x, x), List.of("sq"));
        Node sqrt = g.addNode("sqrt", "", "Sqrt", List.of(mul.output()), List.of("rms"));
        Node rec = g.addNode("rec", "", "Reciprocal", List.of(sqrt.output()), List.of("y"));
        g.addNode("neg", "", "Neg", List.of(mul.output()), List.of("z"));
        g.addOutput(rec.output());
        g.addOutput(g.value("z"));
        return g;
    }

    @Test
    void useListsFollowEveryMutation() {
        Graph g = chain();
        GraphVerifier.verify(g);
        Value x = g.value("x");
        assertEquals(2, x.uses().size(), "Mul(x, x) uses x twice");
        assertEquals(1, x.users().size());

        // replace Sqrt→Reciprocal by one Div(1, sqrt) … as a pass would
        Tensor one = Tensor.of("one", ElementType.FLOAT, new long[0], new byte[]{0, 0, (byte) 0x80, 0x3f});
        Value oneV = g.addInitializer(one);
        Node div = g.addNode("div", "", "Div", List.of(oneV, g.value("rms")), List.of("y2"));
        GraphVerifier.verify(g);
        g.setOutput(0, div.output());
        g.removeNode(g.value("y").producer());
        GraphVerifier.verify(g);
        assertEquals(List.of(div), g.value("rms").users());

        // rewire Neg to read x directly; the Mul keeps one user
        Node neg = g.value("z").producer();
        neg.setInput(0, x);
        GraphVerifier.verify(g);
        assertEquals(3, x.uses().size());
        assertEquals(1, g.value("sq").uses().size());

        g.value("rms").replaceAllUsesWith(g.value("sq"));
        GraphVerifier.verify(g);
        assertTrue(!g.value("rms").hasUses());
        g.removeNode(g.value("rms").producer());
        GraphVerifier.verify(g);
        assertEquals(null, g.value("rms"), "a removed node's outputs leave the graph");
    }

    @Test
    void removingANodeStillInUseIsRefused() {
        Graph g = chain();
        Node mul = g.value("sq").producer();
        assertThrows(IllegalStateException.class, () -> g.removeNode(mul));
        Node rec = g.value("y").producer();
        assertThrows(IllegalStateException.class, () -> g.removeNode(rec), "graph outputs are never swallowed");
        GraphVerifier.verify(g);
    }

    @Test
    void verifierReportsACycleMadeByRewiring() {
        Graph g = chain();
        Node mul = g.value("sq").producer();
        mul.setInput(1, g.value("y"));
        List<String> problems = GraphVerifier.problems(g);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("cycle"), problems.get(0));
    }

    @Test
    void verifierReportsInconsistentTypes() {
        Graph g = new Graph("g");
        Value x = g.addInput("x", F32);
        Node cast = g.addNode("c", "", "Cast", List.of(x), List.of("h"));
        cast.setAttribute("to", new Attribute.IntAttr(ElementType.FLOAT16.code()));
        cast.output().setType(ValueType.tensor(ElementType.BFLOAT16, Shape.of(2, 8)));
        g.addOutput(cast.output());
        assertEquals(List.of("graph 'g': c:Cast casts to f16 but its output 'h' is typed bf16"), GraphVerifier.problems(g));

        Graph g2 = new Graph("g2");
        Value w = g2.addInitializer(Tensor.of("w", ElementType.FLOAT, new long[]{2}, new byte[8]));
        w.setType(ValueType.tensor(ElementType.FLOAT, Shape.of(3)));
        g2.addOutput(w);
        assertEquals(List.of("graph 'g2': initializer 'w' has dims [2] but is typed [3]"), GraphVerifier.problems(g2));
    }

    @Test
    void duplicateDefinitionsAreRefused() {
        Graph g = chain();
        assertThrows(DuplicateValueException.class, () -> g.addInput("sq", F32));
        assertThrows(DuplicateValueException.class, () -> g.addNode("n", "", "Relu", List.of(g.value("x")), List.of("y")));
        GraphVerifier.verify(g);
    }

    @Test
    void printingDoesNotDependOnNodeInsertionOrder() {
        String reference = GraphTextWriter.print(chain(), TextWriterOptions.FULL);
        Random rnd = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            Graph g = new Graph("g");
            Value x = g.addInput("x", F32);
            List<String[]> specs = new ArrayList<>(List.of(
                    new String[]{"mul", "Mul", "x,x", "sq"}, new String[]{"sqrt", "Sqrt", "sq", "rms"},
                    new String[]{"rec", "Reciprocal", "rms", "y"}, new String[]{"neg", "Neg", "sq", "z"}));
            Collections.shuffle(specs, rnd);
            // two phases, as the importer does: outputs, then inputs
            List<Node> nodes = new ArrayList<>();
            for (String[] s : specs) {
                nodes.add(g.addNode(s[0], "", s[1], List.of(), List.of(s[3])));
            }
            for (int i = 0; i < specs.size(); i++) {
                for (String in : specs.get(i)[2].split(",")) {
                    nodes.get(i).addInput(g.value(in));
                }
            }
            g.addOutput(g.value("y"));
            g.addOutput(g.value("z"));
            GraphVerifier.verify(g);
            assertEquals(reference, GraphTextWriter.print(g, TextWriterOptions.FULL), "order " + trial);
        }
    }

    @Test
    void dominatorsOfADiamond() {
        Graph g = chain();
        Node mul = g.value("sq").producer();
        Node sqrt = g.value("rms").producer();
        Node rec = g.value("y").producer();
        Node neg = g.value("z").producer();
        Node add = g.addNode("add", "", "Add", List.of(g.value("y"), g.value("z")), List.of("w"));
        g.addOutput(add.output());
        Dominators dom = GraphViews.dominators(g);
        assertEquals(mul, dom.immediateDominator(add), "both paths to add start at mul");
        assertEquals(sqrt, dom.immediateDominator(rec));
        assertTrue(dom.dominates(mul, neg));
        assertTrue(!dom.dominates(sqrt, add));
        Dominators post = GraphViews.postDominators(g);
        assertEquals(add, post.immediateDominator(mul), "every path from mul reaches add");
        assertEquals(List.of(mul, neg, sqrt, rec, add).size(), GraphViews.topologicalOrder(g).size());
    }

    @Test
    void removeCaptureDropsOnlyAnUnusedCapture() {
        Graph g = chain();
        Graph body = new Graph("body", g);
        Value used = body.capture("sq");
        Value unused = body.capture("rms");
        body.addNode("n", "", "Neg", List.of(used), List.of("o"));
        body.addOutput(body.value("o"));
        assertThrows(IllegalStateException.class, () -> body.removeCapture(used));
        assertThrows(IllegalArgumentException.class, () -> body.removeCapture(body.value("o")));
        body.removeCapture(unused);
        assertEquals(null, body.value("rms"));
        g.addNode("if", "", "If", List.of(), List.of("branch")).setAttribute("then_branch",
                new Attribute.GraphAttr(body));
        assertTrue(g.value("sq").isReadBySubgraph());
        assertTrue(!g.value("rms").isReadBySubgraph());
        GraphVerifier.verify(body);
    }
}
