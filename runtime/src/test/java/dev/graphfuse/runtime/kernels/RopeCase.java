package dev.graphfuse.runtime.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/**
 * One randomly filled rope-family call: its geometry, how Q/K are laid out, where the angles come from
 * and how positions look. Inputs are fresh random values (never zeros); positions of multimodal cases
 * differ between T, H and W.
 */
record RopeCase(FusedOp op, DType dtype, DType weightDtype, DType tableDtype, long batch, long seq, int nq, int nk,
                int nv, int hd, int rot, boolean gptj, Layout layout, AngleSource source, Mrope mrope,
                float weightOffset, long maxPosition) {

    /** packed: vLLM's qkv [T, (nq+nk+nv)·hd] rotated in place, V untouched; separate: HF's q and k
     * [B, S, heads·hd] written out of place to [B, heads, S, hd] (the transposed layout attention reads). */
    enum Layout { PACKED, SEPARATE }

    /** a cos|sin cache indexed by position, per-token full-width tables (HF's cat(freqs, freqs)), or inv_freq. */
    enum AngleSource { CACHE, PER_TOKEN, INV_FREQ }

    enum Mrope { NONE, INTERLEAVED, CHUNKED }

    @Override
    public String toString() {
        return op + " " + dtype + " w" + weightDtype + " table" + tableDtype + " B" + batch + " S" + seq + " q" + nq
                + " k" + nk + " v" + nv + " hd" + hd + " rot" + rot + (gptj ? " gptj" : " neox") + " " + layout + " "
                + source + (mrope == Mrope.NONE ? "" : " mrope-" + mrope) + (weightOffset != 0 ? " gemma" : "");
    }

    /** The call's buffers, all in one arena; {@code packed} is the qkv buffer of PACKED cases. */
    record Buffers(RopeArgs args, MemorySegment packed, MemorySegment packedBefore) {
    }

    Buffers build(Arena arena, Random rnd) {
        long tokens = batch * seq;
        HeadsView q;
        HeadsView qOut;
        HeadsView k;
        HeadsView kOut;
        MemorySegment packed = null;
        MemorySegment before = null;
        if (layout == Layout.PACKED) {
            long row = (long) (nq + nk + nv) * hd;
            packed = random(arena, dtype, tokens * row, rnd, 2f);
            before = arena.allocate(packed.byteSize()).copyFrom(packed);
            q = new HeadsView(packed, 0, seq * row, row, hd);
            k = new HeadsView(packed, (long) nq * hd, seq * row, row, hd);
            qOut = q;
            kOut = k;
        } else {
            MemorySegment qs = random(arena, dtype, tokens * nq * hd, rnd, 2f);
            MemorySegment ks = random(arena, dtype, tokens * nk * hd, rnd, 2f);
            q = HeadsView.contiguous(qs, seq, nq, hd);
            k = HeadsView.contiguous(ks, seq, nk, hd);
            qOut = new HeadsView(arena.allocate(tokens * nq * hd * dtype.bytes()), 0, (long) nq * seq * hd, hd, seq * hd);
            kOut = new HeadsView(arena.allocate(tokens * nk * hd * dtype.bytes()), 0, (long) nk * seq * hd, hd, seq * hd);
        }
        QkWeights norm = null;
        if (op == FusedOp.QK_NORM || op == FusedOp.QK_NORM_ROPE || op == FusedOp.QK_NORM_MROPE) {
            // Gemma weights sit around 0 (the 1 is added in the kernel), others around 1
            float centre = weightOffset == 0 ? 1f : 0f;
            norm = new QkWeights(weightDtype, weights(arena, weightDtype, hd, rnd, centre),
                    weights(arena, weightDtype, hd, rnd, centre), 1e-6f, weightOffset);
        }
        Angles angles = null;
        Positions positions = null;
        if (rot > 0) {
            double[] invFreq = new double[rot / 2];
            for (int j = 0; j < rot / 2; j++) {
                invFreq[j] = Math.pow(1_000_000.0, -2.0 * j / rot);
            }
            int sections = mrope == Mrope.NONE ? 1 : 3;
            if (source != AngleSource.PER_TOKEN || sections == 3) {
                positions = positions(arena, rnd, sections);
            }
            angles = switch (source) {
                case CACHE -> cache(arena, invFreq);
                case PER_TOKEN -> perToken(arena, invFreq, positions);
                case INV_FREQ -> {
                    MemorySegment f = arena.allocate(4L * invFreq.length);
                    for (int j = 0; j < invFreq.length; j++) {
                        DType.F32.writeFloat(f, j, (float) invFreq[j]);
                    }
                    yield new Angles.InvFreq(f, 1f);
                }
            };
            if (source == AngleSource.PER_TOKEN) {
                positions = null;
            }
        }
        RopeArgs args = new RopeArgs(dtype, batch, seq, nq, nk, hd, rot, gptj, norm, q, qOut, nk == 0 ? null : k,
                nk == 0 ? null : kOut, angles, positions);
        return new Buffers(args, packed, before);
    }

    private Positions positions(Arena arena, Random rnd, int rows) {
        MemorySegment p = arena.allocate(8L * rows * batch * seq);
        for (long i = 0; i < rows * batch * seq; i++) {
            p.setAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i, (long) rnd.nextInt((int) maxPosition));
        }
        if (rows == 1) {
            return Positions.of(DType.I64, p, seq, maxPosition);
        }
        int half = rot / 2;
        // Qwen3-VL's [24, 20, 20] scaled to this rot/2: T gets the remainder
        int h = half * 20 / 64;
        int[] section = {half - 2 * h, h, h};
        return Positions.multimodal(DType.I64, p, batch, seq, maxPosition, section, mrope == Mrope.INTERLEAVED);
    }

    /** vLLM's cos|sin cache [maxPosition, rot]: cos = row start, sin = row start + rot/2. */
    private Angles cache(Arena arena, double[] invFreq) {
        int half = invFreq.length;
        MemorySegment c = arena.allocate(maxPosition * 2 * half * tableDtype.bytes());
        for (long p = 0; p < maxPosition; p++) {
            for (int j = 0; j < half; j++) {
                double theta = p * invFreq[j];
                tableDtype.writeFloat(c, p * 2 * half + j, (float) Math.cos(theta));
                tableDtype.writeFloat(c, p * 2 * half + half + j, (float) Math.sin(theta));
            }
        }
        return new Angles.Table(tableDtype, c, c.asSlice((long) half * tableDtype.bytes()), 0, 2L * half, half);
    }

    /** HF's per-token cos/sin [B, S, rot] = cat(freqs, freqs) (gpt-j: repeat-interleaved), computed from positions. */
    private Angles perToken(Arena arena, double[] invFreq, Positions positions) {
        int half = invFreq.length;
        MemorySegment c = arena.allocate(batch * seq * rot * tableDtype.bytes());
        MemorySegment s = arena.allocate(batch * seq * rot * tableDtype.bytes());
        for (long t = 0; t < batch * seq; t++) {
            for (int i = 0; i < rot; i++) {
                int j = gptj ? i / 2 : i % half;
                long pos = positions == null ? t : positions.dtype().readLong(positions.data(), positions.axisOf(j)
                        * positions.axisStride() + t);
                double theta = pos * invFreq[j];
                tableDtype.writeFloat(c, t * rot + i, (float) Math.cos(theta));
                tableDtype.writeFloat(s, t * rot + i, (float) Math.sin(theta));
            }
        }
        return new Angles.Table(tableDtype, c, s, seq * rot, rot, rot);
    }

    static MemorySegment random(Arena arena, DType t, long count, Random rnd, float scale) {
        MemorySegment m = arena.allocate(count * t.bytes());
        for (long i = 0; i < count; i++) {
            float v = (float) (rnd.nextGaussian() * scale);
            t.writeFloat(m, i, v == 0f ? 0.5f : v);
        }
        return m;
    }

    private static MemorySegment weights(Arena arena, DType t, int n, Random rnd, float centre) {
        MemorySegment m = arena.allocate((long) n * t.bytes());
        for (int i = 0; i < n; i++) {
            t.writeFloat(m, i, centre + (float) rnd.nextGaussian() * 0.2f);
        }
        return m;
    }
}
