package dev.graphfuse.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.FunctionProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.ModelProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.onnx.wire.OnnxWire.OperatorSetIdProto;
import dev.graphfuse.onnx.wire.OnnxWire.SparseTensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.ValueInfoProto;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the IR as an ONNX model. Nodes are emitted in the deterministic topological order of
 * {@link GraphViews#topologicalOrder}. Tensors that were external when imported are written to one
 * data file beside the output ({@code OUT.data}), so a model can be exported anywhere; everything is
 * written to temporary files first and renamed into place.
 */
public final class OnnxExporter {
    private OnnxExporter() {
    }

    /** The model as a protobuf message with every tensor inline. */
    public static ModelProto toProto(Model model) {
        return new Writer(null).model(model);
    }

    /** The model's wire bytes with every tensor inline. */
    public static byte[] toBytes(Model model) {
        return toProto(model).toByteArray();
    }

    /**
     * Writes {@code model} to {@code out}. External tensors go to {@code out.getFileName() + ".data"}
     * in the same directory; when there are none, no data file is written.
     */
    public static void write(Model model, Path out) {
        write(model, out, false);
    }

    /**
     * As {@link #write(Model, Path)}; with {@code keepData}, external tensors whose file already lies in
     * OUT's folder stay there (the model refers to it) instead of being copied into OUT.data: nothing of
     * a large model's weights is read or written. Returns the bytes so kept.
     */
    public static long write(Model model, Path out, boolean keepData) {
        String dataName = out.getFileName() + ".data";
        // OUT is checked before OUT.data is staged: a refused OUT (a device, a directory) gets nothing beside it
        AtomicFiles.checkTarget(out);
        try (ExternalDataWriter data = new ExternalDataWriter(out.resolveSibling(dataName), dataName, keepData);
                AtomicFiles.Staged file = AtomicFiles.stage(out)) {
            data.expect(model.graph().values().stream().filter(v -> v.initializer() != null
                    && v.initializer().data() instanceof dev.graphfuse.ir.TensorData.External)
                    .mapToLong(v -> v.initializer().data().byteLength()).sum());
            ModelProto mp = new Writer(data).model(model);
            file.write((OutputStream os) -> mp.writeTo(os));
            // both files are complete before either is renamed; the data goes first, so that a reader who
            // opens the new model finds its new data
            AtomicFiles.Staged dataFile = data.finish();
            if (dataFile == null) {
                AtomicFiles.commit(file);
            } else {
                AtomicFiles.commit(dataFile, file);
            }
            return data.keptBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    private static final class Writer {
        private final OnnxTensors.ExternalSink sink;

        Writer(OnnxTensors.ExternalSink sink) {
            this.sink = sink;
        }

        ModelProto model(Model m) {
            ModelProto.Builder b = ModelProto.newBuilder().setIrVersion(m.irVersion());
            if (!m.producerName().isEmpty()) {
                b.setProducerName(m.producerName());
            }
            if (!m.producerVersion().isEmpty()) {
                b.setProducerVersion(m.producerVersion());
            }
            if (!m.domain().isEmpty()) {
                b.setDomain(m.domain());
            }
            if (m.modelVersion() != 0) {
                b.setModelVersion(m.modelVersion());
            }
            if (!m.docString().isEmpty()) {
                b.setDocString(m.docString());
            }
            b.addAllOpsetImport(opsets(m.opsetImports()));
            b.addAllMetadataProps(OnnxTensors.toEntries(m.metadata()));
            b.setGraph(graph(m.graph()));
            for (Function f : m.functions()) {
                b.addFunctions(function(f));
            }
            b.mergeUnknownFields(unknown(m.unknownFields()));
            return b.build();
        }

        private static List<OperatorSetIdProto> opsets(Map<String, Long> opsets) {
            return opsets.entrySet().stream()
                    .map(e -> OperatorSetIdProto.newBuilder().setDomain(e.getKey()).setVersion(e.getValue()).build())
                    .toList();
        }

        private FunctionProto function(Function f) {
            FunctionProto.Builder b = FunctionProto.newBuilder().setName(f.name()).setDomain(f.domain());
            if (!f.overload().isEmpty()) {
                b.setOverload(f.overload());
            }
            Graph body = f.body();
            body.inputs().forEach(v -> b.addInput(v.name()));
            body.outputs().forEach(v -> b.addOutput(v.name()));
            b.addAllAttribute(f.attributeNames());
            f.attributeDefaults().forEach((name, a) -> b.addAttributeProto(attribute(name, a)));
            for (Node n : GraphViews.topologicalOrder(body)) {
                b.addNode(node(n));
            }
            for (Node n : GraphViews.topologicalOrder(body)) {
                for (Value v : n.outputs()) {
                    if (v != null && hasInfo(v)) {
                        b.addValueInfo(valueInfo(v));
                    }
                }
            }
            b.addAllOpsetImport(opsets(f.opsetImports()));
            if (!f.docString().isEmpty()) {
                b.setDocString(f.docString());
            }
            b.addAllMetadataProps(OnnxTensors.toEntries(f.metadata()));
            return b.build();
        }

        private static boolean hasInfo(Value v) {
            return v.type() != null || !v.docString().isEmpty() || !v.metadata().isEmpty();
        }

        GraphProto graph(Graph g) {
            GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
            if (!g.docString().isEmpty()) {
                b.setDocString(g.docString());
            }
            b.addAllMetadataProps(OnnxTensors.toEntries(g.metadata()));
            for (Value v : g.initializers()) {
                if (v.initializer() != null) {
                    b.addInitializer(OnnxTensors.toProto(v.initializer(), sink));
                } else {
                    try {
                        b.addSparseInitializer(SparseTensorProto.parseFrom(v.sparseInitializer()));
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException("sparse initializer " + v + " holds invalid bytes", e);
                    }
                }
            }
            for (Value v : g.inputs()) {
                b.addInput(valueInfo(v));
            }
            for (Value v : g.outputs()) {
                b.addOutput(valueInfo(v));
            }
            List<Node> order = GraphViews.topologicalOrder(g);
            for (Node n : order) {
                b.addNode(node(n));
            }
            for (Node n : order) {
                for (Value v : n.outputs()) {
                    if (v != null && !g.outputs().contains(v) && hasInfo(v)) {
                        b.addValueInfo(valueInfo(v));
                    }
                }
            }
            for (Value v : g.initializers()) {
                if (!v.isGraphInput() && (!v.docString().isEmpty() || !v.metadata().isEmpty())) {
                    b.addValueInfo(valueInfo(v));
                }
            }
            b.mergeUnknownFields(unknown(g.unknownFields()));
            return b.build();
        }

        private static ValueInfoProto valueInfo(Value v) {
            ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
            ValueType t = v.type();
            if (t != null) {
                b.setType(OnnxTypes.toProto(t));
            }
            if (!v.docString().isEmpty()) {
                b.setDocString(v.docString());
            }
            b.addAllMetadataProps(OnnxTensors.toEntries(v.metadata()));
            return b.build();
        }

        private NodeProto node(Node n) {
            NodeProto.Builder b = NodeProto.newBuilder().setOpType(n.opType());
            for (Value v : n.inputs()) {
                b.addInput(v == null ? "" : v.name());
            }
            for (Value v : n.outputs()) {
                b.addOutput(v == null ? "" : v.name());
            }
            if (!n.name().isEmpty()) {
                b.setName(n.name());
            }
            if (!n.domain().isEmpty()) {
                b.setDomain(n.domain());
            }
            if (!n.overload().isEmpty()) {
                b.setOverload(n.overload());
            }
            if (!n.docString().isEmpty()) {
                b.setDocString(n.docString());
            }
            n.attributes().forEach((name, a) -> b.addAttribute(attribute(name, a)));
            b.addAllMetadataProps(OnnxTensors.toEntries(n.metadata()));
            b.mergeUnknownFields(unknown(n.unknownFields()));
            return b.build();
        }

        private AttributeProto attribute(String name, Attribute a) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                    .setType(AttributeProto.AttributeType.forNumber(a.kind().code()));
            switch (a) {
                case Attribute.RefAttr r -> b.setRefAttrName(r.refName());
                case Attribute.FloatAttr f -> b.setF(f.value());
                case Attribute.IntAttr i -> b.setI(i.value());
                case Attribute.StringAttr s -> b.setS(ByteString.copyFrom(s.value()));
                case Attribute.TensorAttr t -> b.setT(OnnxTensors.toProto(t.value(), sink));
                case Attribute.GraphAttr g -> b.setG(graph(g.value()));
                case Attribute.FloatsAttr fs -> {
                    for (float f : fs.values()) {
                        b.addFloats(f);
                    }
                }
                case Attribute.IntsAttr is -> {
                    for (long i : is.values()) {
                        b.addInts(i);
                    }
                }
                case Attribute.StringsAttr ss -> ss.values().forEach(s -> b.addStrings(ByteString.copyFrom(s)));
                case Attribute.TensorsAttr ts -> ts.values().forEach(t -> b.addTensors(OnnxTensors.toProto(t, sink)));
                case Attribute.GraphsAttr gs -> gs.values().forEach(g -> b.addGraphs(graph(g)));
                case Attribute.TypeAttr t -> b.setTp(OnnxTypes.toProto(t.value()));
                case Attribute.TypesAttr ts -> ts.values().forEach(t -> b.addTypeProtos(OnnxTypes.toProto(t)));
                case Attribute.SparseTensorAttr s -> b.setSparseTensor(parseSparse(s.proto()));
                case Attribute.SparseTensorsAttr ss -> ss.protos().forEach(p -> b.addSparseTensors(parseSparse(p)));
            }
            return b.build();
        }

        private static SparseTensorProto parseSparse(byte[] bytes) {
            try {
                return SparseTensorProto.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("sparse tensor attribute holds invalid bytes", e);
            }
        }

        private static UnknownFieldSet unknown(byte[] bytes) {
            try {
                return bytes.length == 0 ? UnknownFieldSet.getDefaultInstance() : UnknownFieldSet.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("preserved protobuf fields are corrupt", e);
            }
        }
    }

    /** True when {@code model} has tensors whose data lives in external files. */
    public static boolean hasExternalData(Model model) {
        for (Value v : model.graph().initializers()) {
            Tensor t = v.initializer();
            if (t != null && t.isExternal()) {
                return true;
            }
        }
        return false;
    }
}
