package dev.graphfuse.ir;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A node attribute value. Every ONNX attribute kind has a record; sparse tensors are kept as their
 * serialized protobuf bytes because no pass looks inside them.
 */
public sealed interface Attribute {

    /** The kind, with the ONNX AttributeType code and the text-format keyword. */
    enum Kind {
        FLOAT(1, "float"), INT(2, "int"), STRING(3, "string"), TENSOR(4, "tensor"), GRAPH(5, "graph"),
        FLOATS(6, "floats"), INTS(7, "ints"), STRINGS(8, "strings"), TENSORS(9, "tensors"),
        GRAPHS(10, "graphs"), SPARSE_TENSOR(11, "sparse_tensor"), SPARSE_TENSORS(12, "sparse_tensors"),
        TYPE(13, "type"), TYPES(14, "types");

        private final int code;
        private final String keyword;

        Kind(int code, String keyword) {
            this.code = code;
            this.keyword = keyword;
        }

        public int code() {
            return code;
        }

        public String keyword() {
            return keyword;
        }

        public static Kind fromCode(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }

        public static Kind fromKeyword(String keyword) {
            for (Kind k : values()) {
                if (k.keyword.equals(keyword)) {
                    return k;
                }
            }
            return null;
        }
    }

    Kind kind();

    record FloatAttr(float value) implements Attribute {
        public Kind kind() {
            return Kind.FLOAT;
        }
    }

    record IntAttr(long value) implements Attribute {
        public Kind kind() {
            return Kind.INT;
        }
    }

    /** A byte string; ONNX strings are bytes, usually UTF-8. */
    record StringAttr(byte[] value) implements Attribute {
        public Kind kind() {
            return Kind.STRING;
        }

        public String utf8() {
            return new String(value, StandardCharsets.UTF_8);
        }

        public static StringAttr of(String s) {
            return new StringAttr(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    record TensorAttr(Tensor value) implements Attribute {
        public Kind kind() {
            return Kind.TENSOR;
        }
    }

    record GraphAttr(Graph value) implements Attribute {
        public Kind kind() {
            return Kind.GRAPH;
        }
    }

    record FloatsAttr(float[] values) implements Attribute {
        public FloatsAttr {
            values = values.clone();
        }

        public Kind kind() {
            return Kind.FLOATS;
        }
    }

    record IntsAttr(long[] values) implements Attribute {
        public IntsAttr {
            values = values.clone();
        }

        public Kind kind() {
            return Kind.INTS;
        }
    }

    record StringsAttr(List<byte[]> values) implements Attribute {
        public StringsAttr {
            values = List.copyOf(values);
        }

        public Kind kind() {
            return Kind.STRINGS;
        }
    }

    record TensorsAttr(List<Tensor> values) implements Attribute {
        public TensorsAttr {
            values = List.copyOf(values);
        }

        public Kind kind() {
            return Kind.TENSORS;
        }
    }

    record GraphsAttr(List<Graph> values) implements Attribute {
        public GraphsAttr {
            values = List.copyOf(values);
        }

        public Kind kind() {
            return Kind.GRAPHS;
        }
    }

    record TypeAttr(ValueType value) implements Attribute {
        public Kind kind() {
            return Kind.TYPE;
        }
    }

    record TypesAttr(List<ValueType> values) implements Attribute {
        public TypesAttr {
            values = List.copyOf(values);
        }

        public Kind kind() {
            return Kind.TYPES;
        }
    }

    /** A serialized SparseTensorProto, carried through unchanged. */
    record SparseTensorAttr(byte[] proto) implements Attribute {
        public Kind kind() {
            return Kind.SPARSE_TENSOR;
        }
    }

    record SparseTensorsAttr(List<byte[]> protos) implements Attribute {
        public SparseTensorsAttr {
            protos = List.copyOf(protos);
        }

        public Kind kind() {
            return Kind.SPARSE_TENSORS;
        }
    }

    /** Inside a function body: the attribute takes the value of the calling node's attribute {@code refName}. */
    record RefAttr(Kind refKind, String refName) implements Attribute {
        public Kind kind() {
            return refKind;
        }
    }
}
