package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** Reading compile-time constant values: initializers and outputs of {@code Constant} nodes. */
final class Constants {
    private Constants() {
    }

    /**
     * The constant data of {@code v}, or null. An initializer that is also a graph input is only a
     * default the caller may override, so it is not a constant.
     */
    static Tensor tensorOf(Value v) {
        if (v == null) {
            return null;
        }
        if (v.initializer() != null) {
            return v.isGraphInput() ? null : v.initializer();
        }
        Node p = v.producer();
        if (p != null && p.is("Constant") && p.outputs().size() == 1) {
            return constantNodeTensor(p);
        }
        return null;
    }

    /** The tensor a Constant node produces, for the attribute forms that have a plain tensor value. */
    static Tensor constantNodeTensor(Node n) {
        if (n.attributes().size() != 1) {
            return null;
        }
        Map.Entry<String, Attribute> e = n.attributes().entrySet().iterator().next();
        return switch (e.getKey()) {
            case "value" -> e.getValue() instanceof Attribute.TensorAttr t ? t.value() : null;
            case "value_float" -> e.getValue() instanceof Attribute.FloatAttr f
                    ? floats(new long[0], new float[]{f.value()}) : null;
            case "value_floats" -> e.getValue() instanceof Attribute.FloatsAttr fs
                    ? floats(new long[]{fs.values().length}, fs.values()) : null;
            case "value_int" -> e.getValue() instanceof Attribute.IntAttr i
                    ? longs(new long[0], new long[]{i.value()}) : null;
            case "value_ints" -> e.getValue() instanceof Attribute.IntsAttr is
                    ? longs(new long[]{is.values().length}, is.values()) : null;
            default -> null;
        };
    }

    /** The elements of a constant 1-D or scalar integer tensor (shape operands, axes), or null. */
    static long[] longs(Value v) {
        Tensor t = tensorOf(v);
        if (t == null || t.rank() > 1 || (t.elementType() != ElementType.INT64 && t.elementType() != ElementType.INT32)
                || t.elementCount() > HostTensor.MAX_INPUT_ELEMENTS) {
            return null;
        }
        ByteBuffer b = t.bytes();
        long[] out = new long[Math.toIntExact(t.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.elementType() == ElementType.INT64 ? b.getLong(i * 8) : b.getInt(i * 4);
        }
        return out;
    }

    static Tensor longs(long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return Tensor.of("", ElementType.INT64, dims, b.array());
    }

    private static Tensor floats(long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return Tensor.of("", ElementType.FLOAT, dims, b.array());
    }
}
