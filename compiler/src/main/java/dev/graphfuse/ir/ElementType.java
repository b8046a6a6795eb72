package dev.graphfuse.ir;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** ONNX tensor element types, with their wire codes, short text names and storage width in bits. */
public enum ElementType {
    UNDEFINED(0, "undefined", 0),
    FLOAT(1, "f32", 32),
    UINT8(2, "u8", 8),
    INT8(3, "i8", 8),
    UINT16(4, "u16", 16),
    INT16(5, "i16", 16),
    INT32(6, "i32", 32),
    INT64(7, "i64", 64),
    STRING(8, "string", 0),
    BOOL(9, "bool", 8),
    FLOAT16(10, "f16", 16),
    DOUBLE(11, "f64", 64),
    UINT32(12, "u32", 32),
    UINT64(13, "u64", 64),
    COMPLEX64(14, "c64", 64),
    COMPLEX128(15, "c128", 128),
    BFLOAT16(16, "bf16", 16),
    FLOAT8E4M3FN(17, "f8e4m3fn", 8),
    FLOAT8E4M3FNUZ(18, "f8e4m3fnuz", 8),
    FLOAT8E5M2(19, "f8e5m2", 8),
    FLOAT8E5M2FNUZ(20, "f8e5m2fnuz", 8),
    UINT4(21, "u4", 4),
    INT4(22, "i4", 4),
    FLOAT4E2M1(23, "f4e2m1", 4),
    FLOAT8E8M0(24, "f8e8m0", 8),
    UINT2(25, "u2", 2),
    INT2(26, "i2", 2);

    private static final ElementType[] BY_CODE;
    private static final Map<String, ElementType> BY_NAME = new HashMap<>();

    static {
        BY_CODE = new ElementType[27];
        for (ElementType t : values()) {
            BY_CODE[t.code] = t;
            BY_NAME.put(t.shortName, t);
        }
    }

    private final int code;
    private final String shortName;
    private final int bits;

    ElementType(int code, String shortName, int bits) {
        this.code = code;
        this.shortName = shortName;
        this.bits = bits;
    }

    /** The ONNX {@code TensorProto.DataType} code. */
    public int code() {
        return code;
    }

    /** The name used by the text format and the pattern DSL, e.g. {@code f32}, {@code bf16}. */
    public String shortName() {
        return shortName;
    }

    /** Storage width of one element in bits; 0 for strings and UNDEFINED. */
    public int bits() {
        return bits;
    }

    public boolean isFloatingPoint() {
        return switch (this) {
            case FLOAT, FLOAT16, DOUBLE, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2,
                 FLOAT8E5M2FNUZ, FLOAT4E2M1, FLOAT8E8M0 -> true;
            default -> false;
        };
    }

    /** Bytes needed to store {@code count} elements packed, as ONNX raw_data does (sub-byte types share bytes). */
    public long storageBytes(long count) {
        return (count * bits + 7) / 8;
    }

    /** Returns the type for an ONNX code, or null when the code is not a known element type. */
    public static ElementType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Returns the type for a short name ({@code f32}) or null. */
    public static ElementType fromShortName(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }
}
