package dev.graphfuse.ir;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node computes, apart from names: two nodes with equal keys compute the same values. Its
 * operands are keyed as the caller says: by identity for nodes of one graph (common subexpressions),
 * by value number across graphs ({@link ValueNumbering}). Attribute records hold arrays, whose
 * equals is identity, so attributes are turned into values with content equality; floats compare
 * by bit pattern so 0.0 and -0.0 stay apart.
 */
public record NodeKey(String domain, String opType, String overload, List<Object> operands, int outputCount,
                      Map<String, AttributeKey> attributes) {

    /** An attribute's kind and content. */
    public record AttributeKey(Attribute.Kind kind, Object content) {
    }

    /**
     * The key of {@code n} with each input keyed by {@code operand} (an omitted input stays null), or
     * null when {@code n} has a subgraph attribute (bodies are not compared).
     */
    public static NodeKey of(Node n, java.util.function.Function<Value, Object> operand) {
        List<Object> operands = new ArrayList<>(n.inputCount());
        for (int i = 0, count = n.inputCount(); i < count; i++) {
            Value in = n.input(i);
            operands.add(in == null ? null : operand.apply(in));
        }
        Map<String, Attribute> attrs = n.attributes();
        if (attrs.isEmpty()) {
            // map equality is by content whatever the map, so most nodes need no sorted map of their own
            return new NodeKey(n.domain(), n.opType(), n.overload(), operands, n.outputs().size(), Map.of());
        }
        Map<String, AttributeKey> keys = new TreeMap<>();
        for (Map.Entry<String, Attribute> e : attrs.entrySet()) {
            Object content = content(e.getValue());
            if (content == null) {
                return null;
            }
            keys.put(e.getKey(), new AttributeKey(e.getValue().kind(), content));
        }
        return new NodeKey(n.domain(), n.opType(), n.overload(), operands, n.outputs().size(), keys);
    }

    private static Object content(Attribute a) {
        return switch (a) {
            case Attribute.FloatAttr f -> Float.floatToRawIntBits(f.value());
            case Attribute.IntAttr i -> i.value();
            case Attribute.StringAttr s -> ByteBuffer.wrap(s.value());
            case Attribute.TensorAttr t -> TensorKey.of(t.value());
            case Attribute.FloatsAttr fs -> {
                List<Integer> bits = new ArrayList<>(fs.values().length);
                for (float f : fs.values()) {
                    bits.add(Float.floatToRawIntBits(f));
                }
                yield bits;
            }
            case Attribute.IntsAttr is -> Arrays.stream(is.values()).boxed().toList();
            case Attribute.StringsAttr ss -> ss.values().stream().map(ByteBuffer::wrap).toList();
            case Attribute.TensorsAttr ts -> ts.values().stream().map(TensorKey::of).toList();
            case Attribute.TypeAttr t -> t.value();
            case Attribute.TypesAttr ts -> ts.values();
            case Attribute.SparseTensorAttr s -> ByteBuffer.wrap(s.proto());
            case Attribute.SparseTensorsAttr ss -> ss.protos().stream().map(ByteBuffer::wrap).toList();
            case Attribute.RefAttr r -> r;
            case Attribute.GraphAttr g -> null;
            case Attribute.GraphsAttr gs -> null;
        };
    }
}
