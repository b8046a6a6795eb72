package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import java.util.ArrayList;
import java.util.List;

/** Which graphs of a model a pass visits. */
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
}
