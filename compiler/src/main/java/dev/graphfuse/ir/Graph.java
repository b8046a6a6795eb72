package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A dataflow graph in SSA form: every value has one definition (graph input, initializer, node
 * output, or captured outer-scope value) and a unique name within the graph. Subgraphs (If/Loop
 * bodies) refer to enclosing values through captured values resolved by name.
 */
public final class Graph {
    private String name;
    private String docString = "";
    private final Graph parent;
    private final Map<String, Value> values = new HashMap<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Map<String, Value> initializers = new LinkedHashMap<>();
    private final Set<Node> nodes = new LinkedHashSet<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private byte[] unknownFields = new byte[0];
    private int nameCounter;
    private int nodeIds;
    /** One instance per distinct type; see {@link #shared}. */
    private final Map<ValueType, ValueType> types = new HashMap<>();
    private int valueIds;
    private final SubgraphReads subgraphReads = new SubgraphReads();

    public Graph(String name) {
        this(name, null);
    }

    /** A subgraph whose captured values resolve in {@code parent}. */
    public Graph(String name, Graph parent) {
        this.name = name == null ? "" : name;
        this.parent = parent;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? "" : name;
    }

    public Graph parent() {
        return parent;
    }

    public String docString() {
        return docString;
    }

    public void setDocString(String doc) {
        this.docString = doc == null ? "" : doc;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public byte[] unknownFields() {
        return unknownFields.clone();
    }

    public void setUnknownFields(byte[] bytes) {
        this.unknownFields = bytes == null ? new byte[0] : bytes.clone();
    }

    // ---- values ----

    /** The value with this name defined in this graph, or null. */
    public Value value(String name) {
        return values.get(name);
    }

    public boolean hasValue(String name) {
        return values.containsKey(name);
    }

    /** Looks up a name here, then in enclosing graphs. */
    public Value resolve(String name) {
        for (Graph g = this; g != null; g = g.parent) {
            Value v = g.values.get(name);
            if (v != null && !v.isCaptured()) {
                return v;
            }
        }
        return null;
    }

    /**
     * The value a reference to {@code name} means in this graph: its own value, else a capture of the
     * value an enclosing graph defines (made on first reference), else null.
     */
    public Value valueOrCapture(String name) {
        Value v = values.get(name);
        if (v == null && parent != null && parent.resolve(name) != null) {
            v = capture(name);
        }
        return v;
    }

    public Collection<Value> values() {
        return Collections.unmodifiableCollection(values.values());
    }

    /** The name table itself, for read-only walks inside this package that need each value's key. */
    Map<String, Value> valuesByName() {
        return values;
    }

    /** Above every {@link Value#id} of this graph's values, present or removed. */
    int valueIdBound() {
        return valueIds;
    }

    private Value define(String name, ValueType type) {
        Objects.requireNonNull(name, "name is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a value needs a non-empty name");
        }
        if (values.containsKey(name)) {
            throw new DuplicateValueException(name);
        }
        Value v = new Value(this, name, type, valueIds++);
        values.put(name, v);
        valuesChanged();
        return v;
    }

    /** A name not yet used in this graph, derived from {@code base}. */
    public String freshName(String base) {
        String b = base == null || base.isEmpty() ? "v" : base;
        if (!values.containsKey(b)) {
            return b;
        }
        String candidate;
        do {
            candidate = b + "_" + (++nameCounter);
        } while (values.containsKey(candidate));
        return candidate;
    }

    public Value addInput(String name, ValueType type) {
        Value v = define(name, type);
        v.setGraphInput(true);
        inputs.add(v);
        return v;
    }

    /** Marks an existing initializer as also being a graph input (an overridable default, IR ≥ 4). */
    public void addInitializerAsInput(Value v) {
        requireOwn(v);
        if (v.isGraphInput()) {
            throw new IllegalArgumentException(v + " is already a graph input");
        }
        v.setGraphInput(true);
        inputs.add(v);
    }

    public List<Value> inputs() {
        return Collections.unmodifiableList(inputs);
    }

    public Value addInitializer(Tensor t) {
        Value v = define(t.name(), t.type());
        v.setInitializer(t);
        initializers.put(t.name(), v);
        return v;
    }

    public Value addSparseInitializer(String name, ValueType type, byte[] proto) {
        Value v = define(name, type);
        v.setSparseInitializer(proto.clone());
        initializers.put(name, v);
        return v;
    }

    /** Initializer values in insertion order. */
    public Collection<Value> initializers() {
        return Collections.unmodifiableCollection(initializers.values());
    }

    /** Removes an initializer that nothing uses (see {@link Value#isUsed}). */
    public void removeInitializer(Value v) {
        requireOwn(v);
        if (v.isUsed() || v.isGraphInput()) {
            throw new IllegalStateException("initializer " + v + " is still in use");
        }
        initializers.remove(v.name());
        values.remove(v.name());
        valuesChanged();
    }

    /** A value of an enclosing graph, referenced by name from this subgraph. */
    public Value capture(String name) {
        Value existing = values.get(name);
        if (existing != null) {
            return existing;
        }
        Value v = define(name, null);
        v.setCaptured(true);
        return v;
    }

    /**
     * Forgets a captured value nothing in this subgraph uses any more, so the enclosing graph no
     * longer counts it as used. Nested subgraphs resolve names through enclosing graphs, not through
     * this capture, so they are unaffected.
     */
    public void removeCapture(Value v) {
        requireOwn(v);
        if (!v.isCaptured()) {
            throw new IllegalArgumentException(v + " is not a captured value");
        }
        if (v.hasUses() || v.isGraphOutput()) {
            throw new IllegalStateException("captured value " + v + " is still in use");
        }
        values.remove(v.name());
        valuesChanged();
    }

