package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element types the kernels read and write, numbered as ONNX's TensorProto.DataType (the C header's
 * GF_DTYPE_*), so a graph's type code is passed through unchanged.
 */
public enum DType {
    F32(1, 4),
    I32(6, 4),
    I64(7, 8),
    F16(10, 2),
    BF16(16, 2);

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int onnxCode;
    private final int bytes;

    DType(int onnxCode, int bytes) {
        this.onnxCode = onnxCode;
        this.bytes = bytes;
    }

    public int onnxCode() {
        return onnxCode;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The type with ONNX code {@code code}, or null when the kernels have no such type. */
    public static DType ofOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        return null;
    }

    /** Element {@code index} (not a byte offset) of a little-endian buffer, widened to float. */
    public float readFloat(MemorySegment data, long index) {
        long at = index * bytes;
        return switch (this) {
            case F32 -> data.get(F32_LE, at);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, at));
            case BF16 -> Float.intBitsToFloat((data.get(I16_LE, at) & 0xFFFF) << 16);
            case I32 -> data.get(I32_LE, at);
            case I64 -> data.get(I64_LE, at);
        };
    }

    /** Integer element {@code index} (positions). */
    public long readLong(MemorySegment data, long index) {
        return switch (this) {
            case I32 -> data.get(I32_LE, index * bytes);
            case I64 -> data.get(I64_LE, index * bytes);
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** Stores {@code value} rounded once, to nearest even, into element {@code index}. */
    public void writeFloat(MemorySegment data, long index, float value) {
        long at = index * bytes;
        switch (this) {
            case F32 -> data.set(F32_LE, at, value);
            case F16 -> data.set(I16_LE, at, Float.floatToFloat16(value));
            case BF16 -> data.set(I16_LE, at, toBfloat16(value));
            default -> throw new IllegalStateException(this + " is not a float type");
        }
    }

    /** fp32 → bf16, round to nearest even; NaN stays a (quiet) NaN instead of rounding to infinity. */
    static short toBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if ((bits & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int rounding = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
