package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The common case of {@link GraphVerifier}: a yes-or-don't-know answer to "would the full check
 * report nothing?", checking the same conditions with fewer trips through memory. The full check
 * walks use lists in the value table's hash order, which jumps across the heap; here they are walked
 * from their producers in node order (values sit near the nodes that make them), and the dependency
 * edges for the cycle check are read off the same walk. Anything unusual (a problem of any kind,
 * captured values, subgraphs) answers false and leaves the messages to the full check.
 */
final class QuickCheck {
    private QuickCheck() {
    }

    /** True only when {@code GraphVerifier}'s full check of {@code g} would report no problem. */
    static boolean passes(Graph g) {
        Node[] nodes = g.nodes().toArray(new Node[0]);
        int[] position = new int[g.nodeIdBound()]; // index in nodes + 1; 0 for nodes not in g
        int[] slotBase = new int[nodes.length];
        int slots = 0;
        for (int c = 0; c < nodes.length; c++) {
            Node n = nodes[c];
            if (n.graph() != g || n.isRemoved() || !n.subgraphs().isEmpty()) {
                return false;
            }
            position[n.id] = c + 1;
            slotBase[c] = slots;
            slots += n.inputCount();
        }
        boolean[] defined = new boolean[g.valueIdBound()];
        int values = 0;
        List<String> scratch = new ArrayList<>(0);
        for (var e : g.valuesByName().entrySet()) {
            Value v = e.getValue();
            // Every key its value's own name: values are then distinct, and each is under its own name. A
            // value with a producer is reached below only from that producer, so an outside one is caught there.
            if (!e.getKey().equals(v.name()) || v.isCaptured() || definitions(v) != 1) {
                return false;
            }
            GraphVerifier.checkInitializerType(v, scratch, "");
            if (!scratch.isEmpty()) {
                return false;
            }
            defined[v.id] = true;
            values++;
        }
        Walk walk = new Walk(g, position, slotBase, slots, nodes.length, defined.length);
        int inputsInUse = 0;
        for (int c = 0; c < nodes.length; c++) {
            Node n = nodes[c];
            walk.start[c] = walk.edges;
            for (int i = 0; i < n.outputs().size(); i++) {
                Value o = n.output(i);
                if (o != null && (o.producer() != n || o.producerIndex() != i || !isDefined(g, o, defined)
                        || !walk.uses(o, true))) {
                    return false;
                }
            }
            for (int i = 0; i < n.inputCount(); i++) {
                if (n.input(i) != null) {
                    inputsInUse++;
                }
            }
            GraphVerifier.checkCast(n, scratch, "");
            if (!scratch.isEmpty()) {
                return false;
            }
        }
        walk.start[nodes.length] = walk.edges;
        for (Iterable<Value> rest : List.of(g.inputs(), g.initializers())) {
            for (Value v : rest) {
                if (isDefined(g, v, defined) && !walk.uses(v, false)) {
                    return false;
                }
            }
        }
        // Every value walked, and every input slot in use claimed by a distinct valid use: then each input
        // is a defined value that lists it, and the edges read off the uses are all the dependency edges.
        if (walk.values != values || walk.claimed != inputsInUse) {
            return false;
        }
        for (Value o : g.outputs()) {
            if (!isDefined(g, o, defined)) {
                return false;
            }
        }
        return GraphViews.kahn(nodes.length, walk.start, Arrays.copyOf(walk.users, walk.edges), walk.inDegree).length
                == nodes.length;
    }

    private static int definitions(Value v) {
        return (v.isGraphInput() && !v.isInitializer() ? 1 : 0) + (v.isInitializer() ? 1 : 0)
                + (v.producer() != null ? 1 : 0) + (v.isCaptured() ? 1 : 0);
    }

    private static boolean isDefined(Graph g, Value v, boolean[] defined) {
        return v.graph() == g && defined[v.id];
    }

    /** Use lists walked so far: input slots they claim, and (for node outputs) dependency edges in rows. */
    private static final class Walk {
        private final Graph g;
        private final int[] position;
        private final int[] slotBase;
        private final boolean[] claimedSlot;
        private final boolean[] walked;
        final int[] start;
        int[] users;
        final int[] inDegree;
        int edges;
        int claimed;
        int values;

        Walk(Graph g, int[] position, int[] slotBase, int slots, int nodes, int valueIds) {
            this.g = g;
            this.position = position;
            this.slotBase = slotBase;
            this.claimedSlot = new boolean[slots];
            this.walked = new boolean[valueIds];
            this.start = new int[nodes + 1];
            this.users = new int[Math.max(16, slots)];
            this.inDegree = new int[nodes];
        }

        /**
         * Whether every use {@code v} lists is a distinct input slot, not claimed before, of a node of
         * {@code g} that holds {@code v}; claims them, and with {@code edges} adds an edge per use.
         */
        boolean uses(Value v, boolean edges) {
            if (walked[v.id]) {
                return true;
            }
            walked[v.id] = true;
            values++;
            for (Use u : v.uses()) {
                Node user = u.node();
                int at = user.graph() == g ? position[user.id] - 1 : -1;
                if (at < 0 || user.input(u.inputIndex()) != v) {
                    return false;
                }
                int slot = slotBase[at] + u.inputIndex();
                if (claimedSlot[slot]) {
                    return false;
                }
                claimedSlot[slot] = true;
                claimed++;
                if (edges) {
                    if (this.edges == users.length) {
                        users = Arrays.copyOf(users, this.edges * 2);
                    }
                    users[this.edges++] = at;
                    inDegree[at]++;
                }
            }
            return true;
        }
    }
}
