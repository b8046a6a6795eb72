package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        String cycle = recursion(model);
        if (cycle != null) {
            out.add(cycle);
        }
        return out;
    }

    /**
     * A model-local function that calls itself, directly or through others (ONNX forbids it; inlining or
     * running it would never end), as one line naming the chain; null when there is none.
     */
    private static String recursion(Model model) {
        java.util.Map<String, Function> byKey = new java.util.HashMap<>();
        for (Function f : model.functions()) {
            byKey.put(key(f.domain(), f.name(), f.overload()), f);
        }
        java.util.Map<Function, Integer> state = new java.util.IdentityHashMap<>(); // 1 on the path, 2 done
        for (Function f : model.functions()) {
            List<String> path = new ArrayList<>();
            String found = visit(f, byKey, state, path);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String visit(Function f, java.util.Map<String, Function> byKey, java.util.Map<Function, Integer> state,
                                List<String> path) {
        Integer s = state.get(f);
        if (s != null && s == 2) {
            return null;
        }
        path.add(f.qualifiedName());
        if (s != null) {
            return "function '" + f.qualifiedName() + "' is recursive (" + String.join(" → ", path)
                    + "): ONNX functions must not call themselves";
        }
        if (path.size() > MAX_CALL_DEPTH) {
            return "model-local functions call each other more than " + MAX_CALL_DEPTH + " deep (from '" + path.get(0)
                    + "')";
        }
        state.put(f, 1);
        java.util.Deque<Graph> graphs = new java.util.ArrayDeque<>(List.of(f.body()));
        while (!graphs.isEmpty()) {
            for (Node n : graphs.pop().nodes()) {
                graphs.addAll(n.subgraphs());
                Function callee = byKey.get(key(n.domain(), n.opType(), n.overload()));
                if (callee != null) {
                    String found = visit(callee, byKey, state, path);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        state.put(f, 2);
        path.remove(path.size() - 1);
        return null;
    }

    /** Bounds the walk over call chains (it recurses once per call level). */
    private static final int MAX_CALL_DEPTH = 256;

    private static String key(String domain, String name, String overload) {
        return domain + "\u0000" + name + "\u0000" + (overload == null ? "" : overload);
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
        if (QuickCheck.passes(g)) {
            return;
        }
        // Membership and use lists are checked through flags in arrays indexed by the graph-unique node and
        // value ids, not through hash lookups and sets per check: at 100k nodes those dominated the pipeline's
        // verification. The messages and their order are those of the straightforward checks.
        // A node's graph is final and set by the graph that adds it, so ids of g.nodes() are in g's id space.
        boolean[] member = new boolean[g.nodeIdBound()];
        int[] slotBase = new int[member.length];
        int slots = 0;
        for (Node n : g.nodes()) {
            member[n.id] = true;
            slotBase[n.id] = slots;
            slots += n.inputCount();
        }
        boolean[] defined = new boolean[g.valueIdBound()];
        boolean[] underOwnName = new boolean[defined.length];
        boolean[] listed = new boolean[slots]; // input slot's value lists that use
        List<String> staleUses = new ArrayList<>();
        for (Map.Entry<String, Value> e : g.valuesByName().entrySet()) {
            Value v = e.getValue();
            boolean ownName = e.getKey().equals(v.name()) || g.value(v.name()) == v;
            if (!ownName) {
                out.add(where + ": value '" + v.name() + "' is registered under another name");
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
            defined[v.id] = true;
            underOwnName[v.id] |= ownName;
            checkInitializerType(v, out, where);
            // Reported after the node checks, as a walk of its own would.
            for (Use u : v.uses()) {
                if (!isNodeOf(g, u.node(), member) || u.node().input(u.inputIndex()) != v) {
                    staleUses.add(where + ": value '" + v.name() + "' lists a stale use by " + u.node() + " input "
                            + u.inputIndex());
                } else {
                    listed[slotBase[u.node().id] + u.inputIndex()] = true;
                }
            }
            if (v.producer() != null && !isNodeOf(g, v.producer(), member)) {
                staleUses.add(where + ": value '" + v.name() + "' is produced by removed node " + v.producer());
            }
        }
        for (Node n : g.nodes()) {
            if (n.graph() != g || n.isRemoved()) {
                out.add(where + ": node " + n + " does not belong to this graph");
            }
            for (int i = 0; i < n.inputCount(); i++) {
                Value in = n.input(i);
                if (in == null) {
                    continue;
                }
                if (!isDefined(g, in, defined)) {
                    out.add(where + ": node " + n + " input " + i + " '" + in.name() + "' names no value of this graph");
                } else if (!listed[slotBase[n.id] + i]) {
                    out.add(where + ": value '" + in.name() + "' does not list its use by " + n + " input " + i);
                }
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value o = n.output(i);
                if (o != null && (o.producer() != n || o.producerIndex() != i || !isDefined(g, o, underOwnName))) {
                    out.add(where + ": output " + i + " '" + o.name() + "' of " + n + " is not registered as produced by it");
                }
            }
            checkCast(n, out, where);
            for (Graph sub : n.subgraphs()) {
                check(sub, out, where + " > " + n + " subgraph '" + sub.name() + "'");
            }
        }
        out.addAll(staleUses);
        for (Value o : g.outputs()) {
            if (!isDefined(g, o, defined)) {
                out.add(where + ": graph output '" + o.name() + "' names no value of this graph");
            }
        }
        Optional<List<Node>> cycle = GraphViews.findCycle(g);
        cycle.ifPresent(c -> out.add(where + ": " + new GraphCycleException(c).getMessage()));
    }

    /** Whether {@code v}, a value of {@code g}'s id space, is flagged; values of other graphs never are. */
    private static boolean isDefined(Graph g, Value v, boolean[] flags) {
        return v.graph() == g && flags[v.id];
    }

    /** Whether {@code n} is in {@code g}'s node set, flagged in {@code member} by id. */
    private static boolean isNodeOf(Graph g, Node n, boolean[] member) {
        return n.graph() == g && member[n.id];
    }

    static void checkInitializerType(Value v, List<String> out, String where) {
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

    static void checkCast(Node n, List<String> out, String where) {
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
