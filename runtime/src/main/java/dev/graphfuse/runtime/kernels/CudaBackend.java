package dev.graphfuse.runtime.kernels;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The CUDA backend: fused ops launched on one stream of one device through the native library. Every
 * segment in the arguments must be device memory from {@link #allocate} (a zero-length segment at the
 * device address). Calls are synchronous at the op boundary: the launch, then a wait for the stream
 * and a read of the device status word, so a position outside the table is reported by the call
 * that caused it. Not thread-safe: one dispatch thread per device (CUDA's current device is per thread).
 */
public final class CudaBackend implements KernelBackend, AutoCloseable {
    private final NativeLibrary lib;
    private final int device;
    private final MemorySegment stream;
    private final MemorySegment status;
    private final Arena args = Arena.ofConfined();
    private final MemorySegment ropeArgs = args.allocate(NativeLayouts.ROPE_ARGS);
    private final MemorySegment normArgs = args.allocate(NativeLayouts.NORM_ARGS);
    private final MemorySegment word = args.allocate(JAVA_INT);
    private long copiesToDevice;
    private long copiesToHost;
    private long bytesCopied;

    public CudaBackend(NativeLibrary lib, int device) {
        this.lib = lib;
        this.device = device;
        try {
            lib.check((int) lib.setDevice.invokeExact(device), "cudaSetDevice(" + device + ")");
            MemorySegment out = args.allocate(ADDRESS);
            lib.check((int) lib.streamCreate.invokeExact(out), "cudaStreamCreate");
            stream = out.get(ADDRESS, 0);
            status = allocate(4);
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException(KernelException.NO_DEVICE, "CUDA setup: " + t);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    public int device() {
        return device;
    }

    /** Device memory of {@code bytes} bytes (at least 1), as a zero-length segment; free with {@link #free}. */
    public MemorySegment allocate(long bytes) {
        try {
            MemorySegment out = args.allocate(ADDRESS);
            lib.check((int) lib.malloc.invokeExact(out, Math.max(1L, bytes)), "cudaMalloc(" + bytes + ")");
            return out.get(ADDRESS, 0);
        } catch (KernelException e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, "cudaMalloc: " + t);
        }
    }

    public void free(MemorySegment deviceMemory) {
        call(() -> (int) lib.free.invokeExact(deviceMemory), "cudaFree");
    }

    /** Copies {@code host} (a native segment) to device memory at {@code device}, waiting for the copy. */
    public void toDevice(MemorySegment device, MemorySegment host) {
        call(() -> (int) lib.memcpyH2d.invokeExact(device, host, host.byteSize(), stream), "cudaMemcpy H2D");
        sync();
        copiesToDevice++;
        bytesCopied += host.byteSize();
    }

    /** Copies device memory into {@code host} (a native segment, all of it), waiting for the copy. */
    public void toHost(MemorySegment host, MemorySegment device) {
        call(() -> (int) lib.memcpyD2h.invokeExact(host, device, host.byteSize(), stream), "cudaMemcpy D2H");
        sync();
        copiesToHost++;
        bytesCopied += host.byteSize();
    }

    /** Host↔device copies so far: {to device, to host, bytes}. */
    public long[] copyCounts() {
        return new long[] {copiesToDevice, copiesToHost, bytesCopied};
    }

    public void sync() {
        call(() -> (int) lib.streamSynchronize.invokeExact(stream), "cudaStreamSynchronize");
    }

    @Override
    public void rope(FusedOp op, RopeArgs a) {
        String invalid = a.invalidFor(op);
        if (invalid != null) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, op + ": " + invalid);
        }
        MemorySegment s = ropeArgs;
        boolean checkStatus = ArgsStructs.writeRope(s, a, status);
        if (checkStatus) {
            call(() -> (int) lib.memset.invokeExact(status, 0, 4L, stream), "cudaMemsetAsync");
        }
        launch(op, s);
        if (checkStatus) {
            call(() -> (int) lib.memcpyD2h.invokeExact(word, status, 4L, stream), "cudaMemcpy status");
            sync();
            int code = word.get(JAVA_INT, 0);
            if (code != 0) {
                throw new KernelException(code, op + ": " + lib.errorString(code)
                        + " (a position is outside the cos/sin table [0, " + a.positions().maxPosition() + "))");
            }
        }
    }

    @Override
    public void norm(FusedOp op, NormArgs a) {
        String invalid = a.invalidFor(op);
        if (invalid != null) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, op + ": " + invalid);
        }
        MemorySegment s = normArgs;
        ArgsStructs.writeNorm(s, a);
        launch(op, s);
    }

    private void launch(FusedOp op, MemorySegment struct) {
        java.lang.invoke.MethodHandle h = lib.ops.get(op);
        call(() -> (int) h.invokeExact(struct, stream), op.symbol());
        sync();
    }

    private interface NativeCall {
        int invoke() throws Throwable;
    }

    private void call(NativeCall c, String what) {
        int rc;
        try {
            rc = c.invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new KernelException(KernelException.INVALID_ARGUMENT, what + ": " + t);
        }
        lib.check(rc, what);
    }

    @Override
    public void close() {
        call(() -> (int) lib.streamDestroy.invokeExact(stream), "cudaStreamDestroy");
        free(status);
        args.close();
    }
}
