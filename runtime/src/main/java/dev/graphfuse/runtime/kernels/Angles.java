package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/** Where the rotation angles of a rope-family op come from (the header's angle_source). */
public sealed interface Angles {

    /**
     * cos / sin tables. Without positions the row of token (b, s) starts at element
     * {@code b·batchStride + s·rowStride} (a stride may be 0 to broadcast); with positions the row of
     * position p starts at {@code p·rowStride}. {@code width} is rotary_dim / 2 (a cos|sin cache row: both
     * members of a pair use entry j) or rotary_dim (Hugging Face's cat(freqs, freqs): each output dim
     * uses its own entry).
     */
    record Table(DType dtype, MemorySegment cos, MemorySegment sin, long batchStride, long rowStride, int width)
            implements Angles {
    }

    /**
     * θ_j = f32(position) · invFreq[j] in fp32 (as Hugging Face's rotary embedding computes it), then
     * cos θ and sin θ, times {@code attentionScaling}. Needs positions.
     */
    record InvFreq(MemorySegment invFreq, float attentionScaling) implements Angles {
    }
}
