package dev.graphfuse.ir;

import dev.graphfuse.diag.Quote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operator application. Inputs are ordered and may contain null for an omitted optional input;
 * outputs likewise. Attributes keep their insertion order.
 */
public final class Node {
    private final Graph graph;
    private String name;
    private String domain;
    private String opType;
    private String overload = "";
    private String docString = "";
    private final List<Value> inputs = new ArrayList<>(4);
    private final List<Value> outputs = new ArrayList<>(1);
    /** Null until the first attribute: most nodes of a large graph have none, and the collector copies every map. */
    private Map<String, Attribute> attributes;
    /** Made on the first entry; see {@link LazyMetadata}. */
    private LinkedHashMap<String, String> metadata;
    /** Shared when empty (nearly always): an empty array cannot be changed, so no copy is needed either. */
    private static final byte[] NO_BYTES = new byte[0];
    private byte[] unknownFields = NO_BYTES;
    private boolean removed;
    /** Graph-unique and increasing in insertion order: graph walks index arrays by it instead of hashing nodes. */
    final int id;
    /** GRAPH / GRAPHS attributes held, so {@link #subgraphs()} need not scan the attributes of nearly every node. */
    private int graphAttributes;

    Node(Graph graph, String name, String domain, String opType) {
        this.graph = Objects.requireNonNull(graph, "graph is null");
        this.id = graph.nextNodeId();
        this.name = name == null ? "" : name;
        this.domain = normalizeDomain(domain);
        // Interned, like attribute names: a decoded model holds one copy of "MatMul" per node otherwise,
        // a tenth of a large graph's objects for the collector to copy.
        this.opType = Objects.requireNonNull(opType, "opType is null").intern();
    }

    /** ONNX treats "" and "ai.onnx" as the same default domain; the IR always uses "". */
    public static String normalizeDomain(String domain) {
        return domain == null || domain.equals("ai.onnx") ? "" : domain;
    }

