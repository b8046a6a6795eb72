package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The fused ops computed in float64 straight from the definition in docs/ops.md,
 * written independently of {@link CpuKernels}: the oracle both backends are checked against. Besides
 * each value it returns a magnitude (Σ|terms|), so a tolerance can be relative to the size of what was
 * summed rather than to a result that cancellation made small.
 */
final class Float64Reference {
    /** value and magnitude per output element, indexed [tensor 0 = q, 1 = k][((b·seq + s)·heads + h)·hd + i]. */
    record Result(double[][] value, double[][] magnitude) {
    }

    private Float64Reference() {
    }

    static Result rope(RopeArgs a) {
        int hd = a.headDim();
        long tokens = a.batch() * a.seq();
        double[][] value = {new double[Math.toIntExact(tokens * a.numQHeads() * hd)],
                new double[Math.toIntExact(tokens * a.numKHeads() * hd)]};
        double[][] magnitude = {new double[value[0].length], new double[value[1].length]};
        for (int which = 0; which < 2; which++) {
            int heads = which == 0 ? a.numQHeads() : a.numKHeads();
            HeadsView in = which == 0 ? a.q() : a.k();
            MemorySegment w = a.norm() == null ? null : which == 0 ? a.norm().q() : a.norm().k();
            for (long b = 0; b < a.batch(); b++) {
                for (long s = 0; s < a.seq(); s++) {
                    for (int h = 0; h < heads; h++) {
                        int base = Math.toIntExact(((b * a.seq() + s) * heads + h) * hd);
                        head(a, in, w, b, s, h, value[which], magnitude[which], base);
                    }
                }
            }
        }
        return new Result(value, magnitude);
    }

    private static void head(RopeArgs a, HeadsView in, MemorySegment w, long b, long s, int h, double[] out,
                             double[] mag, int base) {
        int hd = a.headDim();
        double[] y = new double[hd];
        long src = in.offset() + b * in.batchStride() + s * in.seqStride() + h * in.headStride();
        for (int i = 0; i < hd; i++) {
            y[i] = a.dtype().readFloat(in.data(), src + i);
        }
        if (w != null) {
            double ss = 0;
            for (double v : y) {
                ss += v * v;
            }
            double r = 1 / Math.sqrt(ss / hd + a.norm().epsilon());
            for (int i = 0; i < hd; i++) {
                y[i] = y[i] * r * ((double) a.norm().dtype().readFloat(w, i) + a.norm().weightOffset());
            }
        }
        int rot = a.rotaryDim();
        for (int i = 0; i < hd; i++) {
            if (i >= rot) {
                out[base + i] = y[i];
                mag[base + i] = Math.abs(y[i]);
                continue;
            }
            // pair (first, second) containing i, and the frequency index j of that pair
            boolean gptj = a.interleaved();
            int j = gptj ? i / 2 : i % (rot / 2);
            int first = gptj ? 2 * j : j;
            int second = gptj ? 2 * j + 1 : j + rot / 2;
            double c = cos(a, b, s, j, i);
            double sn = sin(a, b, s, j, i);
            if (i == first) {
                out[base + i] = y[first] * c - y[second] * sn;
                mag[base + i] = Math.abs(y[first] * c) + Math.abs(y[second] * sn);
            } else {
                out[base + i] = y[second] * c + y[first] * sn;
                mag[base + i] = Math.abs(y[second] * c) + Math.abs(y[first] * sn);
            }
        }
    }

    private static double cos(RopeArgs a, long b, long s, int j, int i) {
        return trig(a, b, s, j, i, true);
    }

    private static double sin(RopeArgs a, long b, long s, int j, int i) {
        return trig(a, b, s, j, i, false);
    }

    /** Table entry (j for a half-width table, the output dim i for a full-width one) or θ from inv_freq. */
    private static double trig(RopeArgs a, long b, long s, int j, int i, boolean cos) {
        Positions p = a.positions();
        long pos = 0;
        if (p != null) {
            int axis = axis(p, j);
            pos = p.dtype().readLong(p.data(), axis * p.axisStride() + b * p.batchStride() + s * p.seqStride());
        }
        return switch (a.angles()) {
            case Angles.Table t -> {
                long row = p == null ? b * t.batchStride() + s * t.rowStride() : pos * t.rowStride();
                int col = t.width() == a.rotaryDim() ? i : j;
                yield t.dtype().readFloat(cos ? t.cos() : t.sin(), row + col);
            }
            case Angles.InvFreq f -> {
                // θ is an fp32 product by definition (as Hugging Face computes it); only cos/sin are exact
                float theta = (float) pos * DType.F32.readFloat(f.invFreq(), j);
                yield (cos ? Math.cos(theta) : Math.sin(theta)) * f.attentionScaling();
            }
        };
    }

    /** Written out from docs/ops.md rather than calling Positions.axisOf, so a slip there is caught. */
    private static int axis(Positions p, int j) {
        if (p.rows() == 1) {
            return 0;
        }
        int[] sec = p.mropeSection();
        if (p.mropeInterleaved()) {
            return j % 3 == 1 && j < 3 * sec[1] ? 1 : j % 3 == 2 && j < 3 * sec[2] ? 2 : 0;
        }
        return j < sec[0] ? 0 : j < sec[0] + sec[1] ? 1 : 2;
    }

    static Result norm(NormArgs a) {
        int n = Math.toIntExact(a.n());
        double[] value = new double[Math.toIntExact(a.rows() * n)];
        double[] magnitude = new double[value.length];
        for (long row = 0; row < a.rows(); row++) {
            long src = a.x().offset() + row * a.x().rowStride();
            double ss = 0;
            for (int i = 0; i < n; i++) {
                double x = a.dtype().readFloat(a.x().data(), src + i);
                ss += x * x;
            }
            double r = 1 / Math.sqrt(ss / n + a.epsilon());
            for (int i = 0; i < n; i++) {
                double x = a.dtype().readFloat(a.x().data(), src + i);
                double v = x * r * ((double) a.weightDtype().readFloat(a.weight(), i) + a.weightOffset());
                if (a.z() != null) {
                    double z = a.dtype().readFloat(a.z().data(), a.z().offset() + row * a.z().rowStride() + i);
                    v *= z / (1 + Math.exp(-z));
                }
                value[Math.toIntExact(row * n + i)] = v;
                magnitude[Math.toIntExact(row * n + i)] = Math.abs(v);
            }
        }
        return new Result(new double[][] {value}, new double[][] {magnitude});
    }
}
