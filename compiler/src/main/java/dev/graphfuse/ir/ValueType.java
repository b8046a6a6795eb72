package dev.graphfuse.ir;

/** The type of a value: a tensor type, or one of ONNX's container types. */
public sealed interface ValueType {
    /** A dense tensor with an element type (possibly UNDEFINED) and a shape (possibly of unknown rank). */
    record TensorType(ElementType elementType, Shape shape) implements ValueType {
        public TensorType {
            java.util.Objects.requireNonNull(elementType, "elementType is null");
            java.util.Objects.requireNonNull(shape, "shape is null");
        }
    }

    /** A sparse tensor. */
    record SparseTensorType(ElementType elementType, Shape shape) implements ValueType {
    }

    /** A sequence of values of one type. */
    record SequenceType(ValueType elementType) implements ValueType {
    }

    /** An optional value. */
    record OptionalType(ValueType elementType) implements ValueType {
    }

    /** A map from a scalar key type to values. */
    record MapType(ElementType keyType, ValueType valueType) implements ValueType {
    }

    /** An opaque, backend-defined type. */
    record OpaqueType(String domain, String name) implements ValueType {
    }

    /** A type whose kind was not given (TypeProto with no value set). */
    record Unspecified() implements ValueType {
    }

    static TensorType tensor(ElementType elementType, Shape shape) {
        return new TensorType(elementType, shape);
    }
}
