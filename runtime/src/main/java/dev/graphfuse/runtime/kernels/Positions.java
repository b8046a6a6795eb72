package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Token positions: {@code rows} = 1 ([batch, seq]) or 3 (multimodal [3, batch, seq]: T, H, W).
 * Element (axis, b, s) is at {@code axis·axisStride + b·batchStride + s·seqStride}. {@code maxPosition}
 * bounds table lookups (a position outside [0, maxPosition) is an error, never an out-of-bounds read);
 * it is unused for angles computed from inv_freq. {@code mropeSection} (T, H, W frequency counts,
 * summing to rotary_dim / 2) and {@code mropeInterleaved} matter only for 3 rows.
 */
public record Positions(DType dtype, MemorySegment data, int rows, long axisStride, long batchStride,
                        long seqStride, long maxPosition, int[] mropeSection, boolean mropeInterleaved) {

    public Positions {
        mropeSection = mropeSection == null ? new int[3] : mropeSection.clone();
    }

    /** One position per token, [batch, seq] contiguous. */
    public static Positions of(DType dtype, MemorySegment data, long seq, long maxPosition) {
        return new Positions(dtype, data, 1, 0, seq, 1, maxPosition, null, false);
    }

    /** Multimodal positions [3, batch, seq] contiguous. */
    public static Positions multimodal(DType dtype, MemorySegment data, long batch, long seq, long maxPosition,
                                       int[] section, boolean interleaved) {
        return new Positions(dtype, data, 3, batch * seq, seq, 1, maxPosition, section, interleaved);
    }

    /** Which row (0 T, 1 H, 2 W) frequency j takes its position from (docs/ops.md, MRoPE section layouts). */
    int axisOf(int j) {
        if (rows != 3) {
            return 0;
        }
        if (mropeInterleaved) {
            if (j % 3 == 1 && j < 3 * mropeSection[1]) {
                return 1;
            }
            if (j % 3 == 2 && j < 3 * mropeSection[2]) {
                return 2;
            }
            return 0;
        }
        if (j < mropeSection[0]) {
            return 0;
        }
        return j < mropeSection[0] + mropeSection[1] ? 1 : 2;
    }

    long at(int axis, long b, long s) {
        return axis * axisStride + b * batchStride + s * seqStride;
    }
}
