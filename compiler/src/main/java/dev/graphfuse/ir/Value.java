package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named SSA value of one graph: a graph input, an initializer, a node output, or (in a subgraph) a
 * reference to a value of an enclosing graph. Users are kept in the order they were attached.
 */
public final class Value {
    private final Graph graph;
    private String name;
    private ValueType type;
    private Node producer;
    private int producerIndex = -1;
    private Tensor initializer;
    private byte[] sparseInitializer;
    private boolean graphInput;
    private boolean captured;
    /** How many of the graph's output slots hold this value: "is it an output" without scanning them. */
    private int outputSlots;
    private String docString = "";
    /** Made on the first entry; see {@link LazyMetadata}. */
    private LinkedHashMap<String, String> metadata;
    private final UseList users = new UseList();
    /** Graph-unique, like {@link Node#id}: the verifier keeps per-value flags in arrays indexed by it. */
    final int id;

    Value(Graph graph, String name, ValueType type, int id) {
        this.graph = Objects.requireNonNull(graph, "graph is null");
        this.id = id;
        this.name = Objects.requireNonNull(name, "name is null");
        this.type = graph.shared(type);
    }

    public Graph graph() {
        return graph;
    }

    public String name() {
        return name;
    }

    void setNameInternal(String name) {
        this.name = name;
    }

    /** The declared type, or null when unknown. */
    public ValueType type() {
        return type;
    }

    public void setType(ValueType type) {
        this.type = graph.shared(type);
    }

    /** The element type when this is a tensor of known element type, else null. */
    public ElementType elementType() {
        return type instanceof ValueType.TensorType t && t.elementType() != ElementType.UNDEFINED
                ? t.elementType() : null;
    }

    /** The shape when this is a tensor, else {@link Shape#UNKNOWN_RANK}. */
    public Shape shape() {
        return type instanceof ValueType.TensorType t ? t.shape() : Shape.UNKNOWN_RANK;
    }

    /** The node producing this value, or null for inputs, initializers and captured values. */
    public Node producer() {
        return producer;
    }

    public int producerIndex() {
        return producerIndex;
    }

    void setProducer(Node node, int index) {
        this.producer = node;
        this.producerIndex = index;
    }

    public Tensor initializer() {
        return initializer;
    }

    public boolean isInitializer() {
        return initializer != null || sparseInitializer != null;
    }

    void setInitializer(Tensor t) {
        this.initializer = t;
    }

    /**
     * The data this value holds before run time, or null when it is computed at run time: the tensor
     * of an initializer that is not also a graph input (that one is only a default the caller may
     * override), or of a {@code Constant} node (see {@link Node#constantTensor}).
     */
    public Tensor constant() {
        if (initializer != null) {
            return graphInput ? null : initializer;
        }
        return producer != null ? producer.constantTensor() : null;
    }

    /** Replaces the constant data of an initializer value (same name). */
    public void replaceInitializer(Tensor t) {
        if (initializer == null) {
            throw new IllegalStateException(name + " is not an initializer");
        }
        this.initializer = t.name().equals(name) ? t : t.withName(name);
    }

    /** Serialized SparseTensorProto when this value is a sparse initializer. */
    public byte[] sparseInitializer() {
        return sparseInitializer;
    }

    void setSparseInitializer(byte[] proto) {
        this.sparseInitializer = proto;
    }

    public boolean isGraphInput() {
        return graphInput;
    }

    void setGraphInput(boolean b) {
        this.graphInput = b;
    }

    /** True for a subgraph value that refers to a value of an enclosing graph by name. */
    public boolean isCaptured() {
        return captured;
    }

    void setCaptured(boolean b) {
        this.captured = b;
    }

    public boolean isGraphOutput() {
        return outputSlots > 0;
    }

    void addOutputSlot(int delta) {
        outputSlots += delta;
    }

    /**
     * Whether a subgraph (an If or Loop body, at any depth) of a node of this value's graph reads this
     * value by name. Such a read has no {@link Use}: the subgraph holds a captured value of that name.
     */
    public boolean isReadBySubgraph() {
        return graph.isReadBySubgraph(name);
    }

    /**
     * Whether anything reads this value: a node input, a graph-output slot, or a subgraph capture.
     * A value that is not used may be removed; {@link Graph} refuses to remove one that is.
     */
    public boolean isUsed() {
        return users.size() > 0 || outputSlots > 0 || isReadBySubgraph();
    }

    public List<Use> uses() {
        return users.view();
    }

    /** Distinct user nodes, in first-use order. */
    public List<Node> users() {
        List<Node> out = new ArrayList<>(users.size());
        for (Use u : users.view()) {
            if (!out.contains(u.node())) {
                out.add(u.node());
            }
        }
        return out;
    }

    public boolean hasUses() {
        return users.size() > 0;
    }

    void addUse(Use use) {
        users.add(use);
    }

    void removeUse(Node node, int index) {
        if (!users.remove(node, index)) {
            throw new IllegalStateException("value " + name + " has no use at " + node + " input " + index);
        }
    }

    /**
     * Points every use of this value and every graph-output slot holding it at {@code replacement}, a
     * value of the same graph. Subgraphs read by name, so they follow only if {@code replacement}
     * later takes this value's name (see {@link Graph#swapNames}).
     */
    public void replaceAllUsesWith(Value replacement) {
        if (replacement == this) {
            return;
        }
        for (Use u : List.copyOf(users.view())) {
            u.node().setInput(u.inputIndex(), replacement);
        }
        if (outputSlots > 0) {
            graph.moveOutputSlots(this, replacement);
        }
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String doc) {
        this.docString = doc == null ? "" : doc;
    }

    /** Value-info metadata, in insertion order. */
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

    @Override
    public String toString() {
        return name;
    }
}
