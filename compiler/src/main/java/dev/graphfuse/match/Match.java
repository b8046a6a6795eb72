package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import java.util.List;
import java.util.Set;

/**
 * A successful match: the root values, every matched node (first-match order, no duplicates),
 * the nodes marked {@code shared}, what each slot is bound to, and what the matcher's acceptor
 * worked out about it ({@code plan}: the rewriter's, say; null without an acceptor).
 *
 * @param <P> what the acceptor hands on with an accepted match
 */
public record Match<P>(CompiledPattern pattern, List<Value> roots, List<Node> nodes, Set<Node> shared, Object[] slots,
                       P plan) implements MatchResult<P> {
    public Match {
        roots = List.copyOf(roots);
        nodes = List.copyOf(nodes);
        shared = Set.copyOf(shared);
    }

    /** This match, with what the acceptor worked out about it. */
    Match<P> withPlan(P accepted) {
        return new Match<>(pattern, roots, nodes, shared, slots, accepted);
    }

    /** What {@code name} is bound to (a Value, Node, Long, Double, List, String), or null. */
    public Object binding(String name) {
        Slot s = pattern.slotsByName().get(name);
        return s == null ? null : slots[s.index()];
    }

    public Object binding(int slot) {
        return slots[slot];
    }
}
