package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A checked pattern ready to run: roots (the values the replacement's outputs take over), the
 * slots it binds, its {@code require} calls and its replacement.
 *
 * @param location where the pattern is declared ({@code file:line:col})
 * @param anchors for each root after the first, the slots whose bound values lead to it by a
 *                forward walk of at most the given number of users (see {@link Anchor})
 */
public record CompiledPattern(String name, String doc, int benefit, List<PNode> roots, List<Slot> slots,
                              Map<String, Slot> slotsByName, List<Require> requires, Replacement replacement,
                              List<List<Anchor>> anchors, String location) {
    public CompiledPattern {
        roots = List.copyOf(roots);
        slots = List.copyOf(slots);
        slotsByName = Map.copyOf(slotsByName);
        requires = List.copyOf(requires);
        anchors = List.copyOf(anchors);
    }

    /** The op kinds a root can be produced by (more than one under alternation). */
    public static List<OpSignature> rootOps(PNode root) {
        return switch (root) {
            // an optional root (Cast?(m)) may also be m itself
            case PNode.Op op -> op.optional() && !op.args().isEmpty()
                    ? Stream.concat(Stream.of(op.op()), rootOps(op.args().get(0)).stream())
                            .distinct().toList()
                    : List.of(op.op());
            case PNode.Output out -> List.of(out.op().op());
            case PNode.Bind b -> b.inner() == null ? List.of() : rootOps(b.inner());
            case PNode.Alt alt -> alt.alternatives().stream().flatMap(a -> rootOps(a).stream()).distinct().toList();
            default -> List.of();
        };
    }

    /**
     * A bound slot from which a later root is reachable within {@code depth} user steps; for a node
     * slot (a tuple {@code let}), the walk starts at its output {@code outputIndex}.
     */
    public record Anchor(int slot, int depth, int outputIndex) {
    }

    public record Require(String name, NativePredicate predicate, boolean negated, List<AttrCode> args) {
        public Require {
            args = List.copyOf(args);
        }
    }

    /** @param inputSlots a slot per operand of the new node, -1 for an omitted optional operand */
    public record Replacement(OpSignature op, List<Integer> inputSlots, List<AttrAssign> attributes) {
        public Replacement {
            inputSlots = List.copyOf(inputSlots);
            attributes = List.copyOf(attributes);
        }
    }

    /** @param kind the attribute kind from the op's schema */
    public record AttrAssign(String name, Attribute.Kind kind, AttrCode value) {
    }
}
