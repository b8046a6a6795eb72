package dev.graphfuse.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** A constant tensor: element type, static dims and its data (inline, external or strings). */
public final class Tensor {
    private final String name;
    private final ElementType elementType;
    private final long[] dims;
    private final TensorData data;
    private final String docString;
    private final Map<String, String> metadata;

    public Tensor(String name, ElementType elementType, long[] dims, TensorData data, String docString,
                  Map<String, String> metadata) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.elementType = Objects.requireNonNull(elementType, "elementType is null");
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data, "data is null");
        this.docString = docString == null ? "" : docString;
        // Read-only here, and nearly always empty: no map of its own for each initializer and folded constant.
        this.metadata = metadata.isEmpty() ? Map.of() : new LinkedHashMap<>(metadata);
    }

    public static Tensor of(String name, ElementType type, long[] dims, byte[] littleEndianBytes) {
        return new Tensor(name, type, dims, TensorData.Inline.of(littleEndianBytes), "", Map.of());
    }

    /** An unnamed INT64 tensor holding {@code values}. */
    public static Tensor ofLongs(long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return of("", ElementType.INT64, dims, b.array());
    }

    /** An unnamed FLOAT tensor holding {@code values}. */
    public static Tensor ofFloats(long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return of("", ElementType.FLOAT, dims, b.array());
    }

    public String name() {
        return name;
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, elementType, dims, data, docString, metadata);
    }

    public ElementType elementType() {
        return elementType;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public Shape shape() {
        return Shape.of(dims);
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public TensorData data() {
        return data;
    }

    public boolean isExternal() {
        return data instanceof TensorData.External;
    }

    /** The packed little-endian payload; reads external data on each call. */
    public ByteBuffer bytes() {
        return data.bytes();
    }

    public String docString() {
        return docString;
    }

    public Map<String, String> metadata() {
        return Map.copyOf(metadata);
    }

    /** Metadata in insertion order. */
    public Map<String, String> orderedMetadata() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    public ValueType.TensorType type() {
        return ValueType.tensor(elementType, shape());
    }

    /** Element {@code i} as a double, for numeric types with a simple encoding; used by folding and matching. */
    public double getDouble(long i) {
        ByteBuffer b = bytes();
        int idx = Math.toIntExact(i);
        return switch (elementType) {
            case FLOAT -> b.getFloat(idx * 4);
            case DOUBLE -> b.getDouble(idx * 8);
            case FLOAT16 -> Float.float16ToFloat(b.getShort(idx * 2));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(idx * 2) & 0xffff) << 16);
            case INT64 -> b.getLong(idx * 8);
            case UINT64 -> {
                long v = b.getLong(idx * 8);
                yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
            }
            case INT32 -> b.getInt(idx * 4);
            case UINT32 -> Integer.toUnsignedLong(b.getInt(idx * 4));
            case INT16 -> b.getShort(idx * 2);
            case UINT16 -> b.getShort(idx * 2) & 0xffff;
            case INT8 -> b.get(idx);
            case UINT8, BOOL -> b.get(idx) & 0xff;
            default -> throw new UnsupportedOperationException("element access for " + elementType.shortName());
        };
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ": " + elementType.shortName() + Arrays.toString(dims) + "]";
    }
}
