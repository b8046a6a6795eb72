package dev.graphfuse.onnx;

import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.onnx.wire.OnnxWire.TensorShapeProto;
import dev.graphfuse.onnx.wire.OnnxWire.TypeProto;
import java.util.ArrayList;
import java.util.List;

/** Converts between TypeProto and {@link ValueType}. */
final class OnnxTypes {
    private OnnxTypes() {
    }

    /** Thrown for a type the IR cannot hold; the importer adds file and location. */
    static final class BadType extends Exception {
        BadType(String message) {
            super(message);
        }
    }

    static ValueType fromProto(TypeProto tp) throws BadType {
        return switch (tp.getValueCase()) {
            case TENSOR_TYPE -> ValueType.tensor(element(tp.getTensorType().getElemType()),
                    tp.getTensorType().hasShape() ? shape(tp.getTensorType().getShape()) : Shape.UNKNOWN_RANK);
            case SPARSE_TENSOR_TYPE -> new ValueType.SparseTensorType(element(tp.getSparseTensorType().getElemType()),
                    tp.getSparseTensorType().hasShape() ? shape(tp.getSparseTensorType().getShape()) : Shape.UNKNOWN_RANK);
            case SEQUENCE_TYPE -> new ValueType.SequenceType(fromProto(tp.getSequenceType().getElemType()));
            case OPTIONAL_TYPE -> new ValueType.OptionalType(fromProto(tp.getOptionalType().getElemType()));
            case MAP_TYPE -> new ValueType.MapType(element(tp.getMapType().getKeyType()),
                    fromProto(tp.getMapType().getValueType()));
            case OPAQUE_TYPE -> new ValueType.OpaqueType(tp.getOpaqueType().getDomain(), tp.getOpaqueType().getName());
            case VALUE_NOT_SET -> new ValueType.Unspecified();
        };
    }

    static ElementType element(int code) throws BadType {
        ElementType t = ElementType.fromCode(code);
        if (t == null) {
            throw new BadType("unknown element type " + code);
        }
        return t;
    }

    private static Shape shape(TensorShapeProto sp) {
        List<Dim> dims = new ArrayList<>(sp.getDimCount());
        for (TensorShapeProto.Dimension d : sp.getDimList()) {
            dims.add(switch (d.getValueCase()) {
                case DIM_VALUE -> Dim.of(d.getDimValue());
                case DIM_PARAM -> d.getDimParam().isEmpty() ? Dim.UNKNOWN : Dim.of(d.getDimParam());
                case VALUE_NOT_SET -> Dim.UNKNOWN;
            });
        }
        return Shape.of(dims);
    }

    static TypeProto toProto(ValueType type) {
        TypeProto.Builder b = TypeProto.newBuilder();
        switch (type) {
            case ValueType.TensorType t -> {
                TypeProto.Tensor.Builder tb = TypeProto.Tensor.newBuilder().setElemType(t.elementType().code());
                if (t.shape().hasRank()) {
                    tb.setShape(shapeProto(t.shape()));
                }
                b.setTensorType(tb);
            }
            case ValueType.SparseTensorType t -> {
                TypeProto.SparseTensor.Builder tb = TypeProto.SparseTensor.newBuilder().setElemType(t.elementType().code());
                if (t.shape().hasRank()) {
                    tb.setShape(shapeProto(t.shape()));
                }
                b.setSparseTensorType(tb);
            }
            case ValueType.SequenceType s -> b.setSequenceType(TypeProto.Sequence.newBuilder().setElemType(toProto(s.elementType())));
            case ValueType.OptionalType o -> b.setOptionalType(TypeProto.Optional.newBuilder().setElemType(toProto(o.elementType())));
            case ValueType.MapType m -> b.setMapType(TypeProto.Map.newBuilder().setKeyType(m.keyType().code())
                    .setValueType(toProto(m.valueType())));
            case ValueType.OpaqueType o -> b.setOpaqueType(TypeProto.Opaque.newBuilder().setDomain(o.domain()).setName(o.name()));
            case ValueType.Unspecified u -> {
            }
        }
        return b.build();
    }

    private static TensorShapeProto shapeProto(Shape s) {
        TensorShapeProto.Builder sb = TensorShapeProto.newBuilder();
        for (Dim d : s.dims()) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            switch (d) {
                case Dim.Fixed f -> db.setDimValue(f.size());
                case Dim.Symbolic sym -> db.setDimParam(sym.name());
                case Dim.Unknown u -> {
                }
            }
            sb.addDim(db);
        }
        return sb.build();
    }
}
