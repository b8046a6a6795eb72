package dev.graphfuse.dispatch;

/**
 * Folds the token axes of a strided tensor into the kernels' (batch, seq) pair: seq is the last token
 * axis, batch the product of the others, which must be evenly strided among themselves (a stride of 0
 * everywhere, a broadcast, also folds).
 */
record TokenAxes(long batch, long seq, long batchStride, long seqStride) {

    /** sizes/strides of the token axes in order; null when they do not fold. */
    static TokenAxes fold(long[] sizes, long[] strides) {
        int m = sizes.length;
        if (m == 0) {
            return new TokenAxes(1, 1, 0, 0);
        }
        long seq = sizes[m - 1];
        long seqStride = seq == 1 ? 0 : strides[m - 1];
        long batch = 1;
        long batchStride = 0;
        for (int i = m - 2; i >= 0; i--) {
            if (sizes[i] == 1) {
                continue;
            }
            if (batch == 1) {
                batchStride = strides[i];
            } else if (strides[i] != batchStride * batch) {
                return null;
            }
            batch *= sizes[i];
        }
        return new TokenAxes(batch, seq, batchStride, seqStride);
    }
}
