package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small constant unpacked for folding: integers and bools as longs, floats as doubles that hold
 * exactly the value of the element type (a float32 is stored already rounded to float). Only the
 * element types shape arithmetic uses are supported; anything else stays unfolded.
 */
final class UnpackedConstant {
    /** Inputs larger than this are not read: folding is for shape arithmetic, not for weights. */
    static final long MAX_INPUT_ELEMENTS = 1 << 20;

    final ElementType type;
    final long[] dims;
    private final long[] ints;
    private final double[] reals;

    private UnpackedConstant(ElementType type, long[] dims, long[] ints, double[] reals) {
        this.type = type;
        this.dims = dims;
        this.ints = ints;
        this.reals = reals;
    }

    static boolean supports(ElementType t) {
        return t == ElementType.INT64 || t == ElementType.INT32 || t == ElementType.BOOL
                || t == ElementType.FLOAT || t == ElementType.DOUBLE;
    }

    static boolean isReal(ElementType t) {
        return t == ElementType.FLOAT || t == ElementType.DOUBLE;
    }

    /** Unpacks {@code t}, or returns null for an unsupported type or a tensor too large to read. */
    static UnpackedConstant of(Tensor t) {
        if (!supports(t.elementType()) || t.elementCount() > MAX_INPUT_ELEMENTS) {
            return null;
        }
        int n = Math.toIntExact(t.elementCount());
        ByteBuffer b = t.bytes();
        if (b.remaining() < t.elementType().storageBytes(n)) {
            return null;
        }
        return switch (t.elementType()) {
            case FLOAT -> {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = b.getFloat(i * 4);
                }
                yield new UnpackedConstant(ElementType.FLOAT, t.dims(), null, r);
            }
            case DOUBLE -> {
                double[] r = new double[n];
                for (int i = 0; i < n; i++) {
                    r[i] = b.getDouble(i * 8);
                }
                yield new UnpackedConstant(ElementType.DOUBLE, t.dims(), null, r);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getLong(i * 8);
                }
                yield new UnpackedConstant(ElementType.INT64, t.dims(), v, null);
            }
            case INT32 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getInt(i * 4);
                }
                yield new UnpackedConstant(ElementType.INT32, t.dims(), v, null);
            }
            case BOOL -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.get(i) != 0 ? 1 : 0;
                }
                yield new UnpackedConstant(ElementType.BOOL, t.dims(), v, null);
            }
            default -> null;
        };
    }

    static UnpackedConstant ofLongs(ElementType type, long[] dims, long[] values) {
        return new UnpackedConstant(type, dims.clone(), values, null);
    }

    static UnpackedConstant ofDoubles(ElementType type, long[] dims, double[] values) {
        return new UnpackedConstant(type, dims.clone(), null, values);
    }

    /** An uninitialised tensor of {@code type} and {@code dims} to be filled with {@link #set}. */
    static UnpackedConstant allocate(ElementType type, long[] dims) {
        int n = Math.toIntExact(ShapeMath.count(dims));
        return isReal(type) ? new UnpackedConstant(type, dims.clone(), null, new double[n])
                : new UnpackedConstant(type, dims.clone(), new long[n], null);
    }

    boolean isReal() {
        return reals != null;
    }

    int count() {
        return isReal() ? reals.length : ints.length;
    }

    long getLong(int i) {
        return ints[i];
    }

    double getDouble(int i) {
        return reals[i];
    }

    /** Copies element {@code from} of {@code src} (same type) into element {@code to}. */
    void set(int to, UnpackedConstant src, int from) {
        if (isReal()) {
            reals[to] = src.reals[from];
        } else {
            ints[to] = src.ints[from];
        }
    }

    void setLong(int i, long v) {
        ints[i] = v;
    }

    void setDouble(int i, double v) {
        reals[i] = v;
    }

    UnpackedConstant withDims(long[] newDims) {
        return new UnpackedConstant(type, newDims.clone(), ints, reals);
    }

    /** The values of a 1-D or scalar integer tensor, or null. */
    long[] longsOrNull() {
        return isReal() || type == ElementType.BOOL || dims.length > 1 ? null : ints.clone();
    }

    Tensor toTensor(String name) {
        int n = count();
        ByteBuffer b = ByteBuffer.allocate((int) type.storageBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT -> b.putFloat((float) reals[i]);
                case DOUBLE -> b.putDouble(reals[i]);
                case INT64 -> b.putLong(ints[i]);
                case INT32 -> b.putInt((int) ints[i]);
                case BOOL -> b.put((byte) (ints[i] != 0 ? 1 : 0));
                default -> throw new IllegalStateException("unsupported " + type);
            }
        }
        return Tensor.of(name, type, dims, b.array());
    }
}
