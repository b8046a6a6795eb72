package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.NodeKey;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorKey;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges nodes that compute the same thing: same op, the very same input values and equal
 * attributes. Exporters repeat shape plumbing per layer and per use (vLLM's "coalesce equivalent
 * splits" is the same idea), and a pattern matcher that sees one Split instead of three equal ones
 * needs no alternatives. Equal constants (Constant nodes and initializers) are merged too, so that
 * merging can continue into the nodes that read them.
 *
 * <p>Nodes are visited in the deterministic topological order; the first of a set of equal nodes
 * stays. A duplicate whose output is a graph output, or is read by name from a subgraph, stays as
 * it is: removing it would rename a graph output or orphan the subgraph's reference.
 */
public final class CommonSubexpressionPass implements Pass {
    /** Constants are compared byte by byte; beyond this size equal constants are rare and costly to find. */
    static final long MAX_CONSTANT_ELEMENTS = 64;
    /**
     * Larger constants are compared only with constants of the same element type and dims, up to this
     * size: an exporter that folds a RoPE table once per use writes equal copies of it (Gemma 4 rotates q
     * and k in two calls, and a static-shape export folds each call's cos / sin), and a fused QK op needs
     * both sides to read one table. Weights of one shape are read and compared only when they share it.
     */
    static final long MAX_LARGE_CONSTANT_ELEMENTS = 1L << 20;

    private static final Set<String> NON_DETERMINISTIC = Set.of("RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli");

    @Override
    public String name() {
        return "cse";
    }

    @Override
    public String summary() {
        return "merge nodes with the same op, inputs and attributes, and equal small constants";
    }

    @Override
    public void run(Model model, PassContext context) {
        RuleStats nodes = context.stats(Canonicalize.STATS_PASS, "cse");
        RuleStats constants = context.stats(Canonicalize.STATS_PASS, "cse-constant");
        for (Graph g : GraphScopes.graphs(model, true)) {
            new GraphCse(g, nodes, constants).run();
        }
    }

    private static final class GraphCse {
        private final Graph g;
        private final RuleStats nodeStats;
        private final RuleStats constantStats;
        private final Map<TensorKey, Value> constants = new HashMap<>();
        private final Map<NodeKey, Node> seen = new HashMap<>();

        GraphCse(Graph g, RuleStats nodeStats, RuleStats constantStats) {
            this.g = g;
            this.nodeStats = nodeStats;
            this.constantStats = constantStats;
        }

        void run() {
            mergeLargeConstants();
            // initializers first, by name, so the kept one does not depend on node order
            List<Value> inits = new ArrayList<>(g.initializers());
            inits.sort(Comparator.comparing(Value::name));
            for (Value v : inits) {
                Tensor t = v.initializer();
                if (t != null && !v.isGraphInput() && isSmall(t)) {
                    mergeConstant(v, TensorKey.of(t), null);
                }
            }
            for (Node n : GraphViews.topologicalOrder(g)) {
                Tensor t = n.constantTensor();
                // one output, as ONNX defines Constant (a hostile model may list more: found by fuzzing)
                if (t != null && isSmall(t) && n.output(0) != null && n.outputs().size() == 1) {
                    mergeConstant(n.output(0), TensorKey.of(t), n);
                } else {
                    mergeNode(n);
                }
            }
        }

        private record Constant(Value value, Tensor tensor, Node producer) {}

        private record TypeAndDims(ElementType type, List<Long> dims) {
            static TypeAndDims of(Tensor t) {
                List<Long> dims = new ArrayList<>(t.rank());
                for (long d : t.dims()) {
                    dims.add(d);
                }
                return new TypeAndDims(t.elementType(), dims);
            }
        }

        /**
         * Equal constants above the small-constant size: grouped by type and dims first, so that only
         * constants with a twin of their shape have their bytes read. Before the node walk, so that nodes
         * reading two equal copies become equal too.
         */
        private void mergeLargeConstants() {
            Map<TypeAndDims, List<Constant>> groups = new LinkedHashMap<>();
            List<Value> inits = new ArrayList<>(g.initializers());
            inits.sort(Comparator.comparing(Value::name));
            for (Value v : inits) {
                Tensor t = v.initializer();
                if (t != null && !v.isGraphInput() && isLarge(t)) {
                    groups.computeIfAbsent(TypeAndDims.of(t), k -> new ArrayList<>()).add(new Constant(v, t, null));
                }
            }
            for (Node n : GraphViews.topologicalOrder(g)) {
                Tensor t = n.constantTensor();
                if (t != null && isLarge(t) && n.output(0) != null && n.outputs().size() == 1) {
                    groups.computeIfAbsent(TypeAndDims.of(t), k -> new ArrayList<>()).add(new Constant(n.output(0), t, n));
                }
            }
            for (List<Constant> group : groups.values()) {
                if (group.size() < 2) {
                    continue;
                }
                for (Constant c : group) {
                    mergeConstant(c.value(), TensorKey.of(c.tensor()), c.producer());
                }
            }
        }

        private static boolean isLarge(Tensor t) {
            return t.elementType() != ElementType.STRING && t.elementCount() > MAX_CONSTANT_ELEMENTS
                    && t.elementCount() <= MAX_LARGE_CONSTANT_ELEMENTS;
        }

        private static boolean isSmall(Tensor t) {
            return t.elementType() != ElementType.STRING && t.elementCount() <= MAX_CONSTANT_ELEMENTS;
        }

        /** {@code producer} is the Constant node defining {@code v}, or null for an initializer. */
        private void mergeConstant(Value v, TensorKey key, Node producer) {
            constantStats.countCandidate();
            Value kept = constants.putIfAbsent(key, v);
            if (kept == null) {
                return;
            }
            constantStats.countMatched();
            if (!removable(v, constantStats)) {
                return;
            }
            v.replaceAllUsesWith(kept);
            if (producer != null) {
                g.removeNode(producer);
            } else {
                g.removeInitializer(v);
            }
            constantStats.countRewritten();
        }

        private void mergeNode(Node n) {
            if (n.outputs().isEmpty()) {
                return;
            }
            nodeStats.countCandidate();
            if (!isDeterministic(n)) {
                nodeStats.countRejected("non-deterministic");
                return;
            }
            NodeKey key = NodeKey.of(n, in -> in);
            if (key == null) {
                nodeStats.countRejected("subgraph");
                return;
            }
            Node kept = seen.putIfAbsent(key, n);
            if (kept == null) {
                return;
            }
            nodeStats.countMatched();
            for (int i = 0; i < n.outputs().size(); i++) {
                Value dup = n.output(i);
                if (dup == null) {
                    continue;
                }
                if (kept.output(i) == null) {
                    nodeStats.countRejected("omitted-output");
                    return;
                }
                if (!removable(dup, nodeStats)) {
                    return;
                }
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                if (n.output(i) != null) {
                    n.output(i).replaceAllUsesWith(kept.output(i));
                }
            }
            g.removeNode(n);
            nodeStats.countRewritten();
        }

        private boolean removable(Value dup, RuleStats stats) {
            if (dup.isGraphOutput()) {
                stats.countRejected("graph-output");
                return false;
            }
            if (dup.isReadBySubgraph()) {
                stats.countRejected("captured-by-subgraph");
                return false;
            }
            return true;
        }

        /** Random ops differ per call; Dropout does only when training_mode may be true. */
        private static boolean isDeterministic(Node n) {
            if (!n.domain().isEmpty()) {
                return true;
            }
            if (NON_DETERMINISTIC.contains(n.opType())) {
                return false;
            }
            if (n.is("Dropout") && n.input(2) != null) {
                Tensor mode = n.input(2).constant();
                return mode != null && mode.elementCount() == 1 && mode.elementType() == ElementType.BOOL
                        && mode.bytes().get(0) == 0;
            }
            return true;
        }
    }
}
