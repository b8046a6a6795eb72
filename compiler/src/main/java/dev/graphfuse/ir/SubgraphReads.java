package dev.graphfuse.ir;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a graph's subgraphs read from it. A subgraph refers to an enclosing value by name (a
 * captured value), not through a {@link Use}, so this is the one place that turns those references
 * back into reads: {@link Value#isUsed} counts them as uses, {@link GraphViews} as edges. One graph's
 * set is kept until a holder comes or goes or a subgraph's names change, so that passes may ask
 * per value of a large graph.
 */
final class SubgraphReads {
    /** Nodes of the graph that hold subgraphs: the only ones whose subgraphs can read its values. */
    private final Set<Node> holders = new LinkedHashSet<>();
    /** What the holders' subgraphs read; null when a change may have made it stale. */
    private Set<String> names;

    boolean contains(String name) {
        if (holders.isEmpty()) {
            return false;
        }
        if (names == null) {
            Set<String> all = new HashSet<>();
            for (Node n : holders) {
                all.addAll(of(n));
            }
            names = all;
        }
        return names.contains(name);
    }

    void holder(Node n, boolean holds) {
        if (holds) {
            holders.add(n);
        } else {
            holders.remove(n);
        }
    }

    void forget() {
        names = null;
    }

    /** Each name once, in first-read order; empty for a node without subgraphs. */
    static Set<String> of(Node n) {
        List<Graph> subs = n.subgraphs();
        if (subs.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (Graph sub : subs) {
            collect(sub, out);
        }
        return out;
    }

    /** Adds the names {@code sub} (or a subgraph nested in it) reads from outside {@code sub}. */
    private static void collect(Graph sub, Set<String> out) {
        for (Value v : sub.values()) {
            if (v.isCaptured()) {
                out.add(v.name());
            }
        }
        for (Node n : sub.nodes()) {
            for (String name : of(n)) {
                // a nested subgraph may read a value that sub itself defines: that read stays inside sub
                if (!sub.hasValue(name)) {
                    out.add(name);
                }
            }
        }
    }
}
