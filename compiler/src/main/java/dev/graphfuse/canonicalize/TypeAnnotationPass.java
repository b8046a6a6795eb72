package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.List;

/**
 * Writes the element types and shapes {@link StaticTypes} can prove (static, or with symbolic dims) onto
 * values that declare none. TorchScript exports declare only graph inputs and outputs; patterns that compute attributes
 * from shapes ({@code dim(q, -2)}) or constrain types need them. Declared types are never changed.
 */
final class TypeAnnotationPass implements dev.graphfuse.pass.Pass {
    @Override
    public String name() {
        return "infer-types";
    }

    @Override
    public String summary() {
        return "annotate values without a declared type with the type and static shape that can be proved";
    }

    @Override
    public void run(Model model, PassContext context) {
        RuleStats stats = context.stats(Canonicalize.STATS_PASS, "infer-types");
        if (!anyUntyped(model.graph())) {
            return; // no candidates: inference would be work nobody reads
        }
        // Annotations do not depend on the visiting order (each value gets its own proven type).
        List<Node> order = GraphViews.insertionTopologicalOrder(model.graph());
        StaticTypes types = StaticTypes.of(order);
        for (Node n : order) {
            for (Value v : n.outputs()) {
                if (!untyped(v)) {
                    continue;
                }
                stats.countCandidate();
                ElementType et = v.elementType() != null ? v.elementType() : types.elementType(v);
                // static when proved, else symbolic ([1, seq, 4, 64] of a dynamic-axis TorchScript export)
                long[] dims = types.dims(v);
                Shape shape = dims != null ? Shape.of(dims) : types.shape(v);
                if (et == null || !shape.hasRank()) {
                    stats.countRejected(et == null ? "element-type-unknown" : "shape-unknown");
                    if (et != null && v.type() == null && !v.isGraphOutput()) {
                        // the element type alone still types a value for ONNX Runtime, whose graphfuse ops
                        // take a norm's output type from the model (it may differ from X's); the graph's
                        // outputs are its interface, declared by the exporter or not at all
                        v.setType(ValueType.tensor(et, Shape.UNKNOWN_RANK));
                    }
                    continue;
                }
                v.setType(ValueType.tensor(et, shape));
                stats.countMatched();
                stats.countRewritten();
            }
        }
    }

    private static boolean untyped(Value v) {
        return v != null && (v.type() == null || !v.shape().hasRank());
    }

    private static boolean anyUntyped(Graph g) {
        for (Node n : g.nodes()) {
            for (int i = 0; i < n.outputs().size(); i++) {
                if (untyped(n.output(i))) {
                    return true;
                }
            }
        }
        return false;
    }
}
