package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The CPU backend and the Java reference kernels: fp32 math, one rounding at the store, exactly the
 * semantics of docs/ops.md that the CUDA kernels implement. Works on heap or
 * native segments; a head is read whole before it is written, so in-place views are fine.
 */
public final class CpuKernels implements KernelBackend {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public void rope(FusedOp op, RopeArgs a) {
        String invalid = a.invalidFor(op);
        if (invalid != null) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, op + ": " + invalid);
        }
        checkPositions(a);
        int hd = a.headDim();
        int half = a.rotaryDim() / 2;
        float[] y = new float[hd];
        // cos/sin of the first (a) and second (b) member of pair j: they differ only for full-width tables
        float[] cosA = new float[half];
        float[] sinA = new float[half];
        float[] cosB = new float[half];
        float[] sinB = new float[half];
        for (long b = 0; b < a.batch(); b++) {
            for (long s = 0; s < a.seq(); s++) {
                if (half > 0) {
                    angles(a, b, s, cosA, sinA, cosB, sinB);
                }
                for (int h = 0; h < a.numQHeads(); h++) {
                    head(a, a.q(), a.qOut(), a.norm() == null ? null : a.norm().q(), b, s, h, y, cosA, sinA, cosB, sinB);
                }
                for (int h = 0; h < a.numKHeads(); h++) {
                    head(a, a.k(), a.kOut(), a.norm() == null ? null : a.norm().k(), b, s, h, y, cosA, sinA, cosB, sinB);
                }
            }
        }
    }

    private static void head(RopeArgs a, HeadsView in, HeadsView out, MemorySegment weight, long b, long s, int h,
                             float[] y, float[] cosA, float[] sinA, float[] cosB, float[] sinB) {
        int hd = a.headDim();
        DType t = a.dtype();
        long src = in.at(b, s, h);
        for (int i = 0; i < hd; i++) {
            y[i] = t.readFloat(in.data(), src + i);
        }
        if (weight != null) {
            QkWeights n = a.norm();
            float r = rsqrtMeanSquare(y, hd, n.epsilon());
            for (int i = 0; i < hd; i++) {
                y[i] = y[i] * r * (n.dtype().readFloat(weight, i) + n.weightOffset());
            }
        }
        long dst = out.at(b, s, h);
        int half = a.rotaryDim() / 2;
        for (int j = 0; j < half; j++) {
            int ia = a.interleaved() ? 2 * j : j;
            int ib = a.interleaved() ? 2 * j + 1 : j + half;
            float ya = y[ia];
            float yb = y[ib];
            t.writeFloat(out.data(), dst + ia, ya * cosA[j] - yb * sinA[j]);
            t.writeFloat(out.data(), dst + ib, yb * cosB[j] + ya * sinB[j]);
        }
        for (int i = a.rotaryDim(); i < hd; i++) {
            t.writeFloat(out.data(), dst + i, y[i]);
        }
    }

    private static void angles(RopeArgs a, long b, long s, float[] cosA, float[] sinA, float[] cosB, float[] sinB) {
        int half = a.rotaryDim() / 2;
        Positions p = a.positions();
        switch (a.angles()) {
            case Angles.Table t -> {
                boolean full = t.width() == a.rotaryDim();
                for (int j = 0; j < half; j++) {
                    long row = p == null ? b * t.batchStride() + s * t.rowStride() : position(a, p, j, b, s) * t.rowStride();
                    int ia = !full ? j : a.interleaved() ? 2 * j : j;
                    int ib = !full ? j : a.interleaved() ? 2 * j + 1 : j + half;
                    cosA[j] = t.dtype().readFloat(t.cos(), row + ia);
                    sinA[j] = t.dtype().readFloat(t.sin(), row + ia);
                    cosB[j] = t.dtype().readFloat(t.cos(), row + ib);
                    sinB[j] = t.dtype().readFloat(t.sin(), row + ib);
                }
            }
            case Angles.InvFreq f -> {
                for (int j = 0; j < half; j++) {
                    float theta = (float) position(a, p, j, b, s) * DType.F32.readFloat(f.invFreq(), j);
                    cosA[j] = cosB[j] = (float) Math.cos(theta) * f.attentionScaling();
                    sinA[j] = sinB[j] = (float) Math.sin(theta) * f.attentionScaling();
                }
            }
        }
    }

    private static long position(RopeArgs a, Positions p, int j, long b, long s) {
        return p.dtype().readLong(p.data(), p.at(p.axisOf(j), b, s));
    }

    /** Table lookups are bounds-checked before anything is written, so a refused call leaves outputs as they were. */
    private static void checkPositions(RopeArgs a) {
        Positions p = a.positions();
        if (a.rotaryDim() == 0 || p == null || !(a.angles() instanceof Angles.Table)) {
            return;
        }
        for (int axis = 0; axis < p.rows(); axis++) {
            for (long b = 0; b < a.batch(); b++) {
                for (long s = 0; s < a.seq(); s++) {
                    long pos = p.dtype().readLong(p.data(), p.at(axis, b, s));
                    if (pos < 0 || pos >= p.maxPosition()) {
                        throw new KernelException(KernelException.POSITION_RANGE, "position " + pos + " (row " + axis
                                + ", token " + b + "," + s + ") is outside the cos/sin table [0, " + p.maxPosition() + ")");
                    }
                }
            }
        }
    }

    @Override
    public void norm(FusedOp op, NormArgs a) {
        String invalid = a.invalidFor(op);
        if (invalid != null) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, op + ": " + invalid);
        }
        int n = Math.toIntExact(a.n());
        float[] x = new float[n];
        for (long row = 0; row < a.rows(); row++) {
            long src = a.x().at(row);
            for (int i = 0; i < n; i++) {
                x[i] = a.dtype().readFloat(a.x().data(), src + i);
            }
            float r = rsqrtMeanSquare(x, n, a.epsilon());
            long dst = a.out().at(row);
            for (int i = 0; i < n; i++) {
                float v = x[i] * r * (a.weightDtype().readFloat(a.weight(), i) + a.weightOffset());
                if (a.z() != null) {
                    float z = a.dtype().readFloat(a.z().data(), a.z().at(row) + i);
                    v = v * (z * sigmoid(z));
                }
                a.outDtype().writeFloat(a.out().data(), dst + i, v);
            }
        }
    }

    /** 1 / sqrt(Σx² / n + eps), the sum in fp32 as the GPU reduces it (order aside). */
    static float rsqrtMeanSquare(float[] x, int n, float epsilon) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[i] * x[i];
        }
        return (float) (1.0 / Math.sqrt(sum / n + epsilon));
    }

    static float sigmoid(float z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
