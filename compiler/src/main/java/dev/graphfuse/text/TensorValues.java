package dev.graphfuse.text;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Decimal rendering of tensor elements and its inverse. Only types whose every bit pattern survives
 * a decimal round trip are printed this way; everything else is printed as base64 raw bytes.
 */
final class TensorValues {
    private static final short F16_CANONICAL_NAN = 0x7e00;
    private static final short BF16_CANONICAL_NAN = 0x7fc0;

    private TensorValues() {
    }

    static boolean printable(Tensor t) {
        ElementType type = t.elementType();
        switch (type) {
            case FLOAT, DOUBLE, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, BOOL:
                break;
            case FLOAT16, BFLOAT16: {
                // a NaN with a payload would not survive printing as "nan"
                ByteBuffer b = t.bytes();
                for (int i = 0; i < t.elementCount(); i++) {
                    short bits = b.getShort(i * 2);
                    float f = type == ElementType.FLOAT16 ? Float.float16ToFloat(bits) : bf16ToFloat(bits);
                    if (Float.isNaN(f) && bits != (type == ElementType.FLOAT16 ? F16_CANONICAL_NAN : BF16_CANONICAL_NAN)) {
                        return false;
                    }
                }
                break;
            }
            default:
                return false;
        }
        if (type == ElementType.FLOAT || type == ElementType.DOUBLE) {
            ByteBuffer b = t.bytes();
            for (int i = 0; i < t.elementCount(); i++) {
                boolean canonical = type == ElementType.FLOAT
                        ? !Float.isNaN(b.getFloat(i * 4)) || b.getInt(i * 4) == Float.floatToIntBits(Float.NaN)
                        : !Double.isNaN(b.getDouble(i * 8)) || b.getLong(i * 8) == Double.doubleToLongBits(Double.NaN);
                if (!canonical) {
                    return false;
                }
            }
        }
        return true;
    }

    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    static void appendAll(Tensor t, StringBuilder out) {
        ByteBuffer b = t.bytes();
        long n = t.elementCount();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(", ");
            }
            switch (t.elementType()) {
                case FLOAT -> out.append(GraphTextWriter.floatText(b.getFloat(i * 4)));
                case DOUBLE -> out.append(GraphTextWriter.floatText(b.getDouble(i * 8)));
                case FLOAT16 -> out.append(GraphTextWriter.floatText(Float.float16ToFloat(b.getShort(i * 2))));
                case BFLOAT16 -> out.append(GraphTextWriter.floatText(bf16ToFloat(b.getShort(i * 2))));
                case INT8 -> out.append(b.get(i));
                case UINT8, BOOL -> out.append(b.get(i) & 0xff);
                case INT16 -> out.append(b.getShort(i * 2));
                case UINT16 -> out.append(b.getShort(i * 2) & 0xffff);
                case INT32 -> out.append(b.getInt(i * 4));
                case UINT32 -> out.append(Integer.toUnsignedString(b.getInt(i * 4)));
                case INT64 -> out.append(b.getLong(i * 8));
                case UINT64 -> out.append(Long.toUnsignedString(b.getLong(i * 8)));
                default -> throw new IllegalStateException("not printable: " + t.elementType());
            }
        }
    }

    /** A literal failed to convert; the reader reports it at the literal's position. */
    static final class BadLiteral extends Exception {
        final int index;

        BadLiteral(int index, String message) {
            super(message);
            this.index = index;
        }
    }

    /** Packs decimal literals (already stripped of quotes; "nan", "inf", "-inf" allowed) into little-endian bytes. */
    static byte[] pack(ElementType type, List<String> literals) throws BadLiteral {
        int width = type.bits() / 8;
        ByteBuffer b = ByteBuffer.allocate(literals.size() * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < literals.size(); i++) {
            String s = literals.get(i);
            try {
                switch (type) {
                    case FLOAT -> b.putFloat(parseFloat32(s));
                    case DOUBLE -> b.putDouble(parseFloating(s));
                    case FLOAT16 -> b.putShort(Float.floatToFloat16((float) parseFloating(s)));
                    case BFLOAT16 -> b.putShort(floatToBf16((float) parseFloating(s)));
                    case INT8 -> b.put(Byte.parseByte(s));
                    case UINT8 -> b.put((byte) checkRange(Long.parseLong(s), 0, 255));
                    // a bool byte other than 0/1 is odd but kept verbatim
                    case BOOL -> b.put((byte) (s.equals("true") ? 1 : s.equals("false") ? 0 : checkRange(Long.parseLong(s), 0, 255)));
                    case INT16 -> b.putShort(Short.parseShort(s));
                    case UINT16 -> b.putShort((short) checkRange(Long.parseLong(s), 0, 65535));
                    case INT32 -> b.putInt(Integer.parseInt(s));
                    case UINT32 -> b.putInt(Integer.parseUnsignedInt(s));
                    case INT64 -> b.putLong(Long.parseLong(s));
                    case UINT64 -> b.putLong(Long.parseUnsignedLong(s));
                    default -> throw new BadLiteral(i, type.shortName() + " data must be written as raw \"base64\"");
                }
            } catch (NumberFormatException e) {
                throw new BadLiteral(i, "'" + s + "' is not a valid " + type.shortName() + " value");
            }
        }
        return b.array();
    }

    private static long checkRange(long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new NumberFormatException("out of range");
        }
        return v;
    }

    static double parseFloating(String s) {
        return switch (s) {
            case "nan", "-nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (!s.matches("-?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                    throw new NumberFormatException(s);
                }
                yield Double.parseDouble(s);
            }
        };
    }

    static float parseFloat32(String s) {
        double d = parseFloating(s);
        return Double.isNaN(d) || Double.isInfinite(d) ? (float) d : Float.parseFloat(s);
    }

    /** Round to nearest even, as bf16 conversion does in every framework. */
    static short floatToBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return BF16_CANONICAL_NAN;
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
