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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes nodes whose outputs nothing reads, and initializers nothing reads. Graph inputs and
 * outputs are never touched. A value read only from inside an If/Loop body is still live: the body
 * refers to it by name (a captured value), which is not a use, so captures are counted separately.
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
        Map<String, Integer> captured = new HashMap<>();
        for (Node n : g.nodes()) {
            countCaptures(n, captured, +1);
        }
        Set<Value> outputs = GraphScopes.outputSet(g);

        // Reverse topological order reaches the fixpoint in one sweep: when a node is visited, every
        // node that could read its outputs has already been visited and, if dead, removed. Which
        // topological order does not matter (the dead set is the same, and removal keeps the order of
        // the remaining nodes and uses), so take the one without key comparisons.
        List<Node> order = GraphViews.insertionTopologicalOrder(g);
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            stats.nodes.countCandidate();
            if (isLive(n, outputs, captured)) {
                continue;
            }
            stats.nodes.countMatched();
            countCaptures(n, captured, -1);
            g.removeNode(n);
            stats.nodes.countRewritten();
        }

        List<Value> inits = new ArrayList<>(g.initializers());
        inits.sort(Comparator.comparing(Value::name));
        for (Value v : inits) {
            stats.initializers.countCandidate();
            if (v.isGraphInput() || v.hasUses() || outputs.contains(v) || captured.getOrDefault(v.name(), 0) > 0) {
                continue;
            }
            stats.initializers.countMatched();
            g.removeInitializer(v);
            stats.initializers.countRewritten();
        }

        if (g.parent() != null) {
            List<Value> unusedCaptures = new ArrayList<>();
            for (Value v : g.values()) {
                if (v.isCaptured() && !v.hasUses() && !outputs.contains(v)) {
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

    private static boolean isLive(Node n, Set<Value> outputs, Map<String, Integer> captured) {
        for (int i = 0; i < n.outputs().size(); i++) {
            Value out = n.output(i);
            if (out != null && (out.hasUses() || outputs.contains(out) || captured.getOrDefault(out.name(), 0) > 0)) {
                return true;
            }
        }
        return false;
    }

    /** Each name a node's subgraphs capture counts once per node, so removing the node undoes it exactly. */
    private static void countCaptures(Node n, Map<String, Integer> captured, int delta) {
        List<Graph> subs = n.subgraphs();
        if (subs.isEmpty()) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (Graph sub : subs) {
            names.addAll(GraphViews.capturedNames(sub));
        }
        for (String name : names) {
            captured.merge(name, delta, Integer::sum);
        }
    }
}
