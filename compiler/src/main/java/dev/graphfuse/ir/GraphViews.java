package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jgrapht.alg.cycle.CycleDetector;
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

    /** Dominator tree over the node dependency graph, rooted at a virtual entry before all sources. */
    public static Dominators dominators(Graph graph) {
        return Dominators.compute(graph, topologicalOrder(graph), dependencies(graph), false);
    }

    /** Post-dominator tree: rooted at a virtual exit after all sinks. */
    public static Dominators postDominators(Graph graph) {
        return Dominators.compute(graph, topologicalOrder(graph), dependencies(graph), true);
    }
}