    public Graph graph() {
        return graph;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    public String domain() {
        return domain;
    }

    public String opType() {
        return opType;
    }

    /** {@code domain::OpType}, or just {@code OpType} in the default domain. */
    public String qualifiedOpType() {
        return domain.isEmpty() ? opType : domain + "::" + opType;
    }

    public boolean is(String op) {
        return domain.isEmpty() && opType.equals(op);
    }

    public String overload() {
        return overload;
    }

    public void setOverload(String overload) {
        this.overload = overload == null ? "" : overload;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String doc) {
        this.docString = doc == null ? "" : doc;
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public int inputCount() {
        return inputs.size();
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    public Value output(int i) {
        return i < outputs.size() ? outputs.get(i) : null;
    }

    public Value output() {
        if (outputs.size() != 1) {
            throw new IllegalStateException(this + " has " + outputs.size() + " outputs");
        }
        return outputs.get(0);
    }

    /** Appends an input (null for an omitted optional input). */
    public void addInput(Value v) {
        checkOwned(v);
        inputs.add(v);
        if (v != null) {
            v.addUse(new Use(this, inputs.size() - 1));
        }
    }

    public void setInput(int i, Value v) {
        checkOwned(v);
        Value old = inputs.get(i);
        if (old == v) {
            return;
        }
        if (old != null) {
            old.removeUse(this, i);
        }
        inputs.set(i, v);
        if (v != null) {
            v.addUse(new Use(this, i));
        }
    }

    /** Drops trailing inputs from index {@code count} on. */
    public void truncateInputs(int count) {
        while (inputs.size() > count) {
            int i = inputs.size() - 1;
            Value old = inputs.remove(i);
            if (old != null) {
                old.removeUse(this, i);
            }
        }
    }

    void detachInputs() {
        for (int i = 0; i < inputs.size(); i++) {
            Value v = inputs.get(i);
            if (v != null) {
                v.removeUse(this, i);
            }
        }
        inputs.clear();
    }

    void addOutputInternal(Value v) {
        outputs.add(v);
        if (v != null) {
            v.setProducer(this, outputs.size() - 1);
        }
    }

    private void checkOwned(Value v) {
        if (v != null && v.graph() != graph) {
            throw new IllegalArgumentException("value " + v + " belongs to another graph than node " + this);
        }
        if (removed) {
            throw new IllegalStateException("node " + this + " was removed");
        }
    }

    public Map<String, Attribute> attributes() {
        return attributes == null ? Collections.emptyMap() : Collections.unmodifiableMap(attributes);
    }

    public Attribute attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    public void setAttribute(String name, Attribute value) {
        Objects.requireNonNull(name);
        Objects.requireNonNull(value);
        if (attributes == null) {
            attributes = new LinkedHashMap<>();
        }
        Attribute old = attributes.put(name.intern(), value);
        subgraphsChanged(holdsGraphs(value) - holdsGraphs(old), holdsGraphs(value) + holdsGraphs(old));
    }

    public void removeAttribute(String name) {
        if (attributes != null) {
            int removed = holdsGraphs(attributes.remove(name));
            subgraphsChanged(-removed, removed);
        }
    }

    /** {@code touched} graph-holding attributes were set or removed, changing their count by {@code delta}. */
    private void subgraphsChanged(int delta, int touched) {
        graphAttributes += delta;
        if (touched > 0 && !removed) {
            graph.holdsSubgraphs(this, graphAttributes > 0);
        }
    }

    private static int holdsGraphs(Attribute a) {
        return a instanceof Attribute.GraphAttr || a instanceof Attribute.GraphsAttr ? 1 : 0;
    }

    /** An INT attribute's value, or {@code dflt} when absent. */
    public long intAttribute(String name, long dflt) {
        return attribute(name) instanceof Attribute.IntAttr i ? i.value() : dflt;
    }

    /** A FLOAT attribute's value, or {@code dflt} when absent. */
    public float floatAttribute(String name, float dflt) {
        return attribute(name) instanceof Attribute.FloatAttr f ? f.value() : dflt;
    }

    /**
     * The tensor this node produces when it is a {@code Constant} with one attribute of a form that
     * holds plain data ({@code value}, {@code value_float(s)}, {@code value_int(s)}), else null. What
     * counts as a constant is decided here and in {@link Value#constant}, for matcher, folder and
     * function bodies alike.
     */
    public Tensor constantTensor() {
        if (!is("Constant") || outputs.size() != 1 || attributes == null || attributes.size() != 1) {
            return null;
        }
        Map.Entry<String, Attribute> e = attributes.entrySet().iterator().next();
        return switch (e.getKey()) {
            case "value" -> e.getValue() instanceof Attribute.TensorAttr t ? t.value() : null;
            case "value_float" -> e.getValue() instanceof Attribute.FloatAttr f
                    ? Tensor.ofFloats(new long[0], new float[] {f.value()}) : null;
            case "value_floats" -> e.getValue() instanceof Attribute.FloatsAttr fs
                    ? Tensor.ofFloats(new long[] {fs.values().length}, fs.values()) : null;
            case "value_int" -> e.getValue() instanceof Attribute.IntAttr i
                    ? Tensor.ofLongs(new long[0], new long[] {i.value()}) : null;
            case "value_ints" -> e.getValue() instanceof Attribute.IntsAttr is
                    ? Tensor.ofLongs(new long[] {is.values().length}, is.values()) : null;
            default -> null;
        };
    }

    /** Node metadata_props, in insertion order (mutable). */
    public Map<String, String> metadata() {
        return new LazyMetadata() {
            @Override
            LinkedHashMap<String, String> map(boolean create) {
                if (metadata == null && create) {
                    metadata = new LinkedHashMap<>();
                }
                return metadata;
            }
        };
    }

    /** Serialized protobuf fields graphfuse does not model, carried through export. */
    public byte[] unknownFields() {
        return unknownFields.length == 0 ? NO_BYTES : unknownFields.clone();
    }

    public void setUnknownFields(byte[] bytes) {
        this.unknownFields = bytes == null || bytes.length == 0 ? NO_BYTES : bytes.clone();
    }

    public boolean isRemoved() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    /** Subgraphs held by GRAPH / GRAPHS attributes, in attribute order. */
    public List<Graph> subgraphs() {
        if (graphAttributes == 0) {
            return List.of();
        }
        List<Graph> out = new ArrayList<>();
        for (Attribute a : attributes.values()) {
            if (a instanceof Attribute.GraphAttr g) {
                out.add(g.value());
            } else if (a instanceof Attribute.GraphsAttr gs) {
                out.addAll(gs.values());
            }
        }
        return out;
    }

    /**
     * A key that identifies this node independently of node order: its first named output, else its
     * name, else op type. Used to break ties in topological order so printing is stable.
     */
    public String orderKey() {
        for (Value v : outputs) {
            if (v != null) {
                return v.name();
            }
        }
        return "\u0000" + name + "\u0000" + qualifiedOpType();
    }

    /**
     * The node for an error message: {@code 'name' (op)}, or {@code 'output' (op)} when it has no
     * name. Names are quoted with {@link Quote#quote}, so a name holding a line break stays on one line.
     */
    public String describe() {
        return Quote.quote(name.isEmpty() ? orderKey() : name) + " (" + Quote.oneLine(qualifiedOpType()) + ")";
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "<" + orderKey() + ">" : name) + ":" + qualifiedOpType();
    }
}
