package dev.graphfuse.onnx;

import com.google.protobuf.ByteString;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.FunctionProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.ModelProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TypeProto;
import dev.graphfuse.onnx.wire.OnnxWire.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The same model computed in fp32: every fp16 / bf16 tensor, value type, Cast target and dtype attribute
 * becomes fp32. What an fp16 model's outputs "should" be, free of its roundings: {@code verify} judges the
 * original's and the optimized model's errors against it, since stock ONNX Runtime itself rounds some fp16
 * steps differently from the graph.
 */
public final class Fp32Promotion {
    private static final int FLOAT = 1;
    private static final int FLOAT16 = 10;
    private static final int BFLOAT16 = 16;
    /** Larger models are not copied into memory (the wire form holds every weight inline, as fp32). */
    public static final long MAX_BYTES = 1L << 30;

    private Fp32Promotion() {
    }

    /** The promoted model's wire bytes; {@link UnsupportedOperationException} beyond {@link #MAX_BYTES} of weights. */
    public static byte[] promote(Model model) {
        long bytes = model.graph().values().stream().filter(v -> v.initializer() != null)
                .mapToLong(v -> v.initializer().data().byteLength()).sum();
        if (bytes * 2 > MAX_BYTES) {
            throw new UnsupportedOperationException("an fp32 copy of its " + bytes + " bytes of weights would be over "
                    + MAX_BYTES + " bytes");
        }
        ModelProto m = OnnxExporter.toProto(model);
        ModelProto.Builder b = m.toBuilder().setGraph(graph(m.getGraph()));
        for (int i = 0; i < b.getFunctionsCount(); i++) {
            b.setFunctions(i, function(b.getFunctions(i)));
        }
        return b.build().toByteArray();
    }

    static boolean half(int type) {
        return type == FLOAT16 || type == BFLOAT16;
    }

    private static GraphProto graph(GraphProto g) {
        GraphProto.Builder b = g.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            b.setNode(i, node(b.getNode(i)));
        }
        for (int i = 0; i < b.getInitializerCount(); i++) {
            b.setInitializer(i, tensor(b.getInitializer(i)));
        }
        for (int i = 0; i < b.getInputCount(); i++) {
            b.setInput(i, valueInfo(b.getInput(i)));
        }
        for (int i = 0; i < b.getOutputCount(); i++) {
            b.setOutput(i, valueInfo(b.getOutput(i)));
        }
        for (int i = 0; i < b.getValueInfoCount(); i++) {
            b.setValueInfo(i, valueInfo(b.getValueInfo(i)));
        }
        return b.build();
    }

    private static FunctionProto function(FunctionProto f) {
        FunctionProto.Builder b = f.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            b.setNode(i, node(b.getNode(i)));
        }
        for (int i = 0; i < b.getValueInfoCount(); i++) {
            b.setValueInfo(i, valueInfo(b.getValueInfo(i)));
        }
        return b.build();
    }

    private static NodeProto node(NodeProto n) {
        NodeProto.Builder b = n.toBuilder();
        for (int i = 0; i < b.getAttributeCount(); i++) {
            AttributeProto a = b.getAttribute(i);
            AttributeProto.Builder ab = a.toBuilder();
            // Cast's target and the dtype of generators (RandomNormal, EyeLike, …)
            if ((a.getName().equals("to") && n.getOpType().equals("Cast") && n.getDomain().isEmpty()
                    || a.getName().equals("dtype")) && half((int) a.getI())) {
                ab.setI(FLOAT);
            }
            if (a.hasT()) {
                ab.setT(tensor(a.getT()));
            }
            for (int k = 0; k < ab.getTensorsCount(); k++) {
                ab.setTensors(k, tensor(ab.getTensors(k)));
            }
            if (a.hasG()) {
                ab.setG(graph(a.getG()));
            }
            for (int k = 0; k < ab.getGraphsCount(); k++) {
                ab.setGraphs(k, graph(ab.getGraphs(k)));
            }
            if (a.hasTp()) {
                ab.setTp(type(a.getTp()));
            }
            b.setAttribute(i, ab.build());
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(ValueInfoProto v) {
        return v.hasType() ? v.toBuilder().setType(type(v.getType())).build() : v;
    }

    private static TypeProto type(TypeProto t) {
        TypeProto.Builder b = t.toBuilder();
        if (t.hasTensorType() && half(t.getTensorType().getElemType())) {
            b.setTensorType(t.getTensorType().toBuilder().setElemType(FLOAT));
        } else if (t.hasSequenceType()) {
            b.setSequenceType(t.getSequenceType().toBuilder().setElemType(type(t.getSequenceType().getElemType())));
        } else if (t.hasOptionalType()) {
            b.setOptionalType(t.getOptionalType().toBuilder().setElemType(type(t.getOptionalType().getElemType())));
        }
        return b.build();
    }

    private static TensorProto tensor(TensorProto t) {
        if (!half(t.getDataType())) {
            return t;
        }
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(4 * n)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            // fp16 / bf16 values sit in raw_data (2 bytes each) or, one per element, in int32_data
            int bits = t.getRawData().isEmpty() ? t.getInt32Data(i) & 0xFFFF : raw.getShort(2 * i) & 0xFFFF;
            out.putFloat(t.getDataType() == FLOAT16 ? Float.float16ToFloat((short) bits) : Float.intBitsToFloat(bits << 16));
        }
        out.flip();
        return t.toBuilder().setDataType(FLOAT).clearInt32Data().setRawData(ByteString.copyFrom(out)).build();
    }
}
