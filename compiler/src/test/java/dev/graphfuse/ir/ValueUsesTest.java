package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A widely shared value keeps its uses in attach order through any mix of removals and additions. */
class ValueUsesTest {
    @Test
    void usesStayInAttachOrder() {
        Graph g = new Graph("g");
        Value w = g.addInput("w", null);
        Value x = g.addInput("x", null);
        List<Use> expected = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Node n = g.addNode("n" + i, "", "Add", List.of(x, w), List.of("y" + i));
            nodes.add(n);
            expected.add(new Use(n, 1));
        }
        Random rnd = new Random(3);
        for (int step = 0; step < 2000; step++) {
            Node n = nodes.get(rnd.nextInt(nodes.size()));
            int slot = rnd.nextInt(2);
            if (n.input(slot) == w) {
                n.setInput(slot, x);
                expected.remove(new Use(n, slot));
            } else {
                n.setInput(slot, w);
                expected.add(new Use(n, slot));
            }
            if (step % 97 == 0) {
                assertEquals(expected, w.uses(), "step " + step);
                List<Use> view = w.uses();
                for (int i = 0; i < expected.size(); i += 7) {
                    assertEquals(expected.get(i), view.get(i), "step " + step + " index " + i);
                }
                assertEquals(expected.size(), view.size());
                assertThrows(IndexOutOfBoundsException.class, () -> view.get(expected.size()));
            }
        }
        assertEquals(expected, w.uses());
        assertEquals(List.of(), GraphVerifier.problems(g));
        Node stranger = nodes.get(0);
        int free = stranger.input(0) == w ? 1 : 0;
        if (stranger.input(free) != w) {
            assertThrows(IllegalStateException.class, () -> w.removeUse(stranger, free));
        }
    }
}
