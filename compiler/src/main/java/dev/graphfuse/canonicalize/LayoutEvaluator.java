package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.Operands.broadcastOrFail;
import static dev.graphfuse.canonicalize.Operands.checkSize;
import static dev.graphfuse.canonicalize.Operands.intsOf;
import static dev.graphfuse.canonicalize.Operands.required;
import static dev.graphfuse.canonicalize.Operands.sameType;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data-movement ops of {@link ConstantEvaluator} (Gather, Slice, Concat, Unsqueeze, Squeeze,
 * Reshape, ConstantOfShape, Expand): elements are copied, never computed, so only shapes, axes and
 * indices can make a node not foldable.
 */
final class LayoutEvaluator {
    private LayoutEvaluator() {
    }

    static UnpackedConstant gather(UnpackedConstant data, UnpackedConstant indices, long axis) {
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
    static UnpackedConstant slice(Node n, List<UnpackedConstant> in) {
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

    static UnpackedConstant concat(Node n, List<UnpackedConstant> in) {
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
    private static long[] axesOf(Node n, List<UnpackedConstant> in) {
        if (in.size() > 1 && in.get(1) != null) {
            return intsOf(in.get(1));
        }
        return n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
    }

    static UnpackedConstant unsqueeze(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] axes = axesOf(n, in);
        long[] out = axes == null ? null : ShapeMath.unsqueeze(data.dims, axes);
        if (out == null) {
            throw new NotFoldable("bad-axis");
        }
        return data.withDims(out);
    }

    static UnpackedConstant squeeze(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] out = ShapeMath.squeeze(data.dims, axesOf(n, in));
        if (out == null) {
            throw new NotFoldable("bad-axis");
        }
        return data.withDims(out);
    }

    static UnpackedConstant reshape(Node n, List<UnpackedConstant> in) {
        UnpackedConstant data = required(in.get(0));
        long[] out = ShapeMath.reshape(data.dims, intsOf(in.get(1)), n.intAttribute("allowzero", 0) != 0);
        if (out == null) {
            throw new NotFoldable("bad-operand");
        }
        return data.withDims(out);
    }

    static UnpackedConstant constantOfShape(Node n, UnpackedConstant shape) {
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

    static UnpackedConstant expand(UnpackedConstant data, UnpackedConstant shape) {
        required(data);
        long[] out = broadcastOrFail(data.dims, intsOf(shape));
        UnpackedConstant r = UnpackedConstant.allocate(data.type, out);
        for (int i = 0; i < r.count(); i++) {
            r.set(i, data, ShapeMath.broadcastSource(i, out, data.dims));
        }
        return r;
    }
}
