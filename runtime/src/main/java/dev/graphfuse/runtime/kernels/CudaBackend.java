package dev.graphfuse.runtime.kernels;

import static dev.graphfuse.runtime.kernels.NativeOffsets.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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
        s.fill((byte) 0);
        s.set(JAVA_LONG, ROPE_STRUCT_SIZE, NativeLayouts.ROPE_ARGS.byteSize());
        s.set(JAVA_INT, ROPE_DTYPE, a.dtype().onnxCode());
        s.set(JAVA_LONG, ROPE_BATCH, a.batch());
        s.set(JAVA_LONG, ROPE_SEQ, a.seq());
        s.set(JAVA_INT, ROPE_NUM_Q_HEADS, a.numQHeads());
        s.set(JAVA_INT, ROPE_NUM_K_HEADS, a.numKHeads());
        s.set(JAVA_INT, ROPE_HEAD_DIM, a.headDim());
        s.set(JAVA_INT, ROPE_ROTARY_DIM, a.rotaryDim());
        s.set(JAVA_INT, ROPE_INTERLEAVED, a.interleaved() ? 1 : 0);
        views(s, a.dtype(), a.q(), ROPE_Q, ROPE_Q_STRIDE);
        views(s, a.dtype(), a.qOut(), ROPE_Q_OUT, ROPE_Q_OUT_STRIDE);
        views(s, a.dtype(), a.k(), ROPE_K, ROPE_K_STRIDE);
        views(s, a.dtype(), a.kOut(), ROPE_K_OUT, ROPE_K_OUT_STRIDE);
        if (a.norm() != null) {
            QkWeights n = a.norm();
            s.set(JAVA_INT, ROPE_HAS_NORM, 1);
            s.set(JAVA_INT, ROPE_WEIGHT_DTYPE, n.dtype().onnxCode());
            s.set(JAVA_FLOAT, ROPE_EPSILON, n.epsilon());
            s.set(JAVA_FLOAT, ROPE_WEIGHT_OFFSET, n.weightOffset());
            s.set(ADDRESS, ROPE_Q_WEIGHT, pointer(n.q()));
            s.set(ADDRESS, ROPE_K_WEIGHT, pointer(n.k()));
        }
        boolean checkStatus = false;
        if (a.rotaryDim() > 0) {
            switch (a.angles()) {
                case Angles.Table t -> {
                    s.set(JAVA_INT, ROPE_ANGLE_SOURCE, 1);
                    s.set(JAVA_INT, ROPE_TABLE_DTYPE, t.dtype().onnxCode());
                    s.set(ADDRESS, ROPE_COS, pointer(t.cos()));
                    s.set(ADDRESS, ROPE_SIN, pointer(t.sin()));
                    s.set(JAVA_LONG, ROPE_TABLE_STRIDE, t.batchStride());
                    s.set(JAVA_LONG, ROPE_TABLE_STRIDE + 8, t.rowStride());
                    s.set(JAVA_INT, ROPE_TABLE_WIDTH, t.width());
                    checkStatus = a.positions() != null;
                }
                case Angles.InvFreq f -> {
                    s.set(JAVA_INT, ROPE_ANGLE_SOURCE, 2);
                    s.set(ADDRESS, ROPE_INV_FREQ, pointer(f.invFreq()));
                    s.set(JAVA_FLOAT, ROPE_ATTENTION_SCALING, f.attentionScaling());
                }
            }
            Positions p = a.positions();
            if (p != null) {
                s.set(JAVA_INT, ROPE_POSITION_ROWS, p.rows());
                s.set(JAVA_INT, ROPE_POSITION_DTYPE, p.dtype().onnxCode());
                s.set(JAVA_INT, ROPE_MROPE_INTERLEAVED, p.mropeInterleaved() ? 1 : 0);
                s.set(ADDRESS, ROPE_POSITIONS, pointer(p.data()));
                s.set(JAVA_LONG, ROPE_POSITION_STRIDE, p.axisStride());
                s.set(JAVA_LONG, ROPE_POSITION_STRIDE + 8, p.batchStride());
                s.set(JAVA_LONG, ROPE_POSITION_STRIDE + 16, p.seqStride());
                s.set(JAVA_LONG, ROPE_MAX_POSITION, p.maxPosition());
                for (int i = 0; i < 3; i++) {
                    s.set(JAVA_INT, ROPE_MROPE_SECTION + 4L * i, p.mropeSection()[i]);
                }
            }
        }
        s.set(ADDRESS, ROPE_STATUS, status);
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
        s.fill((byte) 0);
        s.set(JAVA_LONG, NORM_STRUCT_SIZE, NativeLayouts.NORM_ARGS.byteSize());
        s.set(JAVA_INT, NORM_DTYPE, a.dtype().onnxCode());
        s.set(JAVA_INT, NORM_OUT_DTYPE, a.outDtype().onnxCode());
        s.set(JAVA_INT, NORM_WEIGHT_DTYPE, a.weightDtype().onnxCode());
        s.set(JAVA_INT, NORM_GATED, a.z() == null ? 0 : 1);
        s.set(JAVA_LONG, NORM_ROWS, a.rows());
        s.set(JAVA_LONG, NORM_N, a.n());
        s.set(JAVA_FLOAT, NORM_EPSILON, a.epsilon());
        s.set(JAVA_FLOAT, NORM_WEIGHT_OFFSET, a.weightOffset());
        s.set(ADDRESS, NORM_X, pointer(a.x().data(), a.x().offset(), a.dtype()));
        s.set(JAVA_LONG, NORM_X_ROW_STRIDE, a.x().rowStride());
        if (a.z() != null) {
            s.set(ADDRESS, NORM_Z, pointer(a.z().data(), a.z().offset(), a.dtype()));
            s.set(JAVA_LONG, NORM_Z_ROW_STRIDE, a.z().rowStride());
        }
        s.set(ADDRESS, NORM_OUT, pointer(a.out().data(), a.out().offset(), a.outDtype()));
        s.set(JAVA_LONG, NORM_OUT_ROW_STRIDE, a.out().rowStride());
        s.set(ADDRESS, NORM_WEIGHT, pointer(a.weight()));
        launch(op, s);
    }

    private void launch(FusedOp op, MemorySegment struct) {
        java.lang.invoke.MethodHandle h = lib.ops.get(op);
        call(() -> (int) h.invokeExact(struct, stream), op.symbol());
        sync();
    }

    private static void views(MemorySegment s, DType t, HeadsView v, long pointerField, long strideField) {
        if (v == null) {
            return;
        }
        s.set(ADDRESS, pointerField, pointer(v.data(), v.offset(), t));
        s.set(JAVA_LONG, strideField, v.batchStride());
        s.set(JAVA_LONG, strideField + 8, v.seqStride());
        s.set(JAVA_LONG, strideField + 16, v.headStride());
    }

    private static MemorySegment pointer(MemorySegment deviceMemory) {
        return deviceMemory == null ? MemorySegment.NULL : MemorySegment.ofAddress(deviceMemory.address());
    }

    private static MemorySegment pointer(MemorySegment deviceMemory, long elementOffset, DType t) {
        return MemorySegment.ofAddress(deviceMemory.address() + elementOffset * t.bytes());
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
