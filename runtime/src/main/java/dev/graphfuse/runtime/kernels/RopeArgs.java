package dev.graphfuse.runtime.kernels;

/**
 * Arguments of the rope-family ops (QkNorm, QkNormRope, QkNormMRope, MRope, Rope): the Java mirror of
 * the header's {@code gf_rope_args}. Tokens are (b, s) with b &lt; batch, s &lt; seq; for every token and
 * every head of Q then K: optional per-head RMSNorm ({@code norm}), optional rotation of the first
 * {@code rotaryDim} dims (neox halves or gpt-j pairs), dims past rotaryDim unchanged, one rounding to
 * {@code dtype} at the store. {@code numKHeads} may be 0 (Rope of one tensor, {@code k} null).
 * {@code angles} and {@code positions} are null when rotaryDim is 0.
 */
public record RopeArgs(DType dtype, long batch, long seq, int numQHeads, int numKHeads, int headDim,
                       int rotaryDim, boolean interleaved, QkWeights norm, HeadsView q, HeadsView qOut,
                       HeadsView k, HeadsView kOut, Angles angles, Positions positions) {

    /** Why these arguments do not describe {@code op}, or null when they do. */
    public String invalidFor(FusedOp op) {
        if (!op.ropeFamily()) {
            return op + " is not a rope-family op";
        }
        boolean wantsNorm = op == FusedOp.QK_NORM || op == FusedOp.QK_NORM_ROPE || op == FusedOp.QK_NORM_MROPE;
        if (wantsNorm != (norm != null)) {
            return wantsNorm ? op + " needs norm weights" : op + " takes no norm weights";
        }
        if (op == FusedOp.QK_NORM) {
            if (rotaryDim != 0) {
                return "QkNorm has rotary_dim 0, got " + rotaryDim;
            }
        } else if (rotaryDim <= 0) {
            return op + " needs rotary_dim > 0";
        }
        boolean multimodal = positions != null && positions.rows() == 3;
        boolean wantsMultimodal = op == FusedOp.QK_NORM_MROPE || op == FusedOp.MROPE;
        if (rotaryDim > 0 && wantsMultimodal != multimodal) {
            return wantsMultimodal ? op + " needs 3-row positions" : op + " takes 0 or 1 position rows, not 3";
        }
        if (dtype == null || !dtype.isFloat()) {
            return "q/k dtype must be f32, f16 or bf16, got " + dtype;
        }
        if (batch < 0 || seq < 0) {
            return "batch and seq must be >= 0, got " + batch + " and " + seq;
        }
        if (numQHeads < 1 || numKHeads < 0) {
            return "need num_q_heads >= 1 and num_k_heads >= 0, got " + numQHeads + " and " + numKHeads;
        }
        if (headDim < 2 || headDim % 2 != 0) {
            return "head_dim must be even and >= 2, got " + headDim;
        }
        if (rotaryDim < 0 || rotaryDim % 2 != 0 || rotaryDim > headDim) {
            return "rotary_dim must be even and <= head_dim " + headDim + ", got " + rotaryDim;
        }
        if (q == null || qOut == null || (numKHeads > 0 && (k == null || kOut == null))) {
            return "missing q/k input or output view";
        }
        if (norm != null && (norm.q() == null || (numKHeads > 0 && norm.k() == null) || !norm.dtype().isFloat())) {
            return "norm weights must be float tensors for q" + (numKHeads > 0 ? " and k" : "");
        }
        return rotaryDim == 0 ? null : invalidAngles();
    }

    private String invalidAngles() {
        int half = rotaryDim / 2;
        if (angles == null) {
            return "rotary_dim " + rotaryDim + " needs angles (tables or inv_freq)";
        }
        if (positions != null) {
            if (positions.rows() != 1 && positions.rows() != 3) {
                return "positions have 1 or 3 rows, got " + positions.rows();
            }
            if (positions.dtype() != DType.I64 && positions.dtype() != DType.I32) {
                return "positions must be int64 or int32, got " + positions.dtype();
            }
            if (positions.rows() == 3) {
                int[] sec = positions.mropeSection();
                if (sec[0] < 0 || sec[1] < 0 || sec[2] < 0 || sec[0] + sec[1] + sec[2] != half) {
                    return "mrope_section " + java.util.Arrays.toString(sec) + " must sum to rotary_dim / 2 = " + half;
                }
            }
        }
        return switch (angles) {
            case Angles.Table t -> {
                if (t.width() != half && t.width() != rotaryDim) {
                    yield "cos/sin width must be rotary_dim / 2 = " + half + " or rotary_dim = " + rotaryDim + ", got " + t.width();
                }
                if (t.dtype() == null || !t.dtype().isFloat()) {
                    yield "cos/sin must be f32, f16 or bf16, got " + t.dtype();
                }
                if (positions != null && positions.maxPosition() <= 0) {
                    yield "positions index a table, so max_position must be > 0";
                }
                yield null;
            }
            case Angles.InvFreq f -> positions == null ? "angles from inv_freq need positions" : null;
        };
    }
}
