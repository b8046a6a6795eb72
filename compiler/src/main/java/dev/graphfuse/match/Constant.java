package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;

/**
 * A value whose contents are known before run time: an initializer that is not an overridable
 * graph input, or the output of a {@code Constant} node. Patterns treat both spellings alike.
 */
public record Constant(ElementType elementType, long[] dims, Tensor tensor, double[] inlineValues) {
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
        if (v == null) {
            return null;
        }
        if (v.isInitializer() && !v.isGraphInput()) {
            Tensor t = v.initializer();
            return new Constant(t.elementType(), t.dims(), t, null);
        }
        Node p = v.producer();
        if (p == null || !p.is("Constant") || p.outputs().size() != 1) {
            return null;
        }
        for (var e : p.attributes().entrySet()) {
            Attribute a = e.getValue();
            switch (e.getKey()) {
                case "value" -> {
                    if (a instanceof Attribute.TensorAttr t) {
                        return new Constant(t.value().elementType(), t.value().dims(), t.value(), null);
                    }
                }
                case "value_float" -> {
                    if (a instanceof Attribute.FloatAttr f) {
                        return new Constant(ElementType.FLOAT, new long[0], null, new double[] {f.value()});
                    }
                }
                case "value_int" -> {
                    if (a instanceof Attribute.IntAttr i) {
                        return new Constant(ElementType.INT64, new long[0], null, new double[] {i.value()});
                    }
                }
                case "value_floats" -> {
                    if (a instanceof Attribute.FloatsAttr f) {
                        double[] d = new double[f.values().length];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = f.values()[i];
                        }
                        return new Constant(ElementType.FLOAT, new long[] {d.length}, null, d);
                    }
                }
                case "value_ints" -> {
                    if (a instanceof Attribute.IntsAttr f) {
                        double[] d = new double[f.values().length];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = f.values()[i];
                        }
                        return new Constant(ElementType.INT64, new long[] {d.length}, null, d);
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    public long count() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Whether elements can be read as numbers (numeric type, data available, not too large). */
    public boolean readable() {
        return inlineValues != null || (count() <= MAX_COMPARED_ELEMENTS && numeric());
    }

    /** Whether the elements are numbers (whatever their count). */
    public boolean numeric() {
        if (inlineValues != null) {
            return true;
        }
        return switch (elementType) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT64, UINT64, INT32, UINT32, INT16, UINT16, INT8, UINT8, BOOL ->
                    true;
            default -> false;
        };
    }

    public double get(long i) {
        return inlineValues != null ? inlineValues[Math.toIntExact(i)] : tensor.getDouble(i);
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
        return switch (elementType) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16 -> false;
            default -> true;
        };
    }
}
