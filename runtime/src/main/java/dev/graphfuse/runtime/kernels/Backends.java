package dev.graphfuse.runtime.kernels;

/**
 * Picks the backend for --device. auto: the CUDA library and device 0 when both are there; otherwise
 * the CPU kernels, with the reason (no library in this build, CUDA's own error text, zero devices)
 * logged as a fallback — an error under --no-fallback. cuda: an error unless CUDA works.
 */
public final class Backends {
    private Backends() {
    }

    /** The chosen backend, working on host memory; {@code cuda} is non-null when it is the GPU. */
    public record Selected(KernelBackend host, CudaBackend cuda, String description) {
    }

    public static Selected select(DeviceChoice choice, Fallbacks fallbacks) {
        if (choice == DeviceChoice.CPU) {
            return new Selected(new CpuKernels(), null, "cpu (--device cpu)");
        }
        try {
            NativeLibrary lib = NativeLibrary.load();
            int n = lib.deviceCount();
            if (n == 0) {
                throw new KernelException(KernelException.NO_DEVICE, "the CUDA driver reports 0 devices");
            }
            CudaBackend cuda = new CudaBackend(lib, 0);
            return new Selected(new HostStaging(cuda), cuda, "cuda device 0 of " + n + " (" + lib.path() + ")");
        } catch (KernelException e) {
            if (choice == DeviceChoice.CUDA) {
                throw new KernelException(e.code(), "--device cuda: " + e.getMessage());
            }
            fallbacks.fallBack("--device auto", "the CPU kernels", e.getMessage());
            return new Selected(new CpuKernels(), null, "cpu (fallback: " + e.getMessage() + ")");
        }
    }
}
