package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Computes what one ONNX node produces from constant inputs, with ONNX Runtime's float32 and
 * integer semantics, so a folded model computes what the original did. Where ONNX implementations
 * have disagreed (integer division of operands with different signs, float Range accumulation) or
 * the result is undefined (overflow, NaN to int), it throws {@link NotFoldable} rather than pick one.
 */
final class ConstantEvaluator {
    /** Folded results larger than this stay as nodes: folding must not blow up the model. */
    static final long MAX_RESULT_ELEMENTS = 1024;

    /** Ops whose result depends only on their input data (Shape and Size are folded from types). */
    static final Set<String> DATA_OPS = Set.of("Gather", "Slice", "Concat", "Unsqueeze", "Squeeze", "Reshape",
            "Cast", "Identity", "Add", "Sub", "Mul", "Div", "Neg", "Equal", "Where", "Range", "ConstantOfShape",
            "Expand");

    private ConstantEvaluator() {
    }

    /** The single output of {@code n} given its inputs ({@code null} for an omitted one). */
    static UnpackedConstant evaluate(Node n, List<UnpackedConstant> in) {
        try {
            UnpackedConstant out = switch (n.opType()) {
                case "Identity" -> required(in.get(0));
                case "Cast" -> cast(required(in.get(0)), n);
                case "Neg" -> neg(required(in.get(0)));
                case "Add", "Sub", "Mul", "Div", "Equal" -> binary(n.opType(), in.get(0), in.get(1));
                case "Where" -> where(in.get(0), in.get(1), in.get(2));
                case "Gather" -> gather(in.get(0), in.get(1), n.intAttribute("axis", 0));
                case "Slice" -> slice(n, in);
                case "Concat" -> concat(n, in);
                case "Unsqueeze" -> unsqueeze(n, in);
                case "Squeeze" -> squeeze(n, in);
                case "Reshape" -> reshape(n, in);
                case "Range" -> range(in.get(0), in.get(1), in.get(2));
                case "ConstantOfShape" -> constantOfShape(n, in.get(0));
                case "Expand" -> expand(in.get(0), in.get(1));
                default -> throw new NotFoldable("unsupported-op");
            };
            checkSize(out.dims);
            return out;
        } catch (ArithmeticException e) {
            throw new NotFoldable("overflow");
        } catch (IndexOutOfBoundsException e) {
            throw new NotFoldable("missing-input");
        }
    }

    static void checkSize(long[] dims) {
        long n;
        try {
            n = ShapeMath.count(dims);
        } catch (ArithmeticException e) {
            throw new NotFoldable("too-large");
        }
        if (n > MAX_RESULT_ELEMENTS || n < 0) {
            throw new NotFoldable("too-large");
        }
    }

    private static UnpackedConstant required(UnpackedConstant t) {
        if (t == null) {
            throw new NotFoldable("missing-input");
        }
        return t;
    }

    private static long[] intsOf(UnpackedConstant t) {
        long[] v = required(t).longsOrNull();
        if (v == null) {
            throw new NotFoldable("bad-operand");
        }
        return v;
    }

    /** Rounds a double to the precision of a float element type. */
    private static double round(ElementType t, double v) {
        return t == ElementType.FLOAT ? (double) (float) v : v;
    }

    private static long checkRange(ElementType t, long v) {
        if (t == ElementType.INT32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new NotFoldable("overflow");
        }
        return v;
    }

