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
import java.util.HashSet;
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
        /** The first constant of each type and dims above the small size, not yet read. */
        private final Map<TypeAndDims, Pending> firstOfShape = new HashMap<>();
        /** Type and dims whose constants are compared as they come. */
        private final Set<TypeAndDims> compared = new HashSet<>();

        GraphCse(Graph g, RuleStats nodeStats, RuleStats constantStats) {
            this.g = g;
            this.nodeStats = nodeStats;
            this.constantStats = constantStats;
        }

        void run() {
            // initializers first, by name, so the kept one does not depend on node order
            List<Value> inits = new ArrayList<>(g.initializers());
            inits.sort(Comparator.comparing(Value::name));
            for (Value v : inits) {
                Tensor t = v.initializer();
                if (t != null && !v.isGraphInput()) {
                    considerConstant(v, t, null);
                }
            }
            for (Node n : GraphViews.topologicalOrder(g)) {
                Tensor t = n.constantTensor();
                // one output, as ONNX defines Constant (a hostile model may list more: found by fuzzing)
                boolean constant = t != null && n.output(0) != null && n.outputs().size() == 1;
                if (!constant || !considerConstant(n.output(0), t, n)) {
                    mergeNode(n);
                }
            }
        }

        private record Pending(Value value, Tensor tensor, Node producer) {}

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
         * A small constant is compared at once. A larger one is read only once a second constant of its type
         * and dims shows up (then both are), so a weight without a same-shaped twin is never read. Either way
         * it is merged before the nodes that read it are visited, so those can become equal too. False when
         * it was not compared (yet): a Constant node then goes through node CSE as before.
         */
        private boolean considerConstant(Value v, Tensor t, Node producer) {
            if (t.elementType() == ElementType.STRING || t.elementCount() > MAX_LARGE_CONSTANT_ELEMENTS) {
                return false;
            }
            if (t.elementCount() <= MAX_CONSTANT_ELEMENTS) {
                mergeConstant(v, TensorKey.of(t), producer);
                return true;
            }
            TypeAndDims shape = TypeAndDims.of(t);
            if (!compared.contains(shape)) {
                Pending first = firstOfShape.putIfAbsent(shape, new Pending(v, t, producer));
                if (first == null) {
                    return false;
                }
                compared.add(shape);
                mergeConstant(first.value(), TensorKey.of(first.tensor()), first.producer());
            }
            mergeConstant(v, TensorKey.of(t), producer);
            return true;
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
