package dev.graphfuse.transform;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * The same model computed in fp32: every fp16 / bf16 tensor, value type, Cast target and dtype attribute
 * becomes fp32, in the main graph, its subgraphs and the model-local functions. What an fp16 model's
 * outputs "should" be, free of its roundings: {@code verify} judges the original's and the optimized
 * model's errors against it, since stock ONNX Runtime itself rounds some fp16 steps differently from the
 * graph. Both half formats widen to fp32 exactly, so the copy computes the same function on the same
 * numbers. Sparse tensors stay as they are: the IR holds them as serialized bytes, which no pass reads.
 */
public final class Fp32Promotion {
    /**
     * Larger models are not promoted: the copy holds every fp16 / bf16 weight again at twice the size, and its
     * wire form every weight inline.
     */
    public static final long MAX_BYTES = 1L << 30;

    private Fp32Promotion() {
    }

    /**
     * A promoted copy of {@code model} ({@link Model#copy}), which is left as it was; {@link
     * UnsupportedOperationException} beyond {@link #MAX_BYTES} of weights.
     */
    public static Model promote(Model model) {
        long bytes = model.graph().values().stream().filter(v -> v.initializer() != null)
                .mapToLong(v -> v.initializer().data().byteLength()).sum();
        if (bytes * 2 > MAX_BYTES) {
            throw new UnsupportedOperationException("an fp32 copy of its " + bytes + " bytes of weights would be over "
                    + MAX_BYTES + " bytes");
        }
        Model copy = model.copy();
        graph(copy.graph());
        for (Function f : copy.functions()) {
            graph(f.body());
        }
        return copy;
    }

    private static boolean half(ElementType t) {
        return t == ElementType.FLOAT16 || t == ElementType.BFLOAT16;
    }

    /** Promotes {@code g} in place: it is part of the copy. */
    private static void graph(Graph g) {
        for (Value v : g.values()) {
            v.setType(type(v.type()));
            if (v.initializer() != null) {
                v.replaceInitializer(tensor(v.initializer()));
            }
        }
        for (Node n : g.nodes()) {
            // a copy of the entries: setAttribute replaces them while they are walked
            for (Map.Entry<String, Attribute> e : List.copyOf(n.attributes().entrySet())) {
                Attribute a = attribute(n, e.getKey(), e.getValue());
                if (a != e.getValue()) {
                    n.setAttribute(e.getKey(), a);
                }
            }
        }
    }

    /** The promoted attribute, or {@code a} itself when nothing in it is half precision (its subgraphs promoted in place). */
    private static Attribute attribute(Node n, String name, Attribute a) {
        return switch (a) {
            // Cast's target and the dtype of generators (RandomNormal, EyeLike, …)
            case Attribute.IntAttr i when (name.equals("dtype") || name.equals("to") && n.is("Cast"))
                    && (i.value() == ElementType.FLOAT16.code() || i.value() == ElementType.BFLOAT16.code()) ->
                    new Attribute.IntAttr(ElementType.FLOAT.code());
            case Attribute.TensorAttr t when half(t.value().elementType()) -> new Attribute.TensorAttr(tensor(t.value()));
            case Attribute.TensorsAttr ts when ts.values().stream().anyMatch(t -> half(t.elementType())) ->
                    new Attribute.TensorsAttr(ts.values().stream().map(Fp32Promotion::tensor).toList());
            case Attribute.TypeAttr t when !type(t.value()).equals(t.value()) -> new Attribute.TypeAttr(type(t.value()));
            case Attribute.TypesAttr ts when !ts.values().stream().map(Fp32Promotion::type).toList().equals(ts.values()) ->
                    new Attribute.TypesAttr(ts.values().stream().map(Fp32Promotion::type).toList());
            case Attribute.GraphAttr g -> {
                graph(g.value());
                yield a;
            }
            case Attribute.GraphsAttr gs -> {
                gs.values().forEach(Fp32Promotion::graph);
                yield a;
            }
            default -> a;
        };
    }

    private static ValueType type(ValueType t) {
        return switch (t) {
            case ValueType.TensorType tt when half(tt.elementType()) -> ValueType.tensor(ElementType.FLOAT, tt.shape());
            case ValueType.SequenceType s -> new ValueType.SequenceType(type(s.elementType()));
            case ValueType.OptionalType o -> new ValueType.OptionalType(type(o.elementType()));
            case ValueType.MapType m -> new ValueType.MapType(m.keyType(), type(m.valueType()));
            case null, default -> t;
        };
    }

    private static Tensor tensor(Tensor t) {
        if (!half(t.elementType())) {
            return t;
        }
        int n = Math.toIntExact(t.elementCount());
        ByteBuffer in = t.bytes();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(4, n)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            short bits = in.getShort(2 * i);
            // bf16 is the upper half of an fp32
            out.putFloat(t.elementType() == ElementType.FLOAT16 ? Float.float16ToFloat(bits)
                    : Float.intBitsToFloat((bits & 0xFFFF) << 16));
        }
        return new Tensor(t.name(), ElementType.FLOAT, t.dims(), TensorData.Inline.of(out.array()), t.docString(),
                t.orderedMetadata());
    }
}
