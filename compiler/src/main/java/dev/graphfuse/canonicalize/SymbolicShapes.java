package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shapes whose dims may be symbolic, for values that declare no shape. A TorchScript export with dynamic
 * axes declares only its graph inputs and outputs, and builds every Reshape target at run time:
 * {@code Concat(Unsqueeze(Gather(Shape(x), 0)), Unsqueeze(Gather(Shape(x), 1)), [-1], [64])}. Following
 * those shape vectors symbolically gives the per-head view its type, {@code [1, seq, 4, 64]}, as the dynamo
 * exporter would have declared it; its static dims then fold like a static export's.
 *
 * <p>Filled in a topological order ({@link #visit}): a lookup is a map hit, never a walk back. Anything not
 * proved stays unknown: a null shape, or {@link Dim#UNKNOWN} for one dim.
 */
final class SymbolicShapes {
    private static final Set<String> SAME_SHAPE = Set.of("Identity", "Cast", "CastLike", "Neg", "Abs", "Sqrt",
            "Reciprocal", "Exp", "Relu", "Sigmoid", "Tanh", "Erf", "Sin", "Cos", "Softmax", "Not", "IsNaN", "Clip",
            "LayerNormalization", "RMSNormalization", "SimplifiedLayerNormalization");
    private static final Set<String> BROADCAST = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Where", "Max", "Min",
            "Equal", "Less", "Greater", "And", "Or");

    private final java.util.function.Function<Value, long[]> staticDims;
    private final Map<Value, Shape> shapes = new IdentityHashMap<>();
    /** The symbolic contents of small 1-D or scalar int tensors that hold dims (Shape and what is built on it). */
    private final Map<Value, List<Dim>> contents = new IdentityHashMap<>();

    /** {@code staticDims}: the fully static dims proved elsewhere ({@link StaticTypes}), or null. */
    SymbolicShapes(java.util.function.Function<Value, long[]> staticDims) {
        this.staticDims = staticDims;
    }

    /** The shape of {@code v}: declared when it has a rank, else static or inferred; null when the rank is unknown. */
    Shape shape(Value v) {
        if (v == null) {
            return null;
        }
        if (v.shape().hasRank()) {
            return v.shape();
        }
        long[] d = staticDims.apply(v);
        if (d != null) {
            return Shape.of(d);
        }
        return shapes.get(v);
    }

    /** Records what {@code n}'s first output is, from its inputs' shapes and contents already recorded. */
    void visit(Node n) {
        if (!n.domain().isEmpty() || n.outputs().isEmpty() || n.output(0) == null) {
            return;
        }
        Value out = n.output(0);
        List<Dim> c = contentsOf(n);
        if (c != null) {
            contents.put(out, c);
        }
        if (out.shape().hasRank()) {
            return;
        }
        List<Dim> dims = null;
        try {
            dims = dimsOf(n);
        } catch (RuntimeException unprovable) {
            // an axis out of range, a malformed perm: nothing is known (the verifier reports real errors)
        }
        if (dims != null) {
            shapes.put(out, Shape.of(dims));
        }
    }

    private List<Dim> dimsOf(Node n) {
        String op = n.opType();
        Shape s0 = shape(n.input(0));
        if (SAME_SHAPE.contains(op)) {
            return s0 == null ? null : s0.dims();
        }
        if (BROADCAST.contains(op)) {
            return broadcast(n);
        }
        if (op.equals("ConstantOfShape")) {
            return contents.get(n.input(0)) != null ? List.copyOf(contents.get(n.input(0))) : null;
        }
        if (op.equals("Range")) {
            // Range(0, n, 1): n elements, n maybe symbolic (arange(seq))
            List<Dim> limit = valueOf(n.input(1));
            long[] start = Constants.longs(n.input(0));
            long[] delta = Constants.longs(n.input(2));
            return limit != null && limit.size() == 1 && start != null && start.length == 1 && start[0] == 0
                    && delta != null && delta.length == 1 && delta[0] == 1 ? List.of(limit.get(0)) : null;
        }
        if (s0 == null) {
            // a Reshape's rank and its explicit dims come from the target alone (the attention output
            // [1, seq, -1] after a softmax whose mask shape is unknown): only 0 and -1 need the input
            return op.equals("Reshape") ? reshape(null, contents.get(n.input(1)), n.intAttribute("allowzero", 0) != 0)
                    : null;
        }
        List<Dim> d0 = s0.dims();
        return switch (op) {
            case "Reshape" -> reshape(d0, contents.get(n.input(1)), n.intAttribute("allowzero", 0) != 0);
            case "Transpose" -> transpose(n, d0);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin" -> reduce(n, d0);
            case "Unsqueeze" -> {
                long[] axes = Constants.longs(n.input(1));
                if (axes == null) {
                    yield null;
                }
                List<Dim> out = new ArrayList<>(d0);
                int rank = d0.size() + axes.length;
                long[] sorted = axes.clone();
                for (int i = 0; i < sorted.length; i++) {
                    sorted[i] = sorted[i] < 0 ? sorted[i] + rank : sorted[i];
                }
                java.util.Arrays.sort(sorted);
                for (long a : sorted) {
                    out.add((int) a, Dim.of(1));
                }
                yield out;
            }
            case "MatMul" -> {
                Shape s1 = shape(n.input(1));
                if (s1 == null || s1.rank() < 2 || d0.size() < 2) {
                    yield null;
                }
                List<Dim> d1 = s1.dims();
                List<Dim> batch = broadcast(d0.subList(0, d0.size() - 2), d1.subList(0, d1.size() - 2));
                if (batch == null) {
                    yield null;
                }
                batch.add(d0.get(d0.size() - 2));
                batch.add(d1.get(d1.size() - 1));
                yield batch;
            }
            case "Expand" -> {
                List<Dim> to = contents.get(n.input(1));
                yield to == null ? null : broadcast(d0, to);
            }
            case "Concat" -> concat(n);
            case "Gather" -> {
                // a lookup by index tensor along axis: [*data[:axis], *indices, *data[axis + 1:]] (the embedding)
                Shape ids = shape(n.input(1));
                int axis = ShapeMath.axis(n.intAttribute("axis", 0), d0.size());
                if (ids == null || axis < 0) {
                    yield null;
                }
                List<Dim> out = new ArrayList<>(d0.subList(0, axis));
                out.addAll(ids.dims());
                out.addAll(d0.subList(axis + 1, d0.size()));
                yield out;
            }
            case "Flatten" -> {
                int axis = (int) ShapeMath.clamp(norm(n.intAttribute("axis", 1), d0.size()), 0, d0.size());
                yield List.of(product(d0.subList(0, axis)), product(d0.subList(axis, d0.size())));
            }
            default -> null;
        };
    }

    private List<Dim> broadcast(Node n) {
        List<Dim> out = null;
        for (int i = 0; i < n.inputCount(); i++) {
            Shape s = shape(n.input(i));
            if (s == null) {
                return null;
            }
            out = out == null ? new ArrayList<>(s.dims()) : broadcast(out, s.dims());
            if (out == null) {
                return null;
            }
        }
        return out;
    }

    private static List<Dim> broadcast(List<Dim> a, List<Dim> b) {
        int rank = Math.max(a.size(), b.size());
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            Dim x = i - (rank - a.size()) >= 0 ? a.get(i - (rank - a.size())) : Dim.of(1);
            Dim y = i - (rank - b.size()) >= 0 ? b.get(i - (rank - b.size())) : Dim.of(1);
            if (x instanceof Dim.Fixed && y instanceof Dim.Fixed && !x.equals(y) && !x.equals(Dim.of(1))
                    && !y.equals(Dim.of(1))) {
                return null; // does not broadcast: nothing to say about an invalid graph
            }
            out.add(x.equals(Dim.of(1)) ? y : y.equals(Dim.of(1)) || x.equals(y) ? x : Dim.UNKNOWN);
        }
        return out;
    }

    /** Concat of data: the other axes agree, the joined one adds up when every part's size is fixed. */
    private List<Dim> concat(Node n) {
        List<Dim> out = null;
        long sum = 0;
        boolean fixed = true;
        int axis = -1;
        for (int i = 0; i < n.inputCount(); i++) {
            Shape s = shape(n.input(i));
            if (s == null) {
                return null;
            }
            List<Dim> d = s.dims();
            if (out == null) {
                out = new ArrayList<>(d);
                axis = ShapeMath.axis(n.intAttribute("axis", 0), d.size());
            }
            if (d.size() != out.size()) {
                return null;
            }
            if (d.get(axis) instanceof Dim.Fixed f) {
                sum += f.size();
            } else {
                fixed = false;
            }
        }
        if (out != null) {
            out.set(axis, fixed ? Dim.of(sum) : n.inputCount() == 1 ? out.get(axis) : Dim.UNKNOWN);
        }
        return out;
    }

    /** Reduced axes from the axes operand (opset 18) or attribute; all axes when neither is given. */
    private static List<Dim> reduce(Node n, List<Dim> d0) {
        long[] axes = n.inputCount() > 1 && n.input(1) != null ? Constants.longs(n.input(1))
                : n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : new long[0];
        if (axes == null) {
            return null;
        }
        boolean all = axes.length == 0 && n.intAttribute("noop_with_empty_axes", 0) == 0;
        boolean keep = n.intAttribute("keepdims", 1) != 0;
        boolean[] reduced = new boolean[d0.size()];
        for (long a : axes) {
            reduced[ShapeMath.axis(a, d0.size())] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < d0.size(); i++) {
            if (all || reduced[i]) {
                if (keep) {
                    out.add(Dim.of(1));
                }
            } else {
                out.add(d0.get(i));
            }
        }
        return out;
    }

    private static List<Dim> transpose(Node n, List<Dim> d0) {
        if (!(n.attribute("perm") instanceof Attribute.IntsAttr p) || p.values().length != d0.size()) {
            return null;
        }
        List<Dim> out = new ArrayList<>();
        for (long ax : p.values()) {
            out.add(d0.get(ShapeMath.axis(ax, d0.size())));
        }
        return out;
    }

    /**
     * Reshape's output from the input dims and the target's symbolic contents: a fixed entry is that size
     * (0 copies the input's dim unless allowzero), a symbolic entry that dim, and one -1 whatever is left
     * of the input's elements once the others are divided out, when that division comes out exactly
     * (fixed sizes divide, each symbol cancels one equal symbol).
     */
    private static List<Dim> reshape(List<Dim> in, List<Dim> target, boolean allowZero) {
        if (target == null) {
            return null;
        }
        List<Dim> out = new ArrayList<>(target.size());
        int infer = -1;
        for (int i = 0; i < target.size(); i++) {
            Dim d = target.get(i);
            if (d instanceof Dim.Fixed f && f.size() == 0 && !allowZero) {
                if (in != null && i >= in.size()) {
                    return null;
                }
                d = in == null ? Dim.UNKNOWN : in.get(i);
            } else if (d instanceof Dim.Fixed f && f.size() == -1) {
                if (infer >= 0) {
                    return null;
                }
                infer = i;
            }
            out.add(d);
        }
        if (infer >= 0) {
            out.set(infer, in == null ? Dim.UNKNOWN : quotient(in, out, infer));
        }
        return out;
    }

    private static Dim quotient(List<Dim> numerator, List<Dim> known, int skip) {
        long fixed = 1;
        List<Dim> symbols = new ArrayList<>();
        for (Dim d : numerator) {
            if (d instanceof Dim.Fixed f) {
                fixed = Math.multiplyExact(fixed, f.size());
            } else if (d instanceof Dim.Symbolic) {
                symbols.add(d);
            } else {
                return Dim.UNKNOWN;
            }
        }
        long divisor = 1;
        for (int i = 0; i < known.size(); i++) {
            Dim d = known.get(i);
            if (i == skip) {
                continue;
            }
            if (d instanceof Dim.Fixed f) {
                divisor = Math.multiplyExact(divisor, f.size());
            } else if (!(d instanceof Dim.Symbolic) || !symbols.remove(d)) {
                return Dim.UNKNOWN;
            }
        }
        if (divisor <= 0 || fixed % divisor != 0) {
            return Dim.UNKNOWN;
        }
        long q = fixed / divisor;
        if (symbols.isEmpty()) {
            return Dim.of(q);
        }
        return symbols.size() == 1 && q == 1 ? symbols.get(0) : Dim.UNKNOWN;
    }

    /** The symbolic contents of a small int tensor that holds dims, or null. */
    private List<Dim> contentsOf(Node n) {
        String op = n.opType();
        switch (op) {
            case "Shape" -> {
                Shape s = shape(n.input(0));
                if (s == null) {
                    return null;
                }
                int r = s.rank();
                int start = (int) ShapeMath.clamp(norm(n.intAttribute("start", 0), r), 0, r);
                int end = (int) ShapeMath.clamp(norm(n.intAttribute("end", r), r), 0, r);
                return start >= end ? List.of() : List.copyOf(s.dims().subList(start, end));
            }
            case "Concat" -> {
                if (n.intAttribute("axis", 0) != 0 && n.intAttribute("axis", 0) != -1) {
                    return null;
                }
                List<Dim> out = new ArrayList<>();
                for (int i = 0; i < n.inputCount(); i++) {
                    List<Dim> part = valueOf(n.input(i));
                    if (part == null) {
                        return null;
                    }
                    out.addAll(part);
                }
                return out;
            }
            case "Gather" -> {
                List<Dim> data = valueOf(n.input(0));
                long[] idx = Constants.longs(n.input(1));
                if (data == null || idx == null || n.intAttribute("axis", 0) != 0) {
                    return null;
                }
                List<Dim> out = new ArrayList<>();
                for (long i : idx) {
                    long j = i < 0 ? i + data.size() : i;
                    if (j < 0 || j >= data.size()) {
                        return null;
                    }
                    out.add(data.get((int) j));
                }
                return out;
            }
            case "Unsqueeze", "Squeeze", "Reshape", "Cast", "Identity" -> {
                // a scalar made a 1-element vector and back: the same one value
                return valueOf(n.input(0));
            }
            default -> {
                return null;
            }
        }
    }

    /** The contents of an int tensor: recorded, or a small constant's own values. */
    private List<Dim> valueOf(Value v) {
        if (v == null) {
            return null;
        }
        List<Dim> c = contents.get(v);
        if (c != null) {
            return c;
        }
        long[] k = Constants.longs(v);
        if (k == null || k.length > 16) {
            return null;
        }
        List<Dim> out = new ArrayList<>(k.length);
        for (long x : k) {
            out.add(Dim.of(x));
        }
        return out;
    }

    /** The product of dims: fixed when all are, one symbol times ones, else unknown. */
    private static Dim product(List<Dim> dims) {
        long fixed = 1;
        Dim symbol = null;
        for (Dim d : dims) {
            if (d instanceof Dim.Fixed f) {
                fixed = Math.multiplyExact(fixed, f.size());
            } else if (symbol == null && d instanceof Dim.Symbolic) {
                symbol = d;
            } else {
                return Dim.UNKNOWN;
            }
        }
        return symbol == null ? Dim.of(fixed) : fixed == 1 ? symbol : Dim.UNKNOWN;
    }

    private static long norm(long i, int rank) {
        return i < 0 ? i + rank : i;
    }
}
