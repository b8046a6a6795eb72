package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.bench.SyntheticDecoder;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link GraphVerifier} keeps its flags in arrays indexed by node and value ids, and answers valid
 * graphs through {@link QuickCheck}; on graphs broken in the ways a buggy pass could break them it
 * must report exactly what {@link ReferenceVerifier}, the straightforward set-based checks, reports,
 * in the same order.
 */
class GraphVerifierEquivalenceTest {
    private static final int TRIALS = 400;

    @Test
    void reportsWhatTheSetBasedChecksReport() throws Exception {
        Random rnd = new Random(0x5eed);
        int broken = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            Graph g = SyntheticDecoder.build(2).graph();
            int corruptions = 1 + rnd.nextInt(3);
            List<String> done = new ArrayList<>();
            for (int c = 0; c < corruptions; c++) {
                try {
                    done.add(corrupt(g, rnd));
                } catch (IllegalStateException | IllegalArgumentException e) {
                    done.add("refused: " + e.getMessage()); // an earlier corruption tripped a mutator's own check
                }
            }
            List<String> expected = ReferenceVerifier.problems(g);
            assertEquals(expected, GraphVerifier.problems(g), "trial " + trial + " after " + done);
            broken += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(broken > TRIALS / 2, "most corruptions should be reported, got " + broken);
    }

    @Test
    void validGraphsHaveNoProblems() {
        Graph g = SyntheticDecoder.build(3).graph();
        assertEquals(List.of(), ReferenceVerifier.problems(g));
        assertEquals(List.of(), GraphVerifier.problems(g));
        assertTrue(QuickCheck.passes(g), "a valid graph takes the quick path");
    }

    /** Breaks one invariant, bypassing the checks of Graph's public methods; returns what it did. */
    @SuppressWarnings("unchecked")
    private static String corrupt(Graph g, Random rnd) throws Exception {
        List<Node> nodes = new ArrayList<>(g.nodes());
        List<Value> values = new ArrayList<>(g.values());
        Node n = nodes.get(rnd.nextInt(nodes.size()));
        Value v = values.get(rnd.nextInt(values.size()));
        Node other = nodes.get(rnd.nextInt(nodes.size()));
        switch (rnd.nextInt(11)) {
            case 0 -> {
                if (v.hasUses()) {
                    Use u = v.uses().get(rnd.nextInt(v.uses().size()));
                    v.removeUse(u.node(), u.inputIndex());
                }
                return "drop a use of " + v;
            }
            case 1 -> {
                v.addUse(new Use(n, rnd.nextInt(3)));
                return "bogus use of " + v + " by " + n;
            }
            case 2 -> {
                if (v.hasUses()) {
                    v.addUse(v.uses().get(rnd.nextInt(v.uses().size())));
                }
                return "duplicate a use of " + v;
            }
            case 3 -> {
                n.output(0).setProducer(rnd.nextBoolean() ? null : other, rnd.nextInt(2) - 1);
                return "re-produce " + n.output(0);
            }
            case 4 -> {
                g.valuesByName().remove(v.name());
                return "unregister " + v;
            }
            case 5 -> {
                g.valuesByName().put(v.name() + "_alias", v);
                return "alias " + v;
            }
            case 6 -> {
                v.setNameInternal(v.name() + "_renamed");
                return "rename " + v + " behind the table";
            }
            case 7 -> {
                nodeSet(g).remove(n);
                return "drop node " + n + " from the set";
            }
            case 8 -> {
                n.markRemoved();
                return "mark " + n + " removed";
            }
            case 9 -> {
                if (n.inputCount() > 0 && other.output(0) != null) {
                    n.setInput(0, other.output(0));
                }
                return "rewire " + n + " to " + other;
            }
            default -> {
                Graph foreign = new Graph("foreign");
                Value x = foreign.addInput(v.name(), null);
                outputList(g).add(rnd.nextBoolean() ? x : v);
                return "add an output";
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Set<Node> nodeSet(Graph g) throws Exception {
        Field f = Graph.class.getDeclaredField("nodes");
        f.setAccessible(true);
        return (Set<Node>) f.get(g);
    }

    @SuppressWarnings("unchecked")
    private static List<Value> outputList(Graph g) throws Exception {
        Field f = Graph.class.getDeclaredField("outputs");
        f.setAccessible(true);
        return (List<Value>) f.get(g);
    }
}
