package dev.graphfuse.onnx;

import com.google.protobuf.ByteString;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.onnx.wire.OnnxWire.StringStringEntryProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between TensorProto and {@link Tensor}. Typed payloads (float_data, int32_data, …) are
 * normalized to packed little-endian bytes; external data stays a reference after its file and
 * extent have been checked.
 */
final class OnnxTensors {
    private OnnxTensors() {
    }

    /** A tensor the IR cannot hold; the importer adds file and location. */
    static final class BadTensor extends Exception {
        BadTensor(String message) {
            super(message);
        }
    }

    static Tensor fromProto(TensorProto tp, Path baseDir) throws BadTensor {
        ElementType type = ElementType.fromCode(tp.getDataType());
        if (type == null || type == ElementType.UNDEFINED) {
            throw new BadTensor("unknown element type " + tp.getDataType());
        }
        if (tp.hasSegment()) {
            throw new BadTensor("segmented tensors are not supported");
        }
        long[] dims = new long[tp.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = tp.getDims(i);
            if (dims[i] < 0) {
                throw new BadTensor("negative dimension " + dims[i]);
            }
            try {
                count = Math.multiplyExact(count, dims[i]);
            } catch (ArithmeticException e) {
                throw new BadTensor("element count overflows");
            }
        }
        try {
            Math.multiplyExact(count, (long) Math.max(type.bits(), 1));
        } catch (ArithmeticException e) {
            throw new BadTensor("element count overflows");
        }
        Map<String, String> meta = entries(tp.getMetadataPropsList());
        TensorData data = tp.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                ? external(tp, type, count, baseDir)
                : inline(tp, type, count);
        return new Tensor(tp.getName(), type, dims, data, tp.getDocString(), meta);
    }

    private static TensorData external(TensorProto tp, ElementType type, long count, Path baseDir) throws BadTensor {
        Map<String, String> ext = entries(tp.getExternalDataList());
        String location = ext.remove("location");
        if (location == null || location.isEmpty()) {
            throw new BadTensor("external data has no 'location'");
        }
        long offset = parseLong(ext.remove("offset"), 0, "offset");
        long expected = type.storageBytes(count);
        long length = parseLong(ext.remove("length"), expected, "length");
        String checksum = ext.remove("checksum");
        if (type == ElementType.STRING) {
            throw new BadTensor("external data for string tensors is not supported");
        }
        if (length != expected) {
            throw new BadTensor("external data length " + length + " does not match " + expected
                    + " bytes for " + count + " " + type.shortName() + " elements");
        }
        try {
            TensorData.External.checkReference(baseDir, location, offset, length, true);
        } catch (IllegalArgumentException e) {
            throw new BadTensor(e.getMessage());
        }
        return new TensorData.External(baseDir, location, offset, length, checksum, ext);
    }

