package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A strided view of Q or K as [batch, seq, heads, head_dim]: element (b, s, h, i) is element
 * {@code offset + b·batchStride + s·seqStride + h·headStride + i} of {@code data} (all in elements, so a
 * packed qkv buffer is shared by the Q and K views with different offsets). The head_dim axis is
 * contiguous.
 */
public record HeadsView(MemorySegment data, long offset, long batchStride, long seqStride, long headStride) {

    /** Contiguous [batch, seq, heads, headDim] starting at element 0. */
    public static HeadsView contiguous(MemorySegment data, long seq, long heads, long headDim) {
        return new HeadsView(data, 0, seq * heads * headDim, heads * headDim, headDim);
    }

    long at(long b, long s, long h) {
        return offset + b * batchStride + s * seqStride + h * headStride;
    }
}