    private static UnpackedConstant cast(UnpackedConstant x, Node n) {
        ElementType to = ElementType.fromCode((int) n.intAttribute("to", -1));
        if (to == null || !UnpackedConstant.supports(to)) {
            throw new NotFoldable("unsupported-type");
        }
        UnpackedConstant r = UnpackedConstant.allocate(to, x.dims);
        for (int i = 0; i < x.count(); i++) {
            if (x.isReal()) {
                double v = x.getDouble(i);
                if (UnpackedConstant.isReal(to)) {
                    r.setDouble(i, round(to, v));
                } else if (to == ElementType.BOOL) {
                    r.setLong(i, v != 0 || Double.isNaN(v) ? 1 : 0);
                } else {
                    // float → int truncates toward zero; NaN, infinities and out-of-range values are undefined
                    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
                        throw new NotFoldable("float-to-int-out-of-range");
                    }
                    r.setLong(i, checkRange(to, (long) v));
                }
            } else {
                long v = x.getLong(i);
                if (to == ElementType.FLOAT) {
                    r.setDouble(i, (float) v);   // long → float rounds once, as a C++ static_cast does
                } else if (to == ElementType.DOUBLE) {
                    r.setDouble(i, (double) v);
                } else if (to == ElementType.BOOL) {
                    r.setLong(i, v != 0 ? 1 : 0);
                } else {
                    r.setLong(i, checkRange(to, v));
                }
            }
        }
        return r;
    }

    private static UnpackedConstant neg(UnpackedConstant x) {
        if (x.type == ElementType.BOOL) {
            throw new NotFoldable("unsupported-type");
        }
        UnpackedConstant r = UnpackedConstant.allocate(x.type, x.dims);
        for (int i = 0; i < x.count(); i++) {
            if (x.isReal()) {
                r.setDouble(i, -x.getDouble(i));
            } else {
                r.setLong(i, checkRange(x.type, Math.negateExact(x.getLong(i))));
            }
        }
        return r;
    }

    private static void sameType(UnpackedConstant a, UnpackedConstant b) {
        if (a.type != b.type) {
            throw new NotFoldable("mixed-types");
        }
    }

    private static long[] broadcastOrFail(long[]... shapes) {
        long[] out = ShapeMath.broadcast(shapes);
        if (out == null) {
            throw new NotFoldable("incompatible-shapes");
        }
        checkSize(out);
        return out;
    }

    private static UnpackedConstant binary(String op, UnpackedConstant a, UnpackedConstant b) {
        sameType(required(a), required(b));
        boolean compare = op.equals("Equal");
        if (a.type == ElementType.BOOL && !compare) {
            throw new NotFoldable("unsupported-type");
        }
        long[] out = broadcastOrFail(a.dims, b.dims);
        UnpackedConstant r = UnpackedConstant.allocate(compare ? ElementType.BOOL : a.type, out);
        for (int i = 0; i < r.count(); i++) {
            int ia = ShapeMath.broadcastSource(i, out, a.dims);
            int ib = ShapeMath.broadcastSource(i, out, b.dims);
            if (a.isReal()) {
                double x = a.getDouble(ia);
                double y = b.getDouble(ib);
                if (compare) {
                    r.setLong(i, x == y ? 1 : 0);
                    continue;
                }
                // float32 +-*/ done in double and rounded once equal the float32 operation: double has
                // more than twice float's significand bits, so the double rounding is innocuous
                double v = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                };
                r.setDouble(i, round(a.type, v));
            } else {
                long x = a.getLong(ia);
                long y = b.getLong(ib);
                long v = switch (op) {
                    case "Equal" -> x == y ? 1 : 0;
                    case "Add" -> Math.addExact(x, y);
                    case "Sub" -> Math.subtractExact(x, y);
                    case "Mul" -> Math.multiplyExact(x, y);
                    default -> divide(x, y);
                };
                r.setLong(i, compare ? v : checkRange(a.type, v));
            }
        }
        return r;
    }

    /**
     * ONNX Runtime divides integers like C++ (truncating toward zero), and the ONNX reference
     * implementation did floor division until it was changed to match. The two agree whenever the
     * division is exact or the operands have the same sign, so only those cases are folded.
     */
    private static long divide(long x, long y) {
        if (y == 0) {
            throw new NotFoldable("division-by-zero");
        }
        if (x % y != 0 && (x < 0) != (y < 0)) {
            throw new NotFoldable("inexact-negative-division");
        }
        if (x == Long.MIN_VALUE && y == -1) {
            throw new NotFoldable("overflow");
        }
        return x / y;
    }

    private static UnpackedConstant where(UnpackedConstant c, UnpackedConstant x, UnpackedConstant y) {
        sameType(required(x), required(y));
        if (required(c).type != ElementType.BOOL) {
            throw new NotFoldable("bad-operand");
        }
        long[] out = broadcastOrFail(c.dims, x.dims, y.dims);
        UnpackedConstant r = UnpackedConstant.allocate(x.type, out);
        for (int i = 0; i < r.count(); i++) {
            boolean pick = c.getLong(ShapeMath.broadcastSource(i, out, c.dims)) != 0;
            UnpackedConstant src = pick ? x : y;
            r.set(i, src, ShapeMath.broadcastSource(i, out, src.dims));
        }
        return r;
    }

    private static UnpackedConstant gather(UnpackedConstant data, UnpackedConstant indices, long axis) {
        required(data);
        if (required(indices).isReal() || indices.type == ElementType.BOOL) {
            throw new NotFoldable("bad-operand");
        }
        long[] out = ShapeMath.gather(data.dims, indices.dims, axis);
        if (out == null) {
            throw new NotFoldable("bad-axis");
        }
        checkSize(out);
        int ax = ShapeMath.axis(axis, data.dims.length);
        long axisLen = data.dims[ax];
        long outer = ShapeMath.count(Arrays.copyOfRange(data.dims, 0, ax));
        long inner = ShapeMath.count(Arrays.copyOfRange(data.dims, ax + 1, data.dims.length));
        int nIdx = indices.count();
        UnpackedConstant r = UnpackedConstant.allocate(data.type, out);
        for (long o = 0; o < outer; o++) {
            for (int k = 0; k < nIdx; k++) {
                long j = indices.getLong(k);
                if (j < 0) {
                    j += axisLen;
                }
                if (j < 0 || j >= axisLen) {
                    throw new NotFoldable("index-out-of-range");
                }
                for (long e = 0; e < inner; e++) {
                    r.set((int) ((o * nIdx + k) * inner + e), data, (int) ((o * axisLen + j) * inner + e));
                }
            }
        }
        return r;
    }

    /** Slice parameters come from inputs since opset 10, from attributes before. */
    private static UnpackedConstant slice(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (in.size() >= 3) {
            starts = intsOf(in.get(1));
            ends = intsOf(in.get(2));
            axes = in.size() > 3 && in.get(3) != null ? intsOf(in.get(3)) : null;
            steps = in.size() > 4 && in.get(4) != null ? intsOf(in.get(4)) : null;
        } else if (n.attribute("starts") instanceof Attribute.IntsAttr s && n.attribute("ends") instanceof Attribute.IntsAttr e) {
            starts = s.values();
            ends = e.values();
            axes = n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
        } else {
            throw new NotFoldable("missing-input");
        }
        ShapeMath.SliceSpec spec = ShapeMath.slice(data.dims, starts, ends, axes, steps);
        if (spec == null) {
            throw new NotFoldable("bad-operand");
        }
        long[] out = spec.counts();
        checkSize(out);
        long[] inStrides = ShapeMath.strides(data.dims);
        UnpackedConstant r = UnpackedConstant.allocate(data.type, out);
        int rank = out.length;
        long[] idx = new long[rank];
        for (int i = 0; i < r.count(); i++) {
            long rest = i;
            long src = 0;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rest % out[d];
                rest /= out[d];
                src += (spec.starts()[d] + idx[d] * spec.steps()[d]) * inStrides[d];
            }
            r.set(i, data, (int) src);
        }
        return r;
    }

    private static UnpackedConstant concat(Node n, List<UnpackedConstant> in) {
        if (!(n.attribute("axis") instanceof Attribute.IntAttr axisAttr)) {
            throw new NotFoldable("bad-operand");
        }
        List<UnpackedConstant> parts = new ArrayList<>();
        for (UnpackedConstant t : in) {
            parts.add(required(t));
            sameType(parts.get(0), t);
        }
        long[][] shapes = parts.stream().map(t -> t.dims).toArray(long[][]::new);
        long[] out = ShapeMath.concat(shapes, axisAttr.value());
        if (out == null) {
            throw new NotFoldable("incompatible-shapes");
        }
        checkSize(out);
        int ax = ShapeMath.axis(axisAttr.value(), out.length);
        long outer = ShapeMath.count(Arrays.copyOfRange(out, 0, ax));
        long inner = ShapeMath.count(Arrays.copyOfRange(out, ax + 1, out.length));
        UnpackedConstant r = UnpackedConstant.allocate(parts.get(0).type, out);
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (UnpackedConstant p : parts) {
                long chunk = p.dims[ax] * inner;
                for (long e = 0; e < chunk; e++) {
                    r.set(k++, p, (int) (o * chunk + e));
                }
            }
        }
        return r;
    }

    /** Axes are an input since opset 13 and an attribute before. */
    static long[] axesOf(Node n, List<UnpackedConstant> in) {
        if (in.size() > 1 && in.get(1) != null) {
            return intsOf(in.get(1));
        }
        return n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
    }

    private static UnpackedConstant unsqueeze(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] axes = axesOf(n, in);
        long[] out = axes == null ? null : ShapeMath.unsqueeze(data.dims, axes);
        if (out == null) {
            throw new NotFoldable("bad-axis");
        }
        return data.withDims(out);
    }

    private static UnpackedConstant squeeze(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] out = ShapeMath.squeeze(data.dims, axesOf(n, in));
        if (out == null) {
            throw new NotFoldable("bad-axis");
        }
        return data.withDims(out);
    }

    private static UnpackedConstant reshape(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] out = ShapeMath.reshape(data.dims, intsOf(in.get(1)), n.intAttribute("allowzero", 0) != 0);
        if (out == null) {
            throw new NotFoldable("bad-operand");
        }
        return data.withDims(out);
    }

    private static UnpackedConstant range(UnpackedConstant start, UnpackedConstant limit, UnpackedConstant delta) {
        sameType(required(start), required(limit));
        sameType(start, required(delta));
        if (start.count() != 1 || limit.count() != 1 || delta.count() != 1 || start.type == ElementType.BOOL) {
            throw new NotFoldable("bad-operand");
        }
        if (start.isReal()) {
            // ONNX Runtime accumulates (v += delta), the reference computes start + i * delta; they
            // agree when every value is an integer small enough to be exact in the element type
            double s = start.getDouble(0);
            double l = limit.getDouble(0);
            double d = delta.getDouble(0);
            if (d == 0 || !exactInteger(s) || !exactInteger(l) || !exactInteger(d)) {
                throw new NotFoldable("inexact-float-range");
            }
            long n = Math.max(0, (long) Math.ceil((l - s) / d));
            checkSize(new long[]{n});
            double[] v = new double[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = s + i * d;
                if (!exactInteger(v[i])) {
                    throw new NotFoldable("inexact-float-range");
                }
            }
            return UnpackedConstant.ofDoubles(start.type, new long[]{n}, v);
        }
        long s = start.getLong(0);
        long l = limit.getLong(0);
        long d = delta.getLong(0);
        if (d == 0) {
            throw new NotFoldable("bad-operand");
        }
        long n = d > 0 ? (l > s ? ShapeMath.ceilDiv(Math.subtractExact(l, s), d) : 0)
                : (s > l ? ShapeMath.ceilDiv(Math.subtractExact(s, l), -d) : 0);
        checkSize(new long[]{n});
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = checkRange(start.type, s + i * d);
        }
        return UnpackedConstant.ofLongs(start.type, new long[]{n}, v);
    }

    private static boolean exactInteger(double v) {
        return v == Math.rint(v) && Math.abs(v) <= (1 << 24);
    }

    private static UnpackedConstant constantOfShape(Node n, UnpackedConstant shape) {
        long[] dims = intsOf(shape);
        if (shape.dims.length != 1) {
            throw new NotFoldable("bad-operand");
        }
        for (long d : dims) {
            if (d < 0) {
                throw new NotFoldable("bad-operand");
            }
        }
        checkSize(dims);
        UnpackedConstant fill;
        Attribute value = n.attribute("value");
        if (value == null) {
            fill = UnpackedConstant.ofDoubles(ElementType.FLOAT, new long[]{1}, new double[]{0});
        } else if (value instanceof Attribute.TensorAttr t && t.value().elementCount() == 1) {
            fill = UnpackedConstant.of(t.value());
            if (fill == null) {
                throw new NotFoldable("unsupported-type");
            }
        } else {
            throw new NotFoldable("bad-operand");
        }
        UnpackedConstant r = UnpackedConstant.allocate(fill.type, dims);
        for (int i = 0; i < r.count(); i++) {
            r.set(i, fill, 0);
        }
        return r;
    }

    private static UnpackedConstant expand(UnpackedConstant data, UnpackedConstant shape) {
        required(data);
        long[] out = broadcastOrFail(data.dims, intsOf(shape));
        UnpackedConstant r = UnpackedConstant.allocate(data.type, out);
        for (int i = 0; i < r.count(); i++) {
            r.set(i, data, ShapeMath.broadcastSource(i, out, data.dims));
        }
        return r;
    }
}
