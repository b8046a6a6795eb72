package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import java.nio.ByteBuffer;

/**
 * Integer constants as shape logic reads them (shape operands, axes, sizes). What is a constant at
 * all is the IR's answer, {@link Value#constant}.
 */
final class Constants {
    private Constants() {
    }

    /** The elements of a constant 1-D or scalar integer tensor (shape operands, axes), or null. */
    static long[] longs(Value v) {
        Tensor t = v == null ? null : v.constant();
        if (t == null || t.rank() > 1 || (t.elementType() != ElementType.INT64 && t.elementType() != ElementType.INT32)
                || t.elementCount() > UnpackedConstant.MAX_INPUT_ELEMENTS) {
            return null;
        }
        ByteBuffer b = t.bytes();
        long[] out = new long[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.elementType() == ElementType.INT64 ? b.getLong(i * 8) : b.getInt(i * 4);
        }
        return out;
    }
}
