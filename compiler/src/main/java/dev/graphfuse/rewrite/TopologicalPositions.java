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
 * A topological position per node, kept valid across rewrites: a fused node is placed between its
 * last producer and its first user (positions are doubles, so there is always room); only when no
 * such gap exists is the table marked stale and rebuilt on next use. Positions let the cycle check
 * stop at nodes that cannot reach the match. Linear time per rebuild; ties keep the graph's
 * insertion order, so it is deterministic.
 */
final class TopologicalPositions {
    private final Graph graph;
    private Map<Node, Double> pos = new IdentityHashMap<>();
    private boolean stale = true;

    TopologicalPositions(Graph graph) {
        this.graph = graph;
    }

    /** Nodes in topological order (insertion order among ready nodes). */
    static List<Node> order(Graph graph) {
        return dev.graphfuse.ir.GraphViews.insertionTopologicalOrder(graph);
    }

    double of(Node n) {
        if (stale) {
            rebuild();
        }
        Double p = pos.get(n);
        if (p == null) {
            rebuild();
            p = pos.get(n);
        }
        return p;
    }

    /** Places a node that replaced others: after every producer of its inputs, before every user. */
    void placed(Node fused) {
        if (stale) {
            return;
        }
        double after = Double.NEGATIVE_INFINITY;
        for (Value in : fused.inputs()) {
            if (in != null && in.producer() != null) {
                Double p = pos.get(in.producer());
                if (p == null) {
                    stale = true;
                    return;
                }
                after = Math.max(after, p);
            }
        }
        double before = Double.POSITIVE_INFINITY;
        for (Value o : fused.outputs()) {
            if (o == null) {
                continue;
            }
            for (Use u : o.uses()) {
                Double p = pos.get(u.node());
                if (p == null) {
                    stale = true;
                    return;
                }
                before = Math.min(before, p);
            }
        }
        double at;
        if (after == Double.NEGATIVE_INFINITY && before == Double.POSITIVE_INFINITY) {
            at = 0;
        } else if (after == Double.NEGATIVE_INFINITY) {
            at = before - 1;
        } else if (before == Double.POSITIVE_INFINITY) {
            at = after + 1;
        } else {
            at = after + (before - after) / 2;
        }
        if (!(after < at && at < before)) {
            stale = true;
            return;
        }
        pos.put(fused, at);
    }

    private void rebuild() {
        List<Node> order = order(graph);
        // Sized up front: growing to a large graph's node count rehashed every entry a dozen times.
        pos = new IdentityHashMap<>(order.size());
        double i = 0;
        for (Node n : order) {
            pos.put(n, i++);
        }
        stale = false;
    }
}
