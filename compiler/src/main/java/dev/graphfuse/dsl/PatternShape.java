package dev.graphfuse.dsl;

import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.ValueCheck;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts about a compiled pattern's shape: whether a root always is an op, which slots a root binds,
 * where a later root is anchored, and how many ops it matches (its default benefit).
 */
final class PatternShape {
    private PatternShape() {
    }

    /** Whether every way {@code n} can match goes through a matched op's output (so a root always has a producer). */
    static boolean alwaysAnOp(PNode n) {
        return switch (n) {
            case PNode.Op op -> !op.optional() || alwaysAnOp(op.args().get(0));
            case PNode.Output o -> true;
            case PNode.Bind b -> b.inner() != null && alwaysAnOp(b.inner());
            case PNode.Alt a -> a.alternatives().stream().allMatch(PatternShape::alwaysAnOp);
            default -> false;
        };
    }

    /** Adds to {@code out} every slot matching {@code n} may bind. */
    static void collectSlots(PNode n, Set<Integer> out, Map<PNode, Boolean> seen) {
        if (n == null || seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        switch (n) {
            case PNode.Bind b -> {
                out.add(b.slot());
                collectDimSlots(b.check(), out);
                collectSlots(b.inner(), out, seen);
            }
            case PNode.Op op -> {
                for (PNode a : op.args()) {
                    collectSlots(a, out, seen);
                }
                for (PNode.AttrCheck c : op.attributes()) {
                    if (c.slot() >= 0) {
                        out.add(c.slot());
                    }
                }
            }
            case PNode.Output o -> {
                out.add(o.nodeSlot());
                collectSlots(o.op(), out, seen);
            }
            case PNode.Alt a -> {
                // A name bound in only some alternatives may be unbound after a match; count it anyway —
                // the evaluator reports "not bound" for that match.
                for (PNode x : a.alternatives()) {
                    collectSlots(x, out, seen);
                }
            }
            case PNode.Any any -> collectDimSlots(any.check(), out);
            case PNode.Const c -> {
            }
        }
    }

    private static void collectDimSlots(ValueCheck c, Set<Integer> out) {
        if (c == null || c.dims() == null) {
            return;
        }
        for (ValueCheck.Dim d : c.dims()) {
            if (d.kind() == ValueCheck.Dim.Kind.SYMBOL) {
                out.add(d.slot());
            }
        }
    }

    /**
     * {@code seen}: the deepest depth each node was visited at. A node shared by alternatives (a {@code def}'s
     * {@code h} in {@code MatMul(h, _) | Add(MatMul(h, _), _)}) is reached at several depths, and the anchor
     * must cover the deepest: the walk from it is bounded by that depth.
     */
    static void collectAnchors(PNode n, int depth, Set<Integer> earlier, List<CompiledPattern.Anchor> out,
                               Map<PNode, Integer> seen) {
        if (n == null) {
            return;
        }
        Integer before = seen.get(n);
        if (before != null && before >= depth) {
            return;
        }
        seen.put(n, depth);
        switch (n) {
            case PNode.Bind b -> {
                if (depth > 0 && earlier.contains(b.slot())) {
                    out.add(new CompiledPattern.Anchor(b.slot(), depth, -1));
                    return;
                }
                collectAnchors(b.inner(), depth, earlier, out, seen);
            }
            case PNode.Op op -> {
                for (PNode a : op.args()) {
                    collectAnchors(a, depth + 1, earlier, out, seen);
                }
            }
            case PNode.Output o -> {
                if (earlier.contains(o.nodeSlot())) {
                    out.add(new CompiledPattern.Anchor(o.nodeSlot(), depth, o.index()));
                    return;
                }
                collectAnchors(o.op(), depth, earlier, out, seen);
            }
            case PNode.Alt a -> {
                for (PNode x : a.alternatives()) {
                    collectAnchors(x, depth, earlier, out, seen);
                }
            }
            default -> {
            }
        }
    }

    /**
     * One anchor per bound slot (and output), with the deepest depth it was reached at: a root behind
     * alternatives of different lengths ({@code MatMul(h, _) | Add(MatMul(h, _), _)}) lies within the
     * longest of them, and a walk bounded by a shorter one would miss it.
     */
    static List<CompiledPattern.Anchor> deepestPerSlot(List<CompiledPattern.Anchor> list) {
        Map<List<Integer>, CompiledPattern.Anchor> by = new LinkedHashMap<>();
        for (CompiledPattern.Anchor a : list) {
            by.merge(List.of(a.slot(), a.outputIndex()), a, (x, y) -> x.depth() >= y.depth() ? x : y);
        }
        return List.copyOf(by.values());
    }

    /** The ops the roots match, an alternation counting its largest alternative. */
    static int countOps(List<PNode> roots) {
        Map<PNode, Boolean> seen = new IdentityHashMap<>();
        int total = 0;
        for (PNode r : roots) {
            total += countOps(r, seen);
        }
        return total;
    }

    private static int countOps(PNode n, Map<PNode, Boolean> seen) {
        if (n == null || seen.put(n, Boolean.TRUE) != null) {
            return 0;
        }
        return switch (n) {
            case PNode.Op op -> 1 + op.args().stream().mapToInt(a -> countOps(a, seen)).sum();
            case PNode.Output o -> countOps(o.op(), seen);
            case PNode.Bind b -> countOps(b.inner(), seen);
            case PNode.Alt a -> a.alternatives().stream().mapToInt(x -> countOps(x, seen)).max().orElse(0);
            default -> 0;
        };
    }
}
