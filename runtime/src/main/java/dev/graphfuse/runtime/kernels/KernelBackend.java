package dev.graphfuse.runtime.kernels;

/**
 * Runs fused ops. The CPU backend works on any memory segments; the CUDA backend needs device memory
 * (see {@link CudaBackend}). Both refuse arguments that do not describe the op with the same
 * {@link KernelException}.
 */
public interface KernelBackend {

    /** "cpu" or "cuda". */
    String name();

    void rope(FusedOp op, RopeArgs args);

    void norm(FusedOp op, NormArgs args);
}
