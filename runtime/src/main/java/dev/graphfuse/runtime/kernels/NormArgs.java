package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * Arguments of the norm-family ops (RmsNorm, GemmaRmsNorm, RmsNormGated): the Java mirror of the
 * header's {@code gf_norm_args}. For each of {@code rows} rows of width n:
 * {@code out = round(x · r · (w + weightOffset) [· z · sigmoid(z)])}, r = 1 / sqrt(Σx² / n + epsilon),
 * all in fp32, one rounding to {@code outDtype}. {@code z} is null unless gated.
 */
public record NormArgs(DType dtype, DType outDtype, DType weightDtype, long rows, long n, float epsilon,
                       float weightOffset, RowsView x, RowsView z, RowsView out, MemorySegment weight) {

    /** Why these arguments do not describe {@code op}, or null when they do. */
    public String invalidFor(FusedOp op) {
        if (op.ropeFamily()) {
            return op + " is not a norm-family op";
        }
        if ((op == FusedOp.RMS_NORM_GATED) != (z != null)) {
            return op == FusedOp.RMS_NORM_GATED ? "RmsNormGated needs the gate z" : op + " takes no gate";
        }
        if ((op == FusedOp.GEMMA_RMS_NORM) != (weightOffset == 1f)) {
            return op == FusedOp.GEMMA_RMS_NORM ? "GemmaRmsNorm has weight_offset 1" : op + " has weight_offset 0";
        }
        if (weightOffset != 0f && weightOffset != 1f) {
            return "weight_offset must be 0 or 1, got " + weightOffset;
        }
        for (DType t : new DType[] {dtype, outDtype, weightDtype}) {
            if (t == null || !t.isFloat()) {
                return "x, out and weight must be f32, f16 or bf16, got " + t;
            }
        }
        if (rows < 0 || n < 1) {
            return "need rows >= 0 and n >= 1, got " + rows + " and " + n;
        }
        if (x == null || out == null || weight == null) {
            return "missing x, out or weight";
        }
        return null;
    }
}
