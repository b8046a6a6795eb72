package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numbers values by what they compute, across graphs: two values get one number exactly when they
 * are the same formal input, the same constant data, the same captured name, or the same output of
 * nodes with equal {@link NodeKey}s over equally numbered operands. Names, documentation and
 * metadata play no part, and no text is printed. One instance keeps its numbers comparable across
 * every graph it has seen.
 */
public final class ValueNumbering {
    private final Map<Object, Integer> numbers = new HashMap<>();
    /** Numbers given to what is never equal to anything else; below every interned number. */
    private int unique;

    /** What a graph computes from its formal inputs: equal keys mean interchangeable bodies. */
    public record GraphKey(List<ValueType> inputTypes, List<Integer> outputs, List<ValueType> outputTypes,
                           int nodeCount) {
    }

    private record Formal(int index, ValueType type) {
    }

    private record Captured(String name, ValueType type) {
    }

    private record Data(TensorKey tensor, boolean graphInput) {
    }

    private record Computed(NodeKey node, int output, ValueType type) {
    }

    /** The key of {@code g}; null when it has a cycle (such a graph equals nothing). */
    public GraphKey keyOf(Graph g) {
        List<Node> order;
        try {
            order = GraphViews.insertionTopologicalOrder(g);
        } catch (GraphCycleException e) {
            return null;
        }
        Map<Value, Integer> of = new IdentityHashMap<>();
        List<ValueType> inputTypes = new ArrayList<>();
        for (int i = 0; i < g.inputs().size(); i++) {
            Value in = g.inputs().get(i);
            inputTypes.add(in.type());
            of.put(in, intern(new Formal(i, in.type())));
        }
        for (Node n : order) {
            NodeKey key = NodeKey.of(n, v -> of.computeIfAbsent(v, this::leaf));
            for (int k = 0; k < n.outputs().size(); k++) {
                Value out = n.output(k);
                if (out != null) {
                    of.put(out, key == null ? --unique : intern(new Computed(key, k, out.type())));
                }
            }
        }
        List<Integer> outputs = new ArrayList<>();
        List<ValueType> outputTypes = new ArrayList<>();
        for (Value out : g.outputs()) {
            outputs.add(of.computeIfAbsent(out, this::leaf));
            outputTypes.add(out.type());
        }
        return new GraphKey(inputTypes, outputs, outputTypes, g.nodeCount());
    }

    /** A value no node of the graph computes: an initializer, a capture, or (unordered) nothing comparable. */
    private int leaf(Value v) {
        if (v.initializer() != null) {
            return intern(new Data(TensorKey.of(v.initializer()), v.isGraphInput()));
        }
        if (v.isCaptured()) {
            return intern(new Captured(v.name(), v.type()));
        }
        return --unique;
    }

    private int intern(Object key) {
        return numbers.computeIfAbsent(key, k -> numbers.size());
    }
}
