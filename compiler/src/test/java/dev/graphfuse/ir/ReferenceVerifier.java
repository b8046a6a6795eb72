package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The graph checks as first written, with sets built per check: the oracle that
 * {@link GraphVerifierEquivalenceTest} holds the array-based {@link GraphVerifier} to, message for message.
 */
final class ReferenceVerifier {
    private ReferenceVerifier() {
    }

    static List<String> problems(Graph graph) {
        List<String> out = new ArrayList<>();
        check(graph, out, graph.name().isEmpty() ? "graph" : "graph '" + graph.name() + "'");
        return out;
    }

    private static void check(Graph g, List<String> out, String where) {
        Set<Value> defined = new HashSet<>();
        for (Value v : g.values()) {
            if (g.value(v.name()) != v) {
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
            defined.add(v);
            checkInitializerType(v, out, where);
        }
        Set<Node> nodes = new HashSet<>(g.nodes());
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
                if (!defined.contains(in)) {
                    out.add(where + ": node " + n + " input " + i + " '" + in.name() + "' names no value of this graph");
                } else if (!listsUse(in, new Use(n, i), useSets)) {
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
                if (!nodes.contains(u.node()) || u.node().input(u.inputIndex()) != v) {
                    out.add(where + ": value '" + v.name() + "' lists a stale use by " + u.node() + " input " + u.inputIndex());
                }
            }
            if (v.producer() != null && !nodes.contains(v.producer())) {
                out.add(where + ": value '" + v.name() + "' is produced by removed node " + v.producer());
            }
        }
        for (Value o : g.outputs()) {
            if (!defined.contains(o)) {
                out.add(where + ": graph output '" + o.name() + "' names no value of this graph");
            }
        }
        Optional<List<Node>> cycle = GraphViews.findCycle(g);
        cycle.ifPresent(c -> out.add(where + ": " + new GraphCycleException(c).getMessage()));
    }

    /** Above this many uses, a value's uses are looked up in a set, not scanned (shared constants have thousands). */
    private static final int USE_SCAN_LIMIT = 16;

    /** Whether {@code v} lists {@code use}; linear for few uses, a set built once per value otherwise. */
    private static boolean listsUse(Value v, Use use, Map<Value, Set<Use>> useSets) {
        List<Use> uses = v.uses();
        if (uses.size() <= USE_SCAN_LIMIT) {
            return uses.contains(use);
        }
        return useSets.computeIfAbsent(v, k -> new HashSet<>(uses)).contains(use);
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
        if (tt.shape().hasRank() && tt.shape().isStatic()
                && !Arrays.equals(tt.shape().dims().stream().mapToLong(d -> ((Dim.Fixed) d).size()).toArray(), t.dims())) {
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
