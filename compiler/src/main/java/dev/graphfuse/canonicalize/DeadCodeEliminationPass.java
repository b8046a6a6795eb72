package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Removes nodes whose outputs nothing reads, and initializers nothing reads. Graph inputs and
 * outputs are never touched. A value read only from inside an If/Loop body is still live
 * ({@link Value#isUsed} counts the body's captures).
 */
public final class DeadCodeEliminationPass implements Pass {
    @Override
    public String name() {
        return "dce";
    }

    @Override
    public String summary() {
        return "remove nodes and initializers whose values nothing uses";
    }

    @Override
    public void run(Model model, PassContext context) {
        Stats stats = new Stats(context);
        eliminate(model.graph(), stats);
        for (Function f : model.functions()) {
            eliminate(f.body(), stats);
        }
    }

    private record Stats(RuleStats nodes, RuleStats initializers, RuleStats captures) {
        Stats(PassContext c) {
            this(c.stats(Canonicalize.STATS_PASS, "dead-node"), c.stats(Canonicalize.STATS_PASS, "dead-initializer"),
                    c.stats(Canonicalize.STATS_PASS, "dead-capture"));
        }
    }

    private void eliminate(Graph g, Stats stats) {
        // inner graphs first: what they stop capturing can then die out here
        for (Node n : List.copyOf(g.nodes())) {
            for (Graph sub : n.subgraphs()) {
                eliminate(sub, stats);
            }
        }
        // Reverse topological order reaches the fixpoint in one sweep: when a node is visited, every
        // node that could read its outputs has already been visited and, if dead, removed. Which
        // topological order does not matter (the dead set is the same, and removal keeps the order of
        // the remaining nodes and uses), so take the one without key comparisons.
        List<Node> order = GraphViews.insertionTopologicalOrder(g);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            stats.nodes.countCandidate();
            if (isLive(n)) {
                continue;
            }
            stats.nodes.countMatched();
            g.removeNode(n);
            stats.nodes.countRewritten();
        }

        List<Value> inits = new ArrayList<>(g.initializers());
        inits.sort(Comparator.comparing(Value::name));
        for (Value v : inits) {
            stats.initializers.countCandidate();
            if (v.isGraphInput() || v.isUsed()) {
                continue;
            }
            stats.initializers.countMatched();
            g.removeInitializer(v);
            stats.initializers.countRewritten();
        }

        if (g.parent() != null) {
            List<Value> unusedCaptures = new ArrayList<>();
            for (Value v : g.values()) {
                if (v.isCaptured() && !v.hasUses() && !v.isGraphOutput()) {
                    unusedCaptures.add(v);
                }
            }
            unusedCaptures.sort(Comparator.comparing(Value::name));
            for (Value v : unusedCaptures) {
                g.removeCapture(v);
                stats.captures.countRewritten();
            }
        }
    }

    private static boolean isLive(Node n) {
        for (int i = 0; i < n.outputs().size(); i++) {
            Value out = n.output(i);
            if (out != null && out.isUsed()) {
                return true;
            }
        }
        return false;
    }
}
