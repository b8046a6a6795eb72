package dev.graphfuse.runtime.kernels;

import static dev.graphfuse.runtime.kernels.NativeOffsets.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * Writes {@link RopeArgs} / {@link NormArgs} into the header's argument structs (field offsets from
 * {@link NativeOffsets}); every segment in the arguments is taken as device memory, by address. Kept apart
 * from the launch so the host-side cost of a dispatch can be measured on its own (DispatchBenchmark).
 */
final class ArgsStructs {
    private ArgsStructs() {
    }

    /**
     * Fills {@code s} (a gf_rope_args) from {@code a}; {@code status} is the device word for position
     * errors. Returns whether the call indexes a table by position (so the status word must be read).
     */
    static boolean writeRope(MemorySegment s, RopeArgs a, MemorySegment status) {
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
        return checkStatus;
    }

    /** Fills {@code s} (a gf_norm_args) from {@code a}. */
    static void writeNorm(MemorySegment s, NormArgs a) {
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
    }

    static void views(MemorySegment s, DType t, HeadsView v, long pointerField, long strideField) {
        if (v == null) {
            return;
        }
        s.set(ADDRESS, pointerField, pointer(v.data(), v.offset(), t));
        s.set(JAVA_LONG, strideField, v.batchStride());
        s.set(JAVA_LONG, strideField + 8, v.seqStride());
        s.set(JAVA_LONG, strideField + 16, v.headStride());
    }

    static MemorySegment pointer(MemorySegment deviceMemory) {
        return deviceMemory == null ? MemorySegment.NULL : MemorySegment.ofAddress(deviceMemory.address());
    }

    static MemorySegment pointer(MemorySegment deviceMemory, long elementOffset, DType t) {
        return MemorySegment.ofAddress(deviceMemory.address() + elementOffset * t.bytes());
    }
}
