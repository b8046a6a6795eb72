package dev.graphfuse.runtime.dispatch;

/**
 * How {@link GraphfuseSession} sets up ONNX Runtime: the execution provider, whether graphfuse's op library
 * is registered (an original model needs none), CUDA graphs (CUDA EP only; ORT captures the whole run once
 * and replays it), whether runs are profiled to learn where each node ran, and whether the CUDA EP may use
 * TF32 for fp32 matrix products (ORT's default; {@code verify} turns it off, since TF32 rounds each product's
 * inputs to 10 mantissa bits and two fp32 models that differ by one ulp anywhere then differ by far more).
 */
public record SessionOptionsSpec(ExecutionProvider provider, boolean withOpLibrary, boolean cudaGraph, boolean profile,
                                 int deviceId, boolean tf32) {

    public static SessionOptionsSpec of(ExecutionProvider provider) {
        return new SessionOptionsSpec(provider, true, false, false, 0, true);
    }

    public SessionOptionsSpec withProfile(boolean on) {
        return new SessionOptionsSpec(provider, withOpLibrary, cudaGraph, on, deviceId, tf32);
    }

    public SessionOptionsSpec withCudaGraph(boolean on) {
        return new SessionOptionsSpec(provider, withOpLibrary, on, profile, deviceId, tf32);
    }

    public SessionOptionsSpec withOpLibrary(boolean on) {
        return new SessionOptionsSpec(provider, on, cudaGraph, profile, deviceId, tf32);
    }

    public SessionOptionsSpec withTf32(boolean on) {
        return new SessionOptionsSpec(provider, withOpLibrary, cudaGraph, profile, deviceId, on);
    }
}
