package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Element types and fully static dims known before running the model. Declared types come first
 * (exporters' value_info); where a value has none — TorchScript exports declare only graph inputs
 * and outputs — a conservative forward inference over common ops fills in what follows from static
 * inputs and constant operands. Anything uncertain stays unknown (null), which only ever means
 * "do not fold".
 */
final class StaticTypes {
    private static final long[] UNKNOWN = new long[]{-1};

    private static final Set<String> SAME_SHAPE = Set.of("Identity", "Cast", "CastLike", "Neg", "Abs", "Sqrt",
            "Reciprocal", "Exp", "Log", "Relu", "Sigmoid", "Tanh", "Erf", "Sin", "Cos", "Floor", "Ceil", "Round",
            "Sign", "Softplus", "Softsign", "Softmax", "LogSoftmax", "Gelu", "LeakyRelu", "Elu", "Selu", "HardSigmoid",
            "Not", "IsNaN", "IsInf", "Clip", "CumSum", "Trilu", "ScatterND", "ScatterElements", "Dropout",
            "LayerNormalization", "RMSNormalization", "SimplifiedLayerNormalization");
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu", "Equal",
            "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "And", "Or", "Xor", "Max", "Min", "Sum", "Mean",
            "BitShift", "Where");
    private static final Set<String> BOOL_RESULT = Set.of("Equal", "Less", "LessOrEqual", "Greater",
            "GreaterOrEqual", "And", "Or", "Xor", "Not", "IsNaN", "IsInf");
    private static final Set<String> REDUCE = Set.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin",
            "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp");
    /** Ops whose (first) output has the element type of their first input. */
    private static final Set<String> TYPE_OF_FIRST = union(SAME_SHAPE, Set.of("Add", "Sub", "Mul", "Div", "Pow",
            "Mod", "PRelu", "Max", "Min", "Sum", "Mean", "BitShift", "MatMul", "Gather", "GatherElements", "GatherND",
            "Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Tile", "Expand",
            "Range"), REDUCE);

    private final Map<Value, long[]> dims = new IdentityHashMap<>();
    private final Map<Value, ElementType> elems = new IdentityHashMap<>();
    private final Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    private final SymbolicShapes symbolic = new SymbolicShapes(this::dims);

    /**
     * Types of all of {@code g}'s nodes, given in a topological order (inference results do not depend
     * on which), inferred forward so that every lookup afterwards is a map hit (a lazy lookup could
     * recurse as deep as the graph is long).
     */
    static StaticTypes of(List<Node> topologicalOrder) {
        StaticTypes t = new StaticTypes();
        for (Node n : topologicalOrder) {
            t.visit(n);
        }
        return t;
    }

    /**
     * Records what {@code n}'s outputs are; a pass that rewrites while walking in topological order
     * calls this for each node it keeps, so inference sees the constants earlier rewrites made.
     */
    void visit(Node n) {
        if (!visited.contains(n) && !declared(n)) {
            infer(n);
        }
        symbolic.visit(n);
    }

    /**
     * Whether every output of {@code n} declares an element type and a static shape: lookups answer
     * those before anything inferred, so inferring them would be work nobody reads (exporters that
     * write value_info declare nearly every value).
     */
    private static boolean declared(Node n) {
        for (int i = 0; i < n.outputs().size(); i++) {
            Value v = n.output(i);
            if (v != null && (v.elementType() == null || !v.shape().isStatic())) {
                return false;
            }
        }
        return true;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> out = new HashSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return Set.copyOf(out);
    }

    /** The fully static dims of {@code v}, or null. */
    long[] dims(Value v) {
        if (v == null) {
            return null;
        }
        Tensor t = v.constant();
        if (t != null) {
            return t.dims();
        }
        long[] declared = v.shape().staticSizes();
        if (declared != null) {
            return declared;
        }
        Node p = v.producer();
        if (p != null && !visited.contains(p)) {
            infer(p);
        }
        long[] d = dims.get(v);
        return d == null || d == UNKNOWN ? null : d.clone();
    }

    /** The shape of {@code v}: static, else declared, else what {@link SymbolicShapes} proved (maybe in part). */
    Shape shape(Value v) {
        long[] d = dims(v); // (v null: an operand left out, "" in ONNX)
        Shape s = v == null ? null : d != null ? Shape.of(d) : v.shape().hasRank() ? v.shape() : symbolic.shape(v);
        return s != null ? s : v == null ? Shape.UNKNOWN_RANK : v.shape();
    }

    ElementType elementType(Value v) {
        if (v == null) {
            return null;
        }
        if (v.elementType() != null) {
            return v.elementType();
        }
        Tensor t = v.constant();
        if (t != null) {
            return t.elementType();
        }
        Node p = v.producer();
        if (p != null && !visited.contains(p)) {
            infer(p);
        }
        return elems.get(v);
    }

    private int rank(Value v) {
        long[] d = dims(v);
        if (d != null) {
            return d.length;
        }
        return v != null && v.shape().hasRank() ? v.shape().rank() : -1;
    }

    private void infer(Node n) {
        visited.add(n);
        if (!n.domain().isEmpty() || n.outputs().isEmpty()) {
            return;
        }
        ElementType et = elementTypeOf(n);
        if (n.is("Split")) {
            long[][] parts = split(n);
            for (int i = 0; i < n.outputs().size(); i++) {
                record(n.output(i), parts == null ? null : parts[i], et);
            }
            return;
        }
        long[] out;
        try {
            out = dimsOf(n);
        } catch (ArithmeticException e) {
            out = null;
        }
        record(n.output(0), out, et);
    }

    private void record(Value v, long[] d, ElementType et) {
        if (v == null) {
            return;
        }
        dims.put(v, d == null ? UNKNOWN : d);
        if (et != null) {
            elems.put(v, et);
        }
    }

    private ElementType elementTypeOf(Node n) {
        String op = n.opType();
        if (op.equals("Cast")) {
            return ElementType.fromCode((int) n.intAttribute("to", 0));
        }
        if (op.equals("CastLike")) {
            return elementType(n.input(1));
        }
        if (op.equals("Shape") || op.equals("Size") || op.equals("NonZero") || op.equals("ArgMax")
                || op.equals("ArgMin")) {
            return ElementType.INT64;
        }
        if (BOOL_RESULT.contains(op)) {
            return ElementType.BOOL;
        }
        if (op.equals("ConstantOfShape")) {
            return n.attribute("value") instanceof Attribute.TensorAttr t ? t.value().elementType() : ElementType.FLOAT;
        }
        if (op.equals("Where")) {
            ElementType x = elementType(n.input(1));
            return x != null ? x : elementType(n.input(2));
        }
        return TYPE_OF_FIRST.contains(op) ? elementType(n.input(0)) : null;
    }

    /** Axes given as a constant input (opset 13+) or an attribute; null when absent or not constant. */
    private static long[] axes(Node n, int inputIndex) {
        if (n.input(inputIndex) != null) {
            return Constants.longs(n.input(inputIndex));
        }
        return n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
    }

    private static boolean hasAxesOperand(Node n, int inputIndex) {
        return n.input(inputIndex) != null || n.attribute("axes") != null;
    }

    private long[] dimsOf(Node n) {
        String op = n.opType();
        long[] d0 = dims(n.input(0));
        if (SAME_SHAPE.contains(op)) {
            return d0;
        }
        if (BROADCAST.contains(op)) {
            long[][] shapes = new long[n.inputCount()][];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = dims(n.input(i));
                if (shapes[i] == null) {
                    return null;
                }
            }
            return shapes.length == 0 ? null : ShapeMath.broadcast(shapes);
        }
        switch (op) {
            case "Shape" -> {
                int r = rank(n.input(0));
                if (r < 0) {
                    return null;
                }
                long start = ShapeMath.clamp(norm(n.intAttribute("start", 0), r), 0, r);
                long end = ShapeMath.clamp(norm(n.intAttribute("end", r), r), 0, r);
                return new long[]{Math.max(0, end - start)};
            }
            case "Size" -> {
                return new long[0];
            }
            case "ConstantOfShape" -> {
                long[] s = Constants.longs(n.input(0));
                return s == null || Arrays.stream(s).anyMatch(x -> x < 0) ? null : s;
            }
            default -> {
            }
        }
        if (d0 == null) {
            return null;
        }
        return switch (op) {
            case "MatMul" -> {
                long[] d1 = dims(n.input(1));
                yield d1 == null ? null : ShapeMath.matmul(d0, d1);
            }
            case "Gather" -> {
                long[] d1 = dims(n.input(1));
                yield d1 == null ? null : ShapeMath.gather(d0, d1, n.intAttribute("axis", 0));
            }
            case "GatherElements" -> dims(n.input(1));
            case "Transpose" -> transpose(n, d0);
            case "Reshape" -> {
                long[] target = Constants.longs(n.input(1));
                yield target == null ? null : ShapeMath.reshape(d0, target, n.intAttribute("allowzero", 0) != 0);
            }
            case "Flatten" -> ShapeMath.flatten(d0, n.intAttribute("axis", 1));
            case "Unsqueeze" -> {
                long[] axes = axes(n, 1);
                yield axes == null ? null : ShapeMath.unsqueeze(d0, axes);
            }
            case "Squeeze" -> {
                long[] axes = axes(n, 1);
                yield axes == null && hasAxesOperand(n, 1) ? null : ShapeMath.squeeze(d0, axes);
            }
            case "Concat" -> concat(n);
            case "Slice" -> slice(n, d0);
            case "Tile" -> {
                long[] reps = Constants.longs(n.input(1));
                if (reps == null || reps.length != d0.length) {
                    yield null;
                }
                long[] out = new long[d0.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Math.multiplyExact(d0[i], reps[i]);
                }
                yield out;
            }
            case "Expand" -> {
                long[] s = Constants.longs(n.input(1));
                yield s == null ? null : ShapeMath.broadcast(d0, s);
            }
            default -> REDUCE.contains(op) ? reduce(n, d0) : null;
        };
    }

    private static long norm(long i, int rank) {
        return i < 0 ? i + rank : i;
    }

    private static long[] transpose(Node n, long[] d0) {
        long[] perm;
        if (n.attribute("perm") instanceof Attribute.IntsAttr p) {
            perm = p.values();
        } else {
            perm = new long[d0.length];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = d0.length - 1 - i;
            }
        }
        if (perm.length != d0.length) {
            return null;
        }
        long[] out = new long[d0.length];
        boolean[] seen = new boolean[d0.length];
        for (int i = 0; i < perm.length; i++) {
            int ax = ShapeMath.axis(perm[i], d0.length);
            if (ax < 0 || seen[ax]) {
                return null;
            }
            seen[ax] = true;
            out[i] = d0[ax];
        }
        return out;
    }

    private long[] concat(Node n) {
        if (!(n.attribute("axis") instanceof Attribute.IntAttr axis)) {
            return null;
        }
        long[][] shapes = new long[n.inputCount()][];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = dims(n.input(i));
            if (shapes[i] == null) {
                return null;
            }
        }
        return ShapeMath.concat(shapes, axis.value());
    }

    private static long[] slice(Node n, long[] d0) {
        long[] starts;
        long[] ends;
        long[] axes = null;
        long[] steps = null;
        if (n.inputCount() >= 3) {
            starts = Constants.longs(n.input(1));
            ends = Constants.longs(n.input(2));
            if (n.input(3) != null && (axes = Constants.longs(n.input(3))) == null) {
                return null;
            }
            if (n.input(4) != null && (steps = Constants.longs(n.input(4))) == null) {
                return null;
            }
        } else if (n.attribute("starts") instanceof Attribute.IntsAttr s && n.attribute("ends") instanceof Attribute.IntsAttr e) {
            starts = s.values();
            ends = e.values();
            axes = n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
        } else {
            return null;
        }
        if (starts == null || ends == null) {
            return null;
        }
        ShapeMath.SliceSpec spec = ShapeMath.slice(d0, starts, ends, axes, steps);
        return spec == null ? null : spec.counts();
    }

    private static long[] reduce(Node n, long[] d0) {
        long[] axes = axes(n, 1);
        if (axes == null && hasAxesOperand(n, 1)) {
            return null;
        }
        boolean keep = n.intAttribute("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (n.intAttribute("noop_with_empty_axes", 0) != 0) {
                return d0;
            }
            axes = new long[d0.length];
            for (int i = 0; i < d0.length; i++) {
                axes[i] = i;
            }
        }
        boolean[] reduced = new boolean[d0.length];
        for (long a : axes) {
            int ax = ShapeMath.axis(a, d0.length);
            if (ax < 0) {
                return null;
            }
            reduced[ax] = true;
        }
        long[] out = new long[d0.length];
        int k = 0;
        for (int i = 0; i < d0.length; i++) {
            if (!reduced[i]) {
                out[k++] = d0[i];
            } else if (keep) {
                out[k++] = 1;
            }
        }
        return Arrays.copyOf(out, k);
    }

    /** Split: sizes from the split operand, else equal parts (num_outputs allows a smaller last part). */
    private long[][] split(Node n) {
        long[] d0 = dims(n.input(0));
        if (d0 == null) {
            return null;
        }
        int ax = ShapeMath.axis(n.intAttribute("axis", 0), d0.length);
        int parts = n.outputs().size();
        if (ax < 0 || parts == 0) {
            return null;
        }
        long[] sizes;
        if (n.input(1) != null) {
            sizes = Constants.longs(n.input(1));
        } else if (n.attribute("split") instanceof Attribute.IntsAttr s) {
            sizes = s.values();
        } else {
            long dim = d0[ax];
            long chunk = dim % parts == 0 ? dim / parts
                    : n.attribute("num_outputs") != null ? ShapeMath.ceilDiv(dim, parts) : -1;
            if (chunk < 0) {
                return null;
            }
            sizes = new long[parts];
            Arrays.fill(sizes, chunk);
            sizes[parts - 1] = dim - chunk * (parts - 1);
        }
        if (sizes == null || sizes.length != parts || Arrays.stream(sizes).sum() != d0[ax]
                || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
            return null;
        }
        long[][] out = new long[parts][];
        for (int i = 0; i < parts; i++) {
            out[i] = d0.clone();
            out[i][ax] = sizes[i];
        }
        return out;
    }
}
