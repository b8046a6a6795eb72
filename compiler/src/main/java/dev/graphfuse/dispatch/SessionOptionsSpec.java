package dev.graphfuse.dispatch;

/**
 * How {@link GraphfuseSession} sets up ONNX Runtime: the execution provider, whether graphfuse's op library
 * is registered (an original model needs none), CUDA graphs (CUDA EP only; ORT captures the whole run once
 * and replays it), and whether runs are profiled to learn where each node ran.
 */
public record SessionOptionsSpec(ExecutionProvider provider, boolean withOpLibrary, boolean cudaGraph, boolean profile,
                                 int deviceId) {

    public static SessionOptionsSpec of(ExecutionProvider provider) {
        return new SessionOptionsSpec(provider, true, false, false, 0);
    }

    public SessionOptionsSpec withProfile(boolean on) {
        return new SessionOptionsSpec(provider, withOpLibrary, cudaGraph, on, deviceId);
    }

    public SessionOptionsSpec withCudaGraph(boolean on) {
        return new SessionOptionsSpec(provider, withOpLibrary, on, profile, deviceId);
    }

    public SessionOptionsSpec withOpLibrary(boolean on) {
        return new SessionOptionsSpec(provider, on, cudaGraph, profile, deviceId);
    }
}
