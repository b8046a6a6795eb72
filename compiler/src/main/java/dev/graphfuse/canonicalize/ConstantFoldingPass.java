package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.NotApplicable;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Evaluates the small shape computations exporters leave in a graph ({@code Shape → Gather →
 * Unsqueeze → Concat → Reshape} targets, {@code Shape → Gather → Div → Cast} slice bounds) and
 * turns {@code Constant} nodes into initializers, so later patterns see one spelling of a constant
 * operand. A node folds when every input is constant — or, for Shape and Size, when the dims it
 * reads are static — and its result has at most {@value ConstantEvaluator#MAX_RESULT_ELEMENTS}
 * elements. Arithmetic on float tensors of more than one element (weights, cos/sin tables) is left
 * alone: it is not shape logic, and folding it would hide structure patterns look for. A folded value keeps its name. Graph outputs are never folded (the output would become
 * an initializer). Ops, element types or operands it does not handle are left alone.
 */
public final class ConstantFoldingPass implements Pass {
    @Override
    public String name() {
        return "fold-constants";
    }

    @Override
    public String summary() {
        return "fold constant shape arithmetic into initializers; Constant nodes become initializers";
    }

    @Override
    public Optional<NotApplicable> notApplicableTo(Model model) {
        return NotApplicable.when(model.irVersion() < 4, name(),
                "before IR version 4 every initializer must also be a graph input");
    }

    @Override
    public void run(Model model, PassContext context) {
        for (Graph g : GraphScopes.graphs(model, false)) {
            new GraphFolder(g, context).run();
        }
    }

    private static final class GraphFolder {
        private final Graph g;
        private final PassContext context;
        private final StaticTypes types;

        GraphFolder(Graph g, PassContext context) {
            this.g = g;
            this.context = context;
            this.types = new StaticTypes();
        }

        void run() {
            for (Node n : GraphViews.topologicalOrder(g)) {
                if (!n.domain().isEmpty() || n.outputs().size() != 1 || n.output(0) == null) {
                    types.visit(n);
                    continue;
                }
                boolean folded = switch (n.opType()) {
                    case "Constant" -> constantToInitializer(n);
                    case "Shape", "Size" -> foldShape(n);
                    case "Gather" -> foldShapeElements(n) || foldData(n);
                    default -> ConstantEvaluator.DATA_OPS.contains(n.opType()) && foldData(n);
                };
                if (!folded) {
                    types.visit(n);
                }
            }
        }

        private RuleStats stats(String rule) {
            return context.stats(Canonicalize.STATS_PASS, rule);
        }

        private boolean constantToInitializer(Node n) {
            RuleStats s = stats("constant-to-initializer");
            s.countCandidate();
            Tensor t = n.constantTensor();
            if (t == null) {
                s.countRejected("unsupported-attribute");
                return false;
            }
            s.countMatched();
            if (n.output().isGraphOutput()) {
                s.countRejected("graph-output");
                return false;
            }
            ValueSwap.toInitializer(g, n, t);
            s.countRewritten();
            return true;
        }

        /** Shape reads only dims start..end (opset 15), so those alone must be static. */
        private boolean foldShape(Node n) {
            Value x = n.input(0);
            if (x == null) {
                return false;
            }
            RuleStats s = stats("fold-" + n.opType().toLowerCase(Locale.ROOT));
            Shape shape = types.shape(x);
            if (!shape.hasRank()) {
                return false;
            }
            s.countCandidate();
            int rank = shape.rank();
            int start = 0;
            int end = rank;
            if (n.is("Shape")) {
                start = (int) ShapeMath.clamp(normalize(n.intAttribute("start", 0), rank), 0, rank);
                end = (int) ShapeMath.clamp(normalize(n.intAttribute("end", rank), rank), 0, rank);
            }
            long[] dims = new long[Math.max(0, end - start)];
            for (int i = start; i < end; i++) {
                if (!(shape.dims().get(i) instanceof Dim.Fixed f)) {
                    s.countRejected("dynamic-shape");
                    return false;
                }
                dims[i - start] = f.size();
            }
            UnpackedConstant result;
            if (n.is("Shape")) {
                result = UnpackedConstant.ofLongs(ElementType.INT64, new long[]{dims.length}, dims);
            } else {
                try {
                    result = UnpackedConstant.ofLongs(ElementType.INT64, new long[0], new long[]{ShapeMath.count(dims)});
                } catch (ArithmeticException e) {
                    s.countRejected("overflow");
                    return false;
                }
            }
            return replace(n, result, s);
        }

        /**
         * Gather(Shape(x), k) with constant k where dims k of x are static, though others are not: a dynamic-batch
         * export reads its static sizes (the rotary width, the head size) that way, and the index arithmetic built
         * on them (Range, Slice, Unsqueeze) then folds like a static export's.
         */
        private boolean foldShapeElements(Node n) {
            Value data = n.input(0);
            Value index = n.inputCount() > 1 ? n.input(1) : null;
            Node shapeNode = data == null ? null : data.producer();
            if (shapeNode == null || !shapeNode.is("Shape") || index == null || n.intAttribute("axis", 0) != 0) {
                return false;
            }
            Tensor k = index.constant();
            Value x = shapeNode.input(0);
            // Gather's indices are int32 or int64 (a hostile model may give complex ones: found by fuzzing)
            if (k == null || x == null || (k.elementType() != ElementType.INT64 && k.elementType() != ElementType.INT32)
                    || k.rank() > 1) {
                return false;
            }
            RuleStats s = stats("fold-shape-elements");
            s.countCandidate();
            Shape shape = types.shape(x);
            if (!shape.hasRank()) {
                s.countRejected("unknown-rank");
                return false;
            }
            int rank = shape.rank();
            int start = (int) ShapeMath.clamp(normalize(shapeNode.intAttribute("start", 0), rank), 0, rank);
            int end = (int) ShapeMath.clamp(normalize(shapeNode.intAttribute("end", rank), rank), 0, rank);
            int count = Math.max(0, end - start);
            long[] picked = new long[(int) k.elementCount()];
            for (int i = 0; i < picked.length; i++) {
                long j = (long) k.getDouble(i);
                j = j < 0 ? j + count : j;
                if (j < 0 || j >= count || !(shape.dims().get(start + (int) j) instanceof Dim.Fixed f)) {
                    s.countRejected("dynamic-shape");
                    return false;
                }
                picked[i] = f.size();
            }
            return replace(n, UnpackedConstant.ofLongs(ElementType.INT64, k.dims(), picked), s);
        }

        private static long normalize(long i, int rank) {
            return i < 0 ? i + rank : i;
        }

        private boolean foldData(Node n) {
            // Nearly every node reads a non-constant: find out before allocating anything.
            for (int i = 0; i < n.inputCount(); i++) {
                Value in = n.input(i);
                if (in != null && in.constant() == null) {
                    return false;   // not a constant computation; not a candidate
                }
            }
            List<UnpackedConstant> inputs = new ArrayList<>(n.inputCount());
            List<Tensor> constants = new ArrayList<>(n.inputCount());
            for (Value in : n.inputs()) {
                Tensor t = in == null ? null : in.constant();
                if (in != null && t == null) {
                    return false;   // not a constant computation; not a candidate
                }
                constants.add(t);
            }
            RuleStats s = stats("fold-" + n.opType().toLowerCase(Locale.ROOT));
            s.countCandidate();
            for (Tensor t : constants) {
                if (t != null && t.elementType().isFloatingPoint() && ShapeMath.count(t.dims()) > 1
                        && !castsToNonFloat(n)) {
                    // Weights and tables stay as the graph computes them: folding (1 + w) would hide a
                    // Gemma norm from the patterns, and the runtime folds them itself anyway.
                    s.countRejected("float-tensor");
                    return false;
                }
                UnpackedConstant h = t == null ? null : UnpackedConstant.of(t);
                if (t != null && h == null) {
                    s.countRejected("unsupported-type");
                    return false;
                }
                inputs.add(h);
            }
            UnpackedConstant result;
            try {
                result = ConstantEvaluator.evaluate(n, inputs);
            } catch (NotFoldable e) {
                s.countRejected(e.reasonKind());
                return false;
            }
            return replace(n, result, s);
        }

        /** A Cast to an integer or bool type: index arithmetic, however its input was spelled. */
        private static boolean castsToNonFloat(Node n) {
            if (!n.is("Cast") || !(n.attribute("to") instanceof Attribute.IntAttr to)) {
                return false;
            }
            ElementType t = ElementType.fromCode((int) to.value());
            return t != null && !t.isFloatingPoint();
        }

        private boolean replace(Node n, UnpackedConstant result, RuleStats s) {
            s.countMatched();
            if (n.output().isGraphOutput()) {
                s.countRejected("graph-output");
                return false;
            }
            if (ShapeMath.count(result.dims) > ConstantEvaluator.MAX_RESULT_ELEMENTS) {
                s.countRejected("too-large");
                return false;
            }
            ValueSwap.toInitializer(g, n, result.toTensor(""));
            s.countRewritten();
            return true;
        }
    }
}
