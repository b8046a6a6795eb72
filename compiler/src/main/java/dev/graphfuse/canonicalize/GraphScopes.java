package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which graphs of a model a pass visits, and which values of a graph its subgraphs read by name.
 * A subgraph refers to an enclosing value through a captured value that holds only the name, not
 * a use, so such a value can be replaced only by a value that takes over its name.
 */
final class GraphScopes {
    private GraphScopes() {
    }

    /**
     * The main graph and every nested subgraph, each before its subgraphs, in a deterministic order;
     * with {@code functionBodies}, then model-local function bodies. Function bodies have no
     * initializers in ONNX, so passes that create initializers leave them out.
     */
    static List<Graph> graphs(Model model, boolean functionBodies) {
        List<Graph> out = new ArrayList<>();
        addWithSubgraphs(model.graph(), out);
        if (functionBodies) {
            for (Function f : model.functions()) {
                addWithSubgraphs(f.body(), out);
            }
        }
        return out;
    }

    private static void addWithSubgraphs(Graph g, List<Graph> out) {
        out.add(g);
        List<Node> holders = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.subgraphs().isEmpty()) {
                holders.add(n);
            }
        }
        holders.sort(GraphViews.ORDER);
        for (Node n : holders) {
            for (Graph sub : n.subgraphs()) {
                addWithSubgraphs(sub, out);
            }
        }
    }

    /** Names of values that subgraphs of {@code g}'s nodes (at any depth) capture from {@code g} or above. */
    static Set<String> capturedNames(Graph g) {
        Set<String> names = new TreeSet<>();
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                names.addAll(GraphViews.capturedNames(sub));
            }
        }
        return names;
    }

    /** The graph's outputs as an identity set, for constant-time "is this a graph output". */
    static Set<Value> outputSet(Graph g) {
        Set<Value> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(g.outputs());
        return s;
    }
}
