package dev.graphfuse.ir;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgrapht.graph.DefaultEdge;

/**
 * Immediate (post-)dominators of nodes of an acyclic graph. In a DAG processed in topological order
 * every predecessor's dominator is final when a node is reached, so one pass computing the nearest
 * common dominator of the predecessors suffices. A null idom means the virtual entry (exit).
 */
public final class Dominators {
    private final Map<Node, Node> idom;
    private final Map<Node, Integer> depth;

    private Dominators(Map<Node, Node> idom, Map<Node, Integer> depth) {
        this.idom = idom;
        this.depth = depth;
    }

    static Dominators compute(Graph graph, List<Node> topo, org.jgrapht.Graph<Node, DefaultEdge> deps, boolean post) {
        Map<Node, Node> idom = new HashMap<>();
        Map<Node, Integer> depth = new HashMap<>();
        int n = topo.size();
        for (int k = 0; k < n; k++) {
            Node node = topo.get(post ? n - 1 - k : k);
            var edges = post ? deps.outgoingEdgesOf(node) : deps.incomingEdgesOf(node);
            Node dom = null;
            boolean first = true;
            boolean fromEntry = edges.isEmpty();
            for (DefaultEdge e : edges) {
                Node pred = post ? deps.getEdgeTarget(e) : deps.getEdgeSource(e);
                if (first) {
                    dom = pred;
                    first = false;
                } else {
                    dom = intersect(dom, pred, idom, depth);
                }
                if (dom == null) {
                    break;
                }
            }
            if (fromEntry) {
                dom = null;
            }
            idom.put(node, dom);
            depth.put(node, dom == null ? 1 : depth.get(dom) + 1);
        }
        return new Dominators(idom, depth);
    }

    private static Node intersect(Node a, Node b, Map<Node, Node> idom, Map<Node, Integer> depth) {
        while (a != b) {
            if (a == null || b == null) {
                return null;
            }
            int da = depth.get(a);
            int db = depth.get(b);
            if (da >= db) {
                a = idom.get(a);
            } else {
                b = idom.get(b);
            }
        }
        return a;
    }

    /** The immediate dominator of {@code n}, or null when only the virtual root dominates it. */
    public Node immediateDominator(Node n) {
        if (!idom.containsKey(n)) {
            throw new IllegalArgumentException("node " + n + " is not in this dominator tree");
        }
        return idom.get(n);
    }

    /** True when every path from the root to {@code b} passes through {@code a} (a node dominates itself). */
    public boolean dominates(Node a, Node b) {
        for (Node x = b; x != null; x = idom.get(x)) {
            if (x == a) {
                return true;
            }
        }
        return false;
    }
}
