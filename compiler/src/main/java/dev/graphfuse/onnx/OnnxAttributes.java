package dev.graphfuse.onnx;

import com.google.protobuf.ByteString;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.SparseTensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TypeProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Node attributes of an ONNX model as IR attributes; a malformed one is a {@link BadInputException}.
 *
 * @param baseDir    where external tensor data resolves
 * @param subgraphs  builds a GRAPH attribute's value
 */
record OnnxAttributes(String file, Path baseDir, OnnxAttributes.SubgraphBuilder subgraphs) {
    /** Builds a GRAPH attribute's value as a subgraph of {@code owner}. */
    @FunctionalInterface
    interface SubgraphBuilder {
        Graph build(GraphProto proto, Graph owner, String loc);
    }

    private BadInputException error(String location, String detail) {
        return new BadInputException(file, location, detail);
    }

    Tensor tensor(TensorProto tp, String loc) {
        try {
            return OnnxTensors.fromProto(tp, baseDir);
        } catch (OnnxTensors.BadTensor e) {
            throw error(loc, e.getMessage());
        }
    }

    ValueType type(TypeProto tp, String loc) {
        try {
            return OnnxTypes.fromProto(tp);
        } catch (OnnxTypes.BadType e) {
            throw error(loc, e.getMessage());
        }
    }

    Attribute attribute(AttributeProto ap, Graph owner, String loc) {
        AttributeProto.AttributeType t = ap.getType();
        if (t == AttributeProto.AttributeType.UNDEFINED) {
            t = inferType(ap);
            if (t == null) {
                throw error(loc, "attribute has no type and no value");
            }
        }
        Attribute.Kind kind = Attribute.Kind.fromCode(t.getNumber());
        if (kind == null) {
            throw error(loc, "unknown attribute type " + t.getNumber());
        }
        if (!ap.getRefAttrName().isEmpty()) {
            return new Attribute.RefAttr(kind, ap.getRefAttrName());
        }
        return switch (kind) {
            case FLOAT -> new Attribute.FloatAttr(ap.getF());
            case INT -> new Attribute.IntAttr(ap.getI());
            case STRING -> new Attribute.StringAttr(ap.getS().toByteArray());
            case TENSOR -> new Attribute.TensorAttr(tensor(ap.getT(), loc));
            case GRAPH -> new Attribute.GraphAttr(subgraphs.build(ap.getG(), owner, loc));
            case FLOATS -> new Attribute.FloatsAttr(toFloats(ap.getFloatsList()));
            case INTS -> new Attribute.IntsAttr(ap.getIntsList().stream().mapToLong(Long::longValue).toArray());
            case STRINGS -> new Attribute.StringsAttr(ap.getStringsList().stream().map(ByteString::toByteArray).toList());
            case TENSORS -> {
                List<Tensor> ts = new ArrayList<>();
                for (int i = 0; i < ap.getTensorsCount(); i++) {
                    ts.add(tensor(ap.getTensors(i), loc + "[" + i + "]"));
                }
                yield new Attribute.TensorsAttr(ts);
            }
            case GRAPHS -> {
                List<Graph> gs = new ArrayList<>();
                for (int i = 0; i < ap.getGraphsCount(); i++) {
                    gs.add(subgraphs.build(ap.getGraphs(i), owner, loc + "[" + i + "]"));
                }
                yield new Attribute.GraphsAttr(gs);
            }
            case TYPE -> new Attribute.TypeAttr(type(ap.getTp(), loc));
            case TYPES -> {
                List<ValueType> ts = new ArrayList<>();
                for (TypeProto tp : ap.getTypeProtosList()) {
                    ts.add(type(tp, loc));
                }
                yield new Attribute.TypesAttr(ts);
            }
            case SPARSE_TENSOR -> new Attribute.SparseTensorAttr(ap.getSparseTensor().toByteArray());
            case SPARSE_TENSORS -> new Attribute.SparseTensorsAttr(
                    ap.getSparseTensorsList().stream().map(SparseTensorProto::toByteArray).toList());
        };
    }

    private static float[] toFloats(List<Float> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** IR < 4 writers may omit the type; infer it from the one populated field. */
    private static AttributeProto.AttributeType inferType(AttributeProto ap) {
        if (ap.hasF()) {
            return AttributeProto.AttributeType.FLOAT;
        } else if (ap.hasI()) {
            return AttributeProto.AttributeType.INT;
        } else if (ap.hasS()) {
            return AttributeProto.AttributeType.STRING;
        } else if (ap.hasT()) {
            return AttributeProto.AttributeType.TENSOR;
        } else if (ap.hasG()) {
            return AttributeProto.AttributeType.GRAPH;
        } else if (ap.getFloatsCount() > 0) {
            return AttributeProto.AttributeType.FLOATS;
        } else if (ap.getIntsCount() > 0) {
            return AttributeProto.AttributeType.INTS;
        } else if (ap.getStringsCount() > 0) {
            return AttributeProto.AttributeType.STRINGS;
        } else if (ap.getTensorsCount() > 0) {
            return AttributeProto.AttributeType.TENSORS;
        } else if (ap.getGraphsCount() > 0) {
            return AttributeProto.AttributeType.GRAPHS;
        } else if (ap.hasTp()) {
            return AttributeProto.AttributeType.TYPE_PROTO;
        }
        return null;
    }
}
