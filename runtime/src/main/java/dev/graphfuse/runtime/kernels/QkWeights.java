package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The per-head RMSNorm step of a rope-family op: scales {@code q} and {@code k} ([head_dim] each, in
 * {@code dtype}), the shared epsilon, and weightOffset 0 or 1 (Gemma's 1 + w, the 1 added in fp32).
 */
public record QkWeights(DType dtype, MemorySegment q, MemorySegment k, float epsilon, float weightOffset) {
}
