package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import java.util.List;
import java.util.Set;

/**
 * A successful match: the root values, every matched node (first-match order, no duplicates),
 * the nodes marked {@code shared}, and what each slot is bound to.
 */
public record Match(CompiledPattern pattern, List<Value> roots, List<Node> nodes, Set<Node> shared, Object[] slots)
        implements MatchResult {
    public Match {
        roots = List.copyOf(roots);
        nodes = List.copyOf(nodes);
        shared = Set.copyOf(shared);
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
