package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.AsSubgraph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

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
            for (String read : SubgraphReads.of(n)) {
                addDependency(g, graph.value(read), n);
            }
        }
        return g;
    }

    private static void addDependency(org.jgrapht.Graph<Node, DefaultEdge> g, Value in, Node user) {
        if (in != null && in.producer() != null && g.containsVertex(in.producer())) {
            g.addEdge(in.producer(), user);
        }
    }

    /**
     * Nodes in deterministic topological order: among ready nodes the smallest {@link Node#orderKey()}
     * comes first. Throws {@link GraphCycleException} when the graph has a cycle.
     */
    public static List<Node> topologicalOrder(Graph graph) {
        Csr csr = Csr.of(graph);
        int n = csr.nodes.length;
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = csr.nodes[i].orderKey();
        }
        // Kahn's algorithm with a heap of node indices: linear apart from the key comparisons.
        KeyHeap ready = new KeyHeap(keys);
        int[] inDegree = csr.inDegree.clone();
        for (int i = 0; i < n; i++) {
            if (inDegree[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(csr.nodes[i]);
            for (int e = csr.start[i]; e < csr.start[i + 1]; e++) {
                if (--inDegree[csr.users[e]] == 0) {
                    ready.add(csr.users[e]);
                }
            }
        }
        if (order.size() != n) {
            throw new GraphCycleException(findCycle(dependencies(graph)).orElse(List.of()));
        }
        return order;
    }

    /** Some nodes on a cycle, ordered by key, or empty when the graph is acyclic. */
    public static Optional<List<Node>> findCycle(Graph graph) {
        // JGraphT's CycleDetector is quadratic on deep graphs (each back-edge probe scans the DFS path):
        // decide acyclicity in linear time, and only build the view to name the cycle when there is one.
        if (isAcyclic(graph)) {
            return Optional.empty();
        }
        return findCycle(dependencies(graph));
    }

    /**
     * Nodes in a topological order where ready nodes keep the graph's insertion order: deterministic for
     * a given graph and cheaper than {@link #topologicalOrder} (no key comparisons), for passes that
     * only need some valid order. Throws {@link GraphCycleException} when the graph has a cycle.
     */
    public static List<Node> insertionTopologicalOrder(Graph graph) {
        Csr csr = Csr.of(graph);
        int[] order = kahn(csr);
        if (order.length != csr.nodes.length) {
            throw new GraphCycleException(findCycle(dependencies(graph)).orElse(List.of()));
        }
        List<Node> out = new ArrayList<>(order.length);
        for (int i : order) {
            out.add(csr.nodes[i]);
        }
        return out;
    }

    /** Kahn's algorithm over the same edges as {@link #dependencies}: true when every node gets ordered. */
    static boolean isAcyclic(Graph graph) {
        Csr csr = Csr.of(graph);
        return kahn(csr).length == csr.nodes.length;
    }

    /** Node indices in Kahn order (ready nodes by index); shorter than the node count when there is a cycle. */
    private static int[] kahn(Csr csr) {
        return kahn(csr.nodes.length, csr.start, csr.users, csr.inDegree.clone());
    }

    /**
     * Kahn's algorithm over compressed rows (users of node i are {@code users[start[i]..start[i+1])});
     * consumes {@code inDegree}. Node indices in Kahn order, shorter than {@code n} when there is a cycle.
     */
    static int[] kahn(int n, int[] start, int[] users, int[] inDegree) {
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (inDegree[i] == 0) {
                queue[tail++] = i;
            }
        }
        while (head < tail) {
            int x = queue[head++];
            for (int e = start[x]; e < start[x + 1]; e++) {
                if (--inDegree[users[e]] == 0) {
                    queue[tail++] = users[e];
                }
            }
        }
        return Arrays.copyOf(queue, tail);
    }

    /** The dependency edges grouped by producer (compressed rows): users of node i are users[start[i]..start[i+1]). */
    private record Csr(Node[] nodes, int[] start, int[] users, int[] inDegree) {
        static Csr of(Graph graph) {
            Node[] nodes = graph.nodes().toArray(new Node[0]);
            // position + 1 by node id (0: not a node of this graph), instead of a map from nodes
            int[] index = new int[graph.nodeIdBound()];
            for (int i = 0; i < nodes.length; i++) {
                index[nodes[i].id] = i + 1;
            }
            Edges edges = new Edges(graph, index, nodes.length);
            for (int c = 0; c < nodes.length; c++) {
                Node n = nodes[c];
                for (int k = 0, inputs = n.inputCount(); k < inputs; k++) {
                    edges.add(n.input(k), c);
                }
                for (String read : SubgraphReads.of(n)) {
                    edges.add(graph.value(read), c);
                }
            }
            int[] start = new int[nodes.length + 1];
            for (int e = 0; e < edges.size; e++) {
                start[edges.from[e] + 1]++;
            }
            for (int i = 0; i < nodes.length; i++) {
                start[i + 1] += start[i];
            }
            int[] next = Arrays.copyOf(start, nodes.length);
            int[] users = new int[edges.size];
            for (int e = 0; e < edges.size; e++) {
                users[next[edges.from[e]]++] = edges.to[e];
            }
            return new Csr(nodes, start, users, edges.inDegree);
        }
    }

    /** Dependency edges by node index, as {@link #addDependency} would add them (parallel edges kept). */
    private static final class Edges {
        private final Graph graph;
        private final int[] index;
        int[] from;
        int[] to;
        final int[] inDegree;
        int size;

        Edges(Graph graph, int[] index, int nodes) {
            this.graph = graph;
            this.index = index;
            from = new int[Math.max(16, nodes * 2)];
            to = new int[from.length];
            inDegree = new int[nodes];
        }

        void add(Value in, int user) {
            Node producer = in == null ? null : in.producer();
            if (producer == null || producer.graph() != graph) {
                return;
            }
            int p = index[producer.id] - 1;
            if (p < 0) {
                return;
            }
            if (size == from.length) {
                from = Arrays.copyOf(from, size * 2);
                to = Arrays.copyOf(to, size * 2);
            }
            from[size] = p;
            to[size] = user;
            size++;
            inDegree[user]++;
        }
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
