package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * JGraphT views of an IR graph (a view, not the IR): node-to-node dependency graphs for topological
 * order, cycle detection and dominators. A node that holds a subgraph depends on the producers of
 * every value the subgraph captures.
 */
public final class GraphViews {
    /** Ties in topological order are broken by {@link Node#orderKey()}, so order never depends on insertion. */
    public static final Comparator<Node> ORDER = Comparator.comparing(Node::orderKey);

    private GraphViews() {
    }

    /** The dependency graph: an edge p → c when c reads a value p produces (directly or via a subgraph). */
    public static org.jgrapht.Graph<Node, DefaultEdge> dependencies(Graph graph) {
        var g = new DefaultDirectedGraph<Node, DefaultEdge>(DefaultEdge.class);
        for (Node n : graph.nodes()) {
            g.addVertex(n);
        }
        for (Node n : graph.nodes()) {
            for (Value in : n.inputs()) {
                addDependency(g, in, n);
            }
            for (Graph sub : n.subgraphs()) {
                for (String captured : capturedNames(sub)) {
                    addDependency(g, graph.value(captured), n);
                }
            }
        }
        return g;
    }

    private static void addDependency(org.jgrapht.Graph<Node, DefaultEdge> g, Value in, Node user) {
        if (in != null && in.producer() != null && g.containsVertex(in.producer())) {
            g.addEdge(in.producer(), user);
        }
    }

    /** Names a subgraph (or its nested subgraphs) reads from enclosing scopes. */
    public static List<String> capturedNames(Graph sub) {
        List<String> out = new ArrayList<>();
        collectCaptured(sub, out);
        return out;
    }

    private static void collectCaptured(Graph sub, List<String> out) {
        for (Value v : sub.values()) {
            if (v.isCaptured()) {
                out.add(v.name());
            }
        }
        for (Node n : sub.nodes()) {
            for (Graph nested : n.subgraphs()) {
                List<String> inner = new ArrayList<>();
                collectCaptured(nested, inner);
                for (String name : inner) {
                    if (!sub.hasValue(name)) {
                        out.add(name);
                    }
                }
            }
        }
    }

    /**
     * Nodes in deterministic topological order: among ready nodes the smallest {@link Node#orderKey()}
     * comes first. Throws {@link GraphCycleException} when the graph has a cycle.
     */
    public static List<Node> topologicalOrder(Graph graph) {
        var deps = dependencies(graph);
        List<Node> order = new ArrayList<>(graph.nodeCount());
        try {
            new TopologicalOrderIterator<>(deps, ORDER).forEachRemaining(order::add);
        } catch (IllegalArgumentException e) {
            throw new GraphCycleException(findCycle(deps).orElse(List.of()));
        }
        return order;
    }

    /** Some nodes on a cycle, ordered by key, or empty when the graph is acyclic. */
    public static Optional<List<Node>> findCycle(Graph graph) {
        return findCycle(dependencies(graph));
    }

    private static Optional<List<Node>> findCycle(org.jgrapht.Graph<Node, DefaultEdge> deps) {
        var detector = new CycleDetector<>(deps);
        if (!detector.detectCycles()) {
            return Optional.empty();
        }
        List<Node> cyc = new ArrayList<>(detector.findCycles());
        cyc.sort(ORDER);
        return Optional.of(cyc);
    }

    /**
     * The first cycle to close when the nodes are read in {@code order} (a file's order): the
     * closing node, the first one by which the nodes read so far form a cycle, followed by the other
     * nodes on cycles through it, ordered by key. Empty when the graph is acyclic. For pointing an
     * error at the place where a cycle became one, rather than at some node on it.
     */
    public static Optional<List<Node>> firstCycle(Graph graph, List<Node> order) {
        var deps = dependencies(graph);
        if (!new CycleDetector<>(deps).detectCycles()) {
            return Optional.empty();
        }
        if (order.isEmpty() || !new CycleDetector<>(new AsSubgraph<>(deps, new HashSet<>(order))).detectCycles()) {
            return findCycle(deps); // the cycle is among nodes outside order
        }
        // "the first k nodes contain a cycle" is monotone in k: binary search for the least k
        int lo = 1;
        int hi = order.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (new CycleDetector<>(new AsSubgraph<>(deps, new HashSet<>(order.subList(0, mid)))).detectCycles()) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Node closing = order.get(lo - 1);
        var prefix = new AsSubgraph<>(deps, new HashSet<>(order.subList(0, lo)));
        List<Node> others = new ArrayList<>(new CycleDetector<>(prefix).findCyclesContainingVertex(closing));
        others.remove(closing);
        others.sort(ORDER);
        List<Node> out = new ArrayList<>(others.size() + 1);
        out.add(closing);
        out.addAll(others);
        return Optional.of(out);
    }

    /** Dominator tree over the node dependency graph, rooted at a virtual entry before all sources. */
    public static Dominators dominators(Graph graph) {
        return Dominators.compute(graph, topologicalOrder(graph), dependencies(graph), false);
    }

    /** Post-dominator tree: rooted at a virtual exit after all sinks. */
    public static Dominators postDominators(Graph graph) {
        return Dominators.compute(graph, topologicalOrder(graph), dependencies(graph), true);
    }
}
