package dev.graphfuse.canonicalize;

import java.util.Arrays;

/**
 * ONNX shape arithmetic on static dims, shared by constant folding (which computes data) and static
 * type inference (which only needs the dims). Every method returns null rather than guessing when
 * the operands are invalid, so a caller never folds something ONNX Runtime would reject.
 */
final class ShapeMath {
    private ShapeMath() {
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Row-major strides. */
    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** An axis in [-rank, rank) made non-negative, or -1 when out of range. */
    static int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? (int) a : -1;
    }

    /** Multidirectional (numpy) broadcast of several shapes, or null when they do not broadcast. */
    static long[] broadcast(long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                long d = s[i];
                if (out[o] == 1) {
                    out[o] = d;
                } else if (d != 1 && d != out[o]) {
                    return null;
                }
            }
        }
        return out;
    }

    /**
     * Where output element {@code flat} (of shape {@code out}) reads from an operand of shape
     * {@code in} that was broadcast to {@code out}.
     */
    static int broadcastSource(long flat, long[] out, long[] in) {
        long src = 0;
        long inStride = 1;
        long rest = flat;
        for (int i = out.length - 1; i >= 0; i--) {
            long idx = rest % out[i];
            rest /= out[i];
            int j = i - (out.length - in.length);
            if (j >= 0) {
                if (in[j] != 1) {
                    src += idx * inStride;
                }
                inStride *= in[j];
            }
        }
        return (int) src;
    }

    /**
     * Reshape's target with 0 (copy the input dim, unless {@code allowZero}) and -1 (infer) resolved
     * against a static input shape; null when it cannot be (including dims whose product overflows a
     * long: a broken model, which ORT will refuse, not a crash here).
     */
    static long[] reshape(long[] in, long[] target, boolean allowZero) {
        try {
            return resolveReshape(in, target, allowZero);
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    private static long[] resolveReshape(long[] in, long[] target, boolean allowZero) {
        long[] out = target.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    return null;
                }
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (inferred >= 0) {
                    return null;
                }
                inferred = i;
            } else if (out[i] < 0) {
                return null;
            } else {
                known = Math.multiplyExact(known, out[i]);
            }
        }
        long total = count(in);
        if (inferred >= 0) {
            if (known == 0 || total % known != 0) {
                return null;
            }
            out[inferred] = total / known;
        } else if (known != total) {
            return null;
        }
        return out;
    }

    /** Unsqueeze: axes refer to the output rank. */
    static long[] unsqueeze(long[] in, long[] axes) {
        int rank = in.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int ax = axis(a, rank);
            if (ax < 0 || inserted[ax]) {
                return null;
            }
            inserted[ax] = true;
        }
        long[] out = new long[rank];
        int j = 0;
        for (int i = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : in[j++];
        }
        return out;
    }

    /** Squeeze: null axes removes every dim of size 1. */
    static long[] squeeze(long[] in, long[] axes) {
        boolean[] removed = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                removed[i] = in[i] == 1;
            }
        } else {
            for (long a : axes) {
                int ax = axis(a, in.length);
                if (ax < 0 || removed[ax] || in[ax] != 1) {
                    return null;
                }
                removed[ax] = true;
            }
        }
        return Arrays.stream(indices(in.length)).filter(i -> !removed[i]).mapToLong(i -> in[i]).toArray();
    }

    /** Flatten to 2-D around {@code axis} (in [-rank, rank]); null when a side's size overflows (a hostile model). */
    static long[] flatten(long[] in, long axis) {
        long a = axis < 0 ? axis + in.length : axis;
        if (a < 0 || a > in.length) {
            return null;
        }
        try {
            return new long[]{count(Arrays.copyOfRange(in, 0, (int) a)), count(Arrays.copyOfRange(in, (int) a, in.length))};
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    /** Output dims of Gather along {@code axis}. */
    static long[] gather(long[] data, long[] indices, long axis) {
        int ax = axis(axis, data.length);
        if (ax < 0) {
            return null;
        }
        long[] out = new long[data.length - 1 + indices.length];
        int k = 0;
        for (int i = 0; i < ax; i++) {
            out[k++] = data[i];
        }
        for (long d : indices) {
            out[k++] = d;
        }
        for (int i = ax + 1; i < data.length; i++) {
            out[k++] = data[i];
        }
        return out;
    }

    /** Output dims of Concat along {@code axis}, or null when the other dims differ. */
    static long[] concat(long[][] inputs, long axis) {
        if (inputs.length == 0) {
            return null;
        }
        int rank = inputs[0].length;
        int ax = axis(axis, rank);
        if (ax < 0) {
            return null;
        }
        long[] out = inputs[0].clone();
        for (int k = 1; k < inputs.length; k++) {
            long[] s = inputs[k];
            if (s.length != rank) {
                return null;
            }
            for (int i = 0; i < rank; i++) {
                if (i == ax) {
                    out[i] += s[i];
                } else if (s[i] != out[i]) {
                    return null;
                }
            }
        }
        return out;
    }

    /** Per-axis start, step and element count of a Slice over {@code dims}; every axis is present. */
    record SliceSpec(long[] starts, long[] steps, long[] counts) {
    }

    /** ONNX Slice semantics: negative indices count from the end, then clamp (step-dependent). */
    static SliceSpec slice(long[] dims, long[] starts, long[] ends, long[] axes, long[] steps) {
        int rank = dims.length;
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            return null;
        }
        long[] st = new long[rank];
        long[] sp = new long[rank];
        long[] ct = dims.clone();
        Arrays.fill(sp, 1);
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < n; i++) {
            int ax = axes == null ? i : axis(axes[i], rank);
            if (ax < 0 || seen[ax]) {
                return null;
            }
            seen[ax] = true;
            long dim = dims[ax];
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                return null;
            }
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (step > 0) {
                start = clamp(start, 0, dim);
                end = clamp(end, 0, dim);
                count = end > start ? ceilDiv(end - start, step) : 0;
            } else {
                start = clamp(start, 0, dim - 1);
                end = clamp(end, -1, dim - 1);
                count = start > end ? ceilDiv(start - end, -step) : 0;
            }
            st[ax] = start;
            sp[ax] = step;
            ct[ax] = count;
        }
        return new SliceSpec(st, sp, ct);
    }

    static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Ceiling of a / b for a >= 0, b > 0. */
    static long ceilDiv(long a, long b) {
        return a / b + (a % b == 0 ? 0 : 1);
    }

    /** numpy matmul shapes (1-D operands promoted and then dropped), or null. */
    static long[] matmul(long[] a, long[] b) {
        if (a.length == 0 || b.length == 0) {
            return null;
        }
        long[] a2 = a.length == 1 ? new long[]{1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[]{b[0], 1} : b;
        if (a2[a2.length - 1] != b2[b2.length - 2]) {
            return null;
        }
        long[] batch = broadcast(Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        if (batch == null) {
            return null;
        }
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = a2[a2.length - 2];
        out[batch.length + 1] = b2[b2.length - 1];
        if (a.length == 1 && b.length == 1) {
            return Arrays.copyOf(batch, batch.length);
        }
        if (a.length == 1) {
            return dropAxis(out, out.length - 2);
        }
        if (b.length == 1) {
            return dropAxis(out, out.length - 1);
        }
        return out;
    }

    private static long[] dropAxis(long[] dims, int axis) {
        long[] out = new long[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != axis) {
                out[j++] = dims[i];
            }
        }
        return out;
    }

    private static int[] indices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