    private static long parseLong(String s, long dflt, String what) throws BadTensor {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new BadTensor("external data " + what + " " + Quote.quote(s) + " is not an integer");
        }
    }

    private static TensorData inline(TensorProto tp, ElementType type, long count) throws BadTensor {
        if (type == ElementType.STRING) {
            if (tp.getStringDataCount() != count) {
                throw new BadTensor("has " + tp.getStringDataCount() + " strings, expected " + count);
            }
            List<byte[]> values = new ArrayList<>(tp.getStringDataCount());
            for (ByteString s : tp.getStringDataList()) {
                values.add(s.toByteArray());
            }
            return new TensorData.Strings(values);
        }
        long expected = type.storageBytes(count);
        if (expected > Integer.MAX_VALUE) {
            throw new BadTensor("inline tensor of " + expected + " bytes exceeds 2 GiB");
        }
        if (tp.hasRawData()) {
            ByteString raw = tp.getRawData();
            if (raw.size() != expected) {
                throw new BadTensor("raw_data has " + raw.size() + " bytes, expected " + expected
                        + " for " + count + " " + type.shortName() + " elements");
            }
            return new TensorData.Inline(raw.asReadOnlyByteBuffer());
        }
        int provided = switch (type) {
            case FLOAT, COMPLEX64 -> tp.getFloatDataCount();
            case DOUBLE, COMPLEX128 -> tp.getDoubleDataCount();
            case INT64 -> tp.getInt64DataCount();
            case UINT32, UINT64 -> tp.getUint64DataCount();
            default -> tp.getInt32DataCount();
        };
        String field = switch (type) {
            case FLOAT, COMPLEX64 -> "float_data";
            case DOUBLE, COMPLEX128 -> "double_data";
            case INT64 -> "int64_data";
            case UINT32, UINT64 -> "uint64_data";
            default -> "int32_data";
        };
        long wanted = count * (type == ElementType.COMPLEX64 || type == ElementType.COMPLEX128 ? 2 : 1);
        if (count > 0 && provided != wanted) {
            throw new BadTensor(field + " has " + provided + " values, expected " + wanted);
        }
        ByteBuffer out = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT, COMPLEX64 -> {
                requireCount(tp.getFloatDataCount(), count * (type == ElementType.COMPLEX64 ? 2 : 1), "float_data");
                for (float f : tp.getFloatDataList()) {
                    out.putFloat(f);
                }
            }
            case DOUBLE, COMPLEX128 -> {
                requireCount(tp.getDoubleDataCount(), count * (type == ElementType.COMPLEX128 ? 2 : 1), "double_data");
                for (double d : tp.getDoubleDataList()) {
                    out.putDouble(d);
                }
            }
            case INT64 -> {
                requireCount(tp.getInt64DataCount(), count, "int64_data");
                for (long v : tp.getInt64DataList()) {
                    out.putLong(v);
                }
            }
            case UINT32 -> {
                requireCount(tp.getUint64DataCount(), count, "uint64_data");
                for (long v : tp.getUint64DataList()) {
                    out.putInt((int) v);
                }
            }
            case UINT64 -> {
                requireCount(tp.getUint64DataCount(), count, "uint64_data");
                for (long v : tp.getUint64DataList()) {
                    out.putLong(v);
                }
            }
            case INT32 -> {
                requireCount(tp.getInt32DataCount(), count, "int32_data");
                for (int v : tp.getInt32DataList()) {
                    out.putInt(v);
                }
            }
            case INT16, UINT16, FLOAT16, BFLOAT16 -> {
                requireCount(tp.getInt32DataCount(), count, "int32_data");
                for (int v : tp.getInt32DataList()) {
                    out.putShort((short) v);
                }
            }
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0 -> {
                requireCount(tp.getInt32DataCount(), count, "int32_data");
                for (int v : tp.getInt32DataList()) {
                    out.put((byte) v);
                }
            }
            default -> {
                if (count > 0) {
                    throw new BadTensor(type.shortName() + " tensors must store their data in raw_data");
                }
            }
        }
        out.flip();
        return new TensorData.Inline(out);
    }

    private static void requireCount(int have, long want, String field) throws BadTensor {
        if (have != want) {
            throw new BadTensor(field + " has " + have + " values, expected " + want);
        }
    }

    static Map<String, String> entries(List<StringStringEntryProto> list) {
        Map<String, String> m = new LinkedHashMap<>();
        for (StringStringEntryProto e : list) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    static List<StringStringEntryProto> toEntries(Map<String, String> m) {
        List<StringStringEntryProto> out = new ArrayList<>(m.size());
        m.forEach((k, v) -> out.add(StringStringEntryProto.newBuilder().setKey(k).setValue(v).build()));
        return out;
    }

    /** Where external tensor payloads go when exporting; null sink means inline everything. */
    interface ExternalSink {
        /** Appends the payload and returns the external_data entries to record. */
        Map<String, String> write(Tensor t);
    }

    static TensorProto toProto(Tensor t, ExternalSink sink) {
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.elementType().code());
        for (long d : t.dims()) {
            b.addDims(d);
        }
        if (!t.name().isEmpty()) {
            b.setName(t.name());
        }
        if (!t.docString().isEmpty()) {
            b.setDocString(t.docString());
        }
        b.addAllMetadataProps(toEntries(t.orderedMetadata()));
        switch (t.data()) {
            case TensorData.Strings s -> {
                for (byte[] v : s.values()) {
                    b.addStringData(ByteString.copyFrom(v));
                }
            }
            case TensorData.External e when sink != null -> {
                b.setDataLocation(TensorProto.DataLocation.EXTERNAL);
                b.addAllExternalData(toEntries(sink.write(t)));
            }
            default -> b.setRawData(ByteString.copyFrom(t.bytes()));
        }
        return b.build();
    }
}
