package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hash-consing keys: two nodes with equal keys compute the same values. Attribute records hold
 * arrays (whose equals is identity), so attributes are first turned into values with content
 * equality; floats compare by bit pattern so 0.0 and -0.0 stay apart.
 */
final class NodeKeys {
    private NodeKeys() {
    }

    /** Op identity, inputs by identity (null = omitted), attributes by content, output count. */
    record NodeKey(String domain, String opType, String overload, List<Value> inputs, int outputCount,
                   Map<String, AttrKey> attributes) {
    }

    record AttrKey(Attribute.Kind kind, Object content) {
    }

    /** A tensor's meaning: element type, dims and data; its name and doc do not matter. */
    record TensorKey(ElementType type, List<Long> dims, Object content) {
    }

    /** The key of {@code n}, or null when it has a subgraph attribute (bodies are not compared). */
    static NodeKey of(Node n) {
        if (n.attributes().isEmpty()) {
            // Map equality is by content whatever the map, so most nodes need no sorted map of their own.
            return new NodeKey(n.domain(), n.opType(), n.overload(), new ArrayList<>(n.inputs()), n.outputs().size(),
                    Map.of());
        }
        Map<String, AttrKey> attrs = new TreeMap<>();
        for (Map.Entry<String, Attribute> e : n.attributes().entrySet()) {
            Object content = content(e.getValue());
            if (content == null) {
                return null;
            }
            attrs.put(e.getKey(), new AttrKey(e.getValue().kind(), content));
        }
        return new NodeKey(n.domain(), n.opType(), n.overload(), new ArrayList<>(n.inputs()), n.outputs().size(), attrs);
    }

    static TensorKey tensor(Tensor t) {
        Object content = t.data() instanceof TensorData.Strings s
                ? s.values().stream().map(ByteBuffer::wrap).toList() : t.bytes();
        long[] dims = t.dims();
        List<Long> boxed = new ArrayList<>(dims.length);
        for (long d : dims) {
            boxed.add(d);
        }
        return new TensorKey(t.elementType(), boxed, content);
    }

    private static Object content(Attribute a) {
        return switch (a) {
            case Attribute.FloatAttr f -> Float.floatToRawIntBits(f.value());
            case Attribute.IntAttr i -> i.value();
            case Attribute.StringAttr s -> ByteBuffer.wrap(s.value());
            case Attribute.TensorAttr t -> tensor(t.value());
            case Attribute.FloatsAttr fs -> {
                List<Integer> bits = new ArrayList<>(fs.values().length);
                for (float f : fs.values()) {
                    bits.add(Float.floatToRawIntBits(f));
                }
                yield bits;
            }
            case Attribute.IntsAttr is -> Arrays.stream(is.values()).boxed().toList();
            case Attribute.StringsAttr ss -> ss.values().stream().map(ByteBuffer::wrap).toList();
            case Attribute.TensorsAttr ts -> ts.values().stream().map(NodeKeys::tensor).toList();
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
