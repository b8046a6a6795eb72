package dev.graphfuse.runtime.kernels;

/** The fused ops the kernels implement, each with its C entry point (graphfuse_kernels.h). */
public enum FusedOp {
    QK_NORM("QkNorm", "gf_qk_norm", true),
    QK_NORM_ROPE("QkNormRope", "gf_qk_norm_rope", true),
    QK_NORM_MROPE("QkNormMRope", "gf_qk_norm_mrope", true),
    MROPE("MRope", "gf_mrope", true),
    ROPE("Rope", "gf_rope", true),
    RMS_NORM("RmsNorm", "gf_rms_norm", false),
    GEMMA_RMS_NORM("GemmaRmsNorm", "gf_gemma_rms_norm", false),
    RMS_NORM_GATED("RmsNormGated", "gf_rms_norm_gated", false);

    private final String opType;
    private final String symbol;
    private final boolean ropeFamily;

    FusedOp(String opType, String symbol, boolean ropeFamily) {
        this.opType = opType;
        this.symbol = symbol;
        this.ropeFamily = ropeFamily;
    }

    /** The op's name in the graphfuse ONNX domain. */
    public String opType() {
        return opType;
    }

    /** The C entry point. */
    public String symbol() {
        return symbol;
    }

    public boolean ropeFamily() {
        return ropeFamily;
    }

    @Override
    public String toString() {
        return opType;
    }
}
