package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Model#copy}: new graphs, nodes, values and functions, built through the same mutations an
 * importer uses, so the copy holds the invariants the original does. What cannot change is shared:
 * tensors (their data may alias the model file), types, and attribute values other than subgraphs.
 */
final class ModelCopy {
    private ModelCopy() {
    }

    static Model of(Model m) {
        Model out = new Model(m.irVersion(), graph(m.graph(), null));
        out.setProducerName(m.producerName());
        out.setProducerVersion(m.producerVersion());
        out.setDomain(m.domain());
        out.setModelVersion(m.modelVersion());
        out.setDocString(m.docString());
        out.opsetImports().putAll(m.opsetImports());
        out.metadata().putAll(m.metadata());
        out.setUnknownFields(m.unknownFields());
        out.setSourceDirectory(m.sourceDirectory());
        for (Function f : m.functions()) {
            out.functions().add(function(f));
        }
        return out;
    }

    private static Function function(Function f) {
        Graph body = graph(f.body(), null);
        Map<String, Attribute> defaults = new LinkedHashMap<>();
        f.attributeDefaults().forEach((name, a) -> defaults.put(name, attribute(a, body)));
        Function out = new Function(f.domain(), f.name(), f.overload(), body, f.attributeNames(), defaults,
                f.opsetImports());
        out.setDocString(f.docString());
        out.metadata().putAll(f.metadata());
        return out;
    }

    /** A copy of {@code g} whose captured values resolve in {@code parent} (a copy of g's parent, or null). */
    private static Graph graph(Graph g, Graph parent) {
        Graph out = new Graph(g.name(), parent);
        out.setDocString(g.docString());
        out.metadata().putAll(g.metadata());
        out.setUnknownFields(g.unknownFields());
        // initializers before inputs: an input may be an initializer's overridable default
        for (Value v : g.initializers()) {
            if (v.initializer() != null) {
                out.addInitializer(v.initializer());
            } else {
                out.addSparseInitializer(v.name(), v.type(), v.sparseInitializer());
            }
        }
        for (Value v : g.inputs()) {
            if (v.isInitializer()) {
                out.addInitializerAsInput(out.value(v.name()));
            } else {
                out.addInput(v.name(), v.type());
            }
        }
        for (Value v : g.values()) {
            if (v.isCaptured()) {
                out.capture(v.name());
            }
        }
        // every node's outputs first, so an input may name a value a later node produces
        List<Node> nodes = new ArrayList<>(g.nodeCount());
        for (Node n : g.nodes()) {
            List<String> outputs = new ArrayList<>(n.outputs().size());
            for (Value v : n.outputs()) {
                outputs.add(v == null ? "" : v.name());
            }
            nodes.add(out.addNode(n.name(), n.domain(), n.opType(), List.of(), outputs));
        }
        int i = 0;
        for (Node n : g.nodes()) {
            Node copy = nodes.get(i++);
            for (Value v : n.inputs()) {
                copy.addInput(v == null ? null : out.value(v.name()));
            }
            copy.setOverload(n.overload());
            copy.setDocString(n.docString());
            copy.metadata().putAll(n.metadata());
            copy.setUnknownFields(n.unknownFields());
            n.attributes().forEach((name, a) -> copy.setAttribute(name, attribute(a, out)));
        }
        for (Value v : g.outputs()) {
            out.addOutput(out.value(v.name()));
        }
        for (Value v : g.values()) {
            Value copy = out.value(v.name());
            copy.setType(v.type());
            copy.setDocString(v.docString());
            copy.metadata().putAll(v.metadata());
        }
        return out;
    }

    /** {@code a}, with its subgraphs copied into {@code owner} (the graph of the node or function holding it). */
    private static Attribute attribute(Attribute a, Graph owner) {
        return switch (a) {
            case Attribute.GraphAttr g -> new Attribute.GraphAttr(graph(g.value(), owner));
            case Attribute.GraphsAttr gs -> new Attribute.GraphsAttr(gs.values().stream().map(s -> graph(s, owner)).toList());
            default -> a;
        };
    }
}
