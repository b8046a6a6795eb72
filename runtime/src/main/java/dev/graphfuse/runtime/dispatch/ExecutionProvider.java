package dev.graphfuse.runtime.dispatch;

/** The ONNX Runtime execution providers a model runs on, with ORT's own names for them. */
public enum ExecutionProvider {
    CPU("CPUExecutionProvider"), CUDA("CUDAExecutionProvider");

    private final String ortName;

    ExecutionProvider(String ortName) {
        this.ortName = ortName;
    }

    /** The name ORT reports in profiles and {@code getAvailableProviders}. */
    public String ortName() {
        return ortName;
    }
}
