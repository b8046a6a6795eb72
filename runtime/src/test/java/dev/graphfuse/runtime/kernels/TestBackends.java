package dev.graphfuse.runtime.kernels;

/** The backend the kernel suites run on: -Dgraphfuse.test.backend=cpu (default) or cuda. */
final class TestBackends {
    private TestBackends() {
    }

    static KernelBackend selected() {
        String name = System.getProperty("graphfuse.test.backend", "cpu");
        return switch (name) {
            case "cpu" -> new CpuKernels();
            case "cuda" -> Backends.select(DeviceChoice.CUDA, Fallbacks.toStderr(true)).host();
            default -> throw new IllegalArgumentException("graphfuse.test.backend: expected cpu or cuda, got " + name);
        };
    }
}
