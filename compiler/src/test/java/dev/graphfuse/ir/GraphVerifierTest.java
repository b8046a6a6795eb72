package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