    public void addOutput(Value v) {
        requireOwn(v);
        outputs.add(v);
        v.addOutputSlot(1);
    }

    public void setOutput(int i, Value v) {
        requireOwn(v);
        outputs.set(i, v).addOutputSlot(-1);
        v.addOutputSlot(1);
    }

    /** Points the graph-output slots holding {@code from} at {@code to}; see {@link Value#replaceAllUsesWith}. */
    void moveOutputSlots(Value from, Value to) {
        requireOwn(to);
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i) == from) {
                setOutput(i, to);
            }
        }
    }

    public List<Value> outputs() {
        return Collections.unmodifiableList(outputs);
    }

    /** Renames a value; the new name must be free. */
    public void rename(Value v, String newName) {
        requireOwn(v);
        if (newName.equals(v.name())) {
            return;
        }
        if (values.containsKey(newName)) {
            throw new DuplicateValueException(newName);
        }
        boolean initializer = unlist(v);
        relist(v, newName, initializer);
        valuesChanged();
    }

    /**
     * Gives {@code a} and {@code b} each other's names. A value that replaces another takes over its
     * name this way, and with it what refers by name: subgraph captures, printed value_info, users
     * of the exported model; the replaced value keeps a name until it is removed.
     */
    public void swapNames(Value a, Value b) {
        requireOwn(a);
        requireOwn(b);
        if (a == b) {
            return;
        }
        String aName = a.name();
        String bName = b.name();
        boolean aInitializer = unlist(a);
        boolean bInitializer = unlist(b);
        relist(a, bName, aInitializer);
        relist(b, aName, bInitializer);
        valuesChanged();
    }

    /** Takes {@code v} out of the name tables; whether it was an initializer. */
    private boolean unlist(Value v) {
        values.remove(v.name());
        return initializers.remove(v.name()) != null;
    }

    private void relist(Value v, String name, boolean initializer) {
        v.setNameInternal(name);
        if (v.initializer() != null) {
            v.setInitializer(v.initializer().withName(name));
        }
        values.put(name, v);
        if (initializer) {
            initializers.put(name, v);
        }
    }

    /** Whether a subgraph of a node of this graph reads {@code name}; see {@link SubgraphReads}. */
    boolean isReadBySubgraph(String name) {
        return subgraphReads.contains(name);
    }

    /** {@code n} (a node of this graph) has come to hold subgraphs, or no longer holds any. */
    void holdsSubgraphs(Node n, boolean holds) {
        subgraphReads.holder(n, holds);
        forgetSubgraphReads();
    }

    /** This graph's names changed: what the graphs enclosing it see their subgraphs read may have too. */
    private void valuesChanged() {
        if (parent != null) {
            parent.forgetSubgraphReads();
        }
    }

    private void forgetSubgraphReads() {
        for (Graph g = this; g != null; g = g.parent) {
            g.subgraphReads.forget();
        }
    }

    // ---- nodes ----

    /** Adds a node whose outputs are new values named {@code outputNames} ("" for an omitted output). */
    public Node addNode(String name, String domain, String opType, List<Value> inputs, List<String> outputNames) {
        Node n = new Node(this, name, domain, opType);
        for (String out : outputNames) {
            n.addOutputInternal(out == null || out.isEmpty() ? null : define(out, null));
        }
        for (Value in : inputs) {
            n.addInput(in);
        }
        nodes.add(n);
        return n;
    }

    /**
     * The graph's instance of a type equal to {@code type}. A 100k-node graph has a few dozen distinct
     * types over its values; holding each once keeps some 300k type, shape and dim-list objects out of
     * every copy the collector makes of it. Types are immutable, so sharing changes no result.
     */
    ValueType shared(ValueType type) {
        if (type == null) {
            return null;
        }
        ValueType kept = types.putIfAbsent(type, type);
        return kept != null ? kept : type;
    }

    int nextNodeId() {
        return nodeIds++;
    }

    /** Above every {@link Node#id} of this graph's nodes, present or removed. */
    int nodeIdBound() {
        return nodeIds;
    }

    /** Nodes in insertion order (not necessarily topological; see {@link GraphViews#topologicalOrder}). */
    public Collection<Node> nodes() {
        return Collections.unmodifiableSet(nodes);
    }

    public int nodeCount() {
        return nodes.size();
    }

    /** Removes a node none of whose outputs is used (see {@link Value#isUsed}). */
    public void removeNode(Node n) {
        // A node belongs to the set from addNode until removeNode marks it: the flag answers without
        // hashing into a set of 100k nodes.
        if (n.graph() != this || n.isRemoved()) {
            throw new IllegalArgumentException("node " + n + " is not in graph " + name);
        }
        int outs = n.outputs().size();
        for (int i = 0; i < outs; i++) {
            Value out = n.output(i);
            if (out != null && out.isUsed()) {
                throw new IllegalStateException("output " + out + " of " + n + " is still in use");
            }
        }
        n.detachInputs();
        if (!n.subgraphs().isEmpty()) {
            holdsSubgraphs(n, false);
        }
        for (int i = 0; i < outs; i++) {
            Value out = n.output(i);
            if (out != null) {
                values.remove(out.name());
                out.setProducer(null, -1);
            }
        }
        nodes.remove(n);
        n.markRemoved();
        valuesChanged();
    }

    private void requireOwn(Value v) {
        if (v == null || v.graph() != this || values.get(v.name()) != v) {
            throw new IllegalArgumentException("value " + v + " is not defined in graph " + name);
        }
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", " + nodes.size() + " nodes]";
    }
}
