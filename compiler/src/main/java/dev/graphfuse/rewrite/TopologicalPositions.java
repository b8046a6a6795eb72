package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Use;
import dev.graphfuse.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topological position per node, kept valid across rewrites: a fused node takes the largest
 * position of the nodes it replaces, and when that would put it after one of its users the table is
 * marked stale and rebuilt on next use. Positions let the cycle check stop at nodes that cannot
 * reach the match. Linear time per rebuild; ties keep the graph's insertion order, so it is deterministic.
 */
final class TopologicalPositions {
    private final Graph graph;
    private final Map<Node, Integer> pos = new IdentityHashMap<>();
    private boolean stale = true;

    TopologicalPositions(Graph graph) {
        this.graph = graph;
    }

    /** Nodes in topological order (insertion order among ready nodes). */
    static List<Node> order(Graph graph) {
        // Mutable counters, never removed: one map lookup per edge (this runs once per sweep).
        Map<Node, int[]> pending = new IdentityHashMap<>(graph.nodeCount());
        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Node n : graph.nodes()) {
            int count = 0;
            for (Value in : n.inputs()) {
                if (in != null && in.producer() != null) {
                    count++;
                }
            }
            if (count == 0) {
                ready.add(n);
            } else {
                pending.put(n, new int[] {count});
            }
        }
        List<Node> out = new ArrayList<>(graph.nodeCount());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            out.add(n);
            for (Value o : n.outputs()) {
                if (o == null) {
                    continue;
                }
                for (Use u : o.uses()) {
                    int[] left = pending.get(u.node());
                    if (left != null && --left[0] == 0) {
                        ready.add(u.node());
                    }
                }
            }
        }
        if (out.size() != graph.nodeCount()) {
            throw new IllegalStateException("graph " + graph.name() + " has a cycle");
        }
        return out;
    }

    int of(Node n) {
        if (stale) {
            rebuild();
        }
        Integer p = pos.get(n);
        if (p == null) {
            rebuild();
            p = pos.get(n);
        }
        return p;
    }

    /** Records the position of a node that replaced {@code replaced}. */
    void placed(Node fused, int maxReplaced) {
        pos.put(fused, maxReplaced);
        for (Value o : fused.outputs()) {
            if (o == null) {
                continue;
            }
            for (Use u : o.uses()) {
                Integer p = pos.get(u.node());
                if (p == null || p <= maxReplaced) {
                    stale = true;
                    return;
                }
            }
        }
    }

    private void rebuild() {
        pos.clear();
        int i = 0;
        for (Node n : order(graph)) {
            pos.put(n, i++);
        }
        stale = false;
    }
}
