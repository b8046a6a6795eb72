package dev.graphfuse.match;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;

/**
 * A constant as patterns read it: its elements as numbers. Which values are constants is the IR's
 * answer ({@link Value#constant}): an initializer that is not an overridable graph input, or the
 * output of a {@code Constant} node. Patterns treat both spellings alike.
 */
public record Constant(Tensor tensor) {
    /** Largest constant whose elements patterns compare one by one. */
    public static final long MAX_COMPARED_ELEMENTS = 4096;
    /**
     * Largest constant compared against one pattern value (a splat such as the zero indices of an
     * exporter's select_scatter, sized by the sequence): read element by element with an early exit, never
     * copied, so a long static sequence still matches.
     */
    public static final long MAX_SPLAT_ELEMENTS = 1L << 24;

    /** The constant {@code v} holds, or null when it is computed at run time. */
    public static Constant of(Value v) {
        Tensor t = v == null ? null : v.constant();
        return t == null ? null : new Constant(t);
    }

    public ElementType elementType() {
        return tensor.elementType();
    }

    public long[] dims() {
        return tensor.dims();
    }

    public long count() {
        long n = 1;
        for (long d : tensor.dims()) {
            n *= d;
        }
        return n;
    }

    /** Whether elements can be read as numbers (numeric type, data available, not too large). */
    public boolean readable() {
        return count() <= MAX_COMPARED_ELEMENTS && numeric();
    }

    /** Whether the elements are numbers (whatever their count). */
    public boolean numeric() {
        return switch (tensor.elementType()) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT64, UINT64, INT32, UINT32, INT16, UINT16, INT8, UINT8, BOOL ->
                    true;
            default -> false;
        };
    }

    public double get(long i) {
        return tensor.getDouble(i);
    }

    /** All elements, or null when not {@link #readable()}. */
    public double[] values() {
        if (!readable()) {
            return null;
        }
        try {
            double[] out = new double[Math.toIntExact(count())];
            for (int i = 0; i < out.length; i++) {
                out[i] = get(i);
            }
            return out;
        } catch (RuntimeException e) {
            // External data that cannot be read is simply not a known constant.
            return null;
        }
    }

    public boolean isIntegral() {
        return switch (tensor.elementType()) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> false;
            default -> true;
        };
    }
}
