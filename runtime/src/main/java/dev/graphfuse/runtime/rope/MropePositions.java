package dev.graphfuse.runtime.rope;

/**
 * Multimodal RoPE position ids of a batch, laid out as Hugging Face returns them: {@code positionIds} is
 * the row-major {@code (3, batch, seqLen)} tensor (axis 0 temporal, 1 height, 2 width; padding is 0), and
 * {@code ropeDeltas[b]} is {@code max(positions of row b) + 1 − attended tokens of row b} (Hugging Face's
 * {@code (batch, 1)} tensor, flattened). The arrays are the caller's to keep; they are not copied.
 */
public record MropePositions(int batch, int seqLen, long[] positionIds, long[] ropeDeltas) {
    public MropePositions {
        if (positionIds.length != 3L * batch * seqLen || ropeDeltas.length != batch) {
            throw new IllegalArgumentException("positionIds must hold 3 × " + batch + " × " + seqLen
                    + " values and ropeDeltas " + batch + "; got " + positionIds.length + " and " + ropeDeltas.length);
        }
    }

    /** The position of token {@code s} of row {@code b} on {@code axis} (0 t, 1 h, 2 w). */
    public long at(int axis, int b, int s) {
        return positionIds[(axis * batch + b) * seqLen + s];
    }
}
