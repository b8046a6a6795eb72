package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks the IR invariants every pass must keep: each value produced once, use lists consistent
 * with node inputs, no dangling references, acyclic, and types consistent where they are known.
 * Subgraphs are checked recursively.
 */
public final class GraphVerifier {
    private GraphVerifier() {
    }

    /** All problems found, each one line; empty when the graph is valid. */
    public static List<String> problems(Graph graph) {
        List<String> out = new ArrayList<>();
        check(graph, out, graph.name().isEmpty() ? "graph" : "graph '" + graph.name() + "'");
        return out;
    }

    public static List<String> problems(Model model) {
        List<String> out = problems(model.graph());
        for (Function f : model.functions()) {
            check(f.body(), out, "function '" + f.qualifiedName() + "'");
        }
        return out;
    }

    /** Throws {@link IllegalStateException} listing the problems, if any. */
    public static void verify(Graph graph) {
        throwIfAny(problems(graph));
    }

    public static void verify(Model model) {
        throwIfAny(problems(model));
    }

    private static void throwIfAny(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("graph verification failed:\n  " + String.join("\n  ", problems));
        }
    }

    private static void check(Graph g, List<String> out, String where) {
        // Membership is decided through the graph's own tables (a value's name, a node's graph and removed
        // flag) rather than sets copied per check; a value registered under another name is the one case
        // where the name lookup and membership differ, and only then is the set built.
        boolean misregistered = false;
        for (Value v : g.values()) {
            if (g.value(v.name()) != v) {
                out.add(where + ": value '" + v.name() + "' is registered under another name");
                misregistered = true;
            }
            int definitions = (v.isGraphInput() && !v.isInitializer() ? 1 : 0) + (v.isInitializer() ? 1 : 0)
                    + (v.producer() != null ? 1 : 0) + (v.isCaptured() ? 1 : 0);
            if (definitions == 0) {
                out.add(where + ": value '" + v.name() + "' has no definition");
            } else if (definitions > 1) {
                out.add(where + ": value '" + v.name() + "' is defined more than once");
            }
            if (v.isCaptured() && (g.parent() == null || g.parent().resolve(v.name()) == null)) {
                out.add(where + ": captured value '" + v.name() + "' is not defined in an enclosing graph");
            }
            checkInitializerType(v, out, where);
        }
        Set<Value> definedSet = misregistered ? new HashSet<>(g.values()) : null;
        Predicate<Value> defined = definedSet != null ? definedSet::contains : v -> g.value(v.name()) == v;
        Map<Value, Set<Use>> useSets = new IdentityHashMap<>();
        for (Node n : g.nodes()) {
            if (n.graph() != g || n.isRemoved()) {
                out.add(where + ": node " + n + " does not belong to this graph");
            }
            for (int i = 0; i < n.inputCount(); i++) {
                Value in = n.input(i);
                if (in == null) {
                    continue;
                }
                if (!defined.test(in)) {
                    out.add(where + ": node " + n + " input " + i + " '" + in.name() + "' names no value of this graph");
                } else if (!listsUse(in, n, i, useSets)) {
                    out.add(where + ": value '" + in.name() + "' does not list its use by " + n + " input " + i);
                }
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value o = n.output(i);
                if (o != null && (o.producer() != n || o.producerIndex() != i || g.value(o.name()) != o)) {
                    out.add(where + ": output " + i + " '" + o.name() + "' of " + n + " is not registered as produced by it");
                }
            }
            checkCast(n, out, where);
            for (Graph sub : n.subgraphs()) {
                check(sub, out, where + " > " + n + " subgraph '" + sub.name() + "'");
            }
        }
        for (Value v : g.values()) {
            for (Use u : v.uses()) {
                if (!isNodeOf(g, u.node()) || u.node().input(u.inputIndex()) != v) {
                    out.add(where + ": value '" + v.name() + "' lists a stale use by " + u.node() + " input " + u.inputIndex());
                }
            }
            if (v.producer() != null && !isNodeOf(g, v.producer())) {
                out.add(where + ": value '" + v.name() + "' is produced by removed node " + v.producer());
            }
        }
        for (Value o : g.outputs()) {
            if (!defined.test(o)) {
                out.add(where + ": graph output '" + o.name() + "' names no value of this graph");
            }
        }
        Optional<List<Node>> cycle = GraphViews.findCycle(g);
        cycle.ifPresent(c -> out.add(where + ": " + new GraphCycleException(c).getMessage()));
    }

    /** Above this many uses, a value's uses are looked up in a set, not scanned (shared constants have thousands). */
    private static final int USE_SCAN_LIMIT = 16;

    /** Whether {@code v} lists its use by input {@code index} of {@code n}; a set built once per value for many uses. */
    private static boolean listsUse(Value v, Node n, int index, Map<Value, Set<Use>> useSets) {
        List<Use> uses = v.uses();
        if (uses.size() <= USE_SCAN_LIMIT) {
            for (Use u : uses) {
                if (u.node() == n && u.inputIndex() == index) {
                    return true;
                }
            }
            return false;
        }
        return useSets.computeIfAbsent(v, k -> new HashSet<>(uses)).contains(new Use(n, index));
    }

    /**
     * Whether {@code n} is in {@code g}'s node set: only {@link Graph#addNode} creates nodes and only
     * {@link Graph#removeNode} takes them out (marking them removed), so the node's own fields say.
     */
    private static boolean isNodeOf(Graph g, Node n) {
        return n.graph() == g && !n.isRemoved();
    }

    private static void checkInitializerType(Value v, List<String> out, String where) {
        Tensor t = v.initializer();
        if (t == null || !(v.type() instanceof ValueType.TensorType tt)) {
            return;
        }
        if (tt.elementType() != ElementType.UNDEFINED && tt.elementType() != t.elementType()) {
            out.add(where + ": initializer '" + v.name() + "' holds " + t.elementType().shortName()
                    + " data but is typed " + tt.elementType().shortName());
        }
        long[] declared = tt.shape().staticSizes();
        if (declared != null && !Arrays.equals(declared, t.dims())) {
            out.add(where + ": initializer '" + v.name() + "' has dims " + Arrays.toString(t.dims())
                    + " but is typed " + tt.shape());
        }
    }

    private static void checkCast(Node n, List<String> out, String where) {
        if (!n.is("Cast") || n.outputs().isEmpty() || n.output(0) == null) {
            return;
        }
        if (n.attribute("to") instanceof Attribute.IntAttr to) {
            ElementType declared = n.output(0).elementType();
            // 'to' is an int64 but type codes are int32: narrowed unchecked, 2^32 + 1 read as FLOAT (1).
            // A code in range that graphfuse does not know (a newer ONNX type) is no claim either way.
            long code = to.value();
            if (code != (int) code) {
                out.add(where + ": " + n + " casts to " + code + ", which is not an element type");
                return;
            }
            ElementType target = ElementType.fromCode((int) code);
            if (declared != null && target != null && declared != target) {
                out.add(where + ": " + n + " casts to " + target.shortName() + " but its output '"
                        + n.output(0).name() + "' is typed " + declared.shortName());
            }
        }
    }
}
