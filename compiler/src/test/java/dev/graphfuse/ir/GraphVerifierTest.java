package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link GraphVerifier} reports about single, small graphs. */
class GraphVerifierTest {
    /** x: f32[2] → Cast(to) → y, with y typed {@code yType}. */
    private static Graph cast(long to, ElementType yType) {
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(ElementType.FLOAT, Shape.of(2)));
        Node c = g.addNode("c", "", "Cast", List.of(x), List.of("y"));
        c.setAttribute("to", new Attribute.IntAttr(to));
        c.output().setType(ValueType.tensor(yType, Shape.of(2)));
        g.addOutput(c.output());
        return g;
    }

    @Test
    void castMatchingItsOutputType() {
        assertEquals(List.of(), GraphVerifier.problems(cast(7 /* INT64 */, ElementType.INT64)));
    }

    @Test
    void castToAnotherTypeThanItsOutput() {
        assertEquals(List.of("graph 'g': c:Cast casts to i64 but its output 'y' is typed f32"),
                GraphVerifier.problems(cast(7, ElementType.FLOAT)));
    }

    @Test
    void castToACodeBeyondInt32() {
        // (int) (2^32 + 7) is 7 (INT64): the unchecked narrowing called this a valid cast to i64,
        // and one with an f32 output a mismatch with i64
        long to = (1L << 32) + 7;
        assertEquals(List.of("graph 'g': c:Cast casts to 4294967303, which is not an element type"),
                GraphVerifier.problems(cast(to, ElementType.INT64)));
        assertEquals(List.of("graph 'g': c:Cast casts to 4294967303, which is not an element type"),
                GraphVerifier.problems(cast(to, ElementType.FLOAT)));
        assertEquals(List.of("graph 'g': c:Cast casts to -4294967295, which is not an element type"),
                GraphVerifier.problems(cast(-(1L << 32) + 1, ElementType.FLOAT)));
    }

    @Test
    void castToAnUnknownCodeInRangeIsNoClaim() {
        // a type newer than graphfuse's ElementType: neither accepted as a match nor reported
        assertEquals(List.of(), GraphVerifier.problems(cast(1000, ElementType.FLOAT)));
    }

    /** A ladder: every node reads the two previous outputs, so a DFS meets most nodes twice. */
    private static Graph ladder(int n) {
        Graph g = new Graph("g");
        Value a = g.addInput("x", ValueType.tensor(ElementType.FLOAT, Shape.of(2)));
        Value b = a;
        for (int i = 0; i < n; i++) {
            Value c = g.addNode("n" + i, "", "Add", List.of(a, b), List.of("v" + i)).output();
            a = b;
            b = c;
        }
        g.addOutput(b);
        return g;
    }

    @Test
    void deepLadderIsAcyclic() {
        assertEquals(List.of(), GraphVerifier.problems(ladder(20_000)));
    }

    @Test
    void cycleInALadderIsFound() {
        Graph g = ladder(50);
        g.value("v10").producer().setInput(0, g.value("v40"));
        List<String> problems = GraphVerifier.problems(g);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("cycle"), problems.get(0));
    }

    @Test
    void missingUseOfAWidelySharedValueIsReported() {
        // More users than the verifier scans linearly: the per-value use set must agree with the list.
        Graph g = new Graph("g");
        Value x = g.addInput("x", ValueType.tensor(ElementType.FLOAT, Shape.of(2)));
        Value w = g.addInput("w", ValueType.tensor(ElementType.FLOAT, Shape.of(2)));
        Node victim = null;
        for (int i = 0; i < 40; i++) {
            Node n = g.addNode("n" + i, "", "Add", List.of(x, w), List.of("y" + i));
            g.addOutput(n.output());
            if (i == 17) {
                victim = n;
            }
        }
        assertEquals(List.of(), GraphVerifier.problems(g));
        w.removeUse(victim, 1);
        assertEquals(List.of("graph 'g': value 'w' does not list its use by n17:Add input 1"), GraphVerifier.problems(g));
    }
}
