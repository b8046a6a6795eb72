package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Use;
import dev.graphfuse.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Where a multi-root pattern looks for its later roots: near the values its earlier roots bound. */
final class RootCandidates {
    private RootCandidates() {
    }

    /** Nodes of a root's op kind reachable forward from a bound anchor slot of {@code anchors}, fewest first. */
    static List<Node> near(List<CompiledPattern.Anchor> anchors, PNode root, Object[] slots) {
        List<OpSignature> ops = CompiledPattern.rootOps(root);
        List<Node> bestList = null;
        for (CompiledPattern.Anchor a : anchors) {
            Object bound = slots[a.slot()];
            // Only a strictly shorter list replaces the best so far, so a walk stops once it has as many:
            // an anchor bound to a value every layer reads (RoPE's cos) would otherwise walk the whole graph.
            int limit = bestList == null ? Integer.MAX_VALUE : bestList.size();
            List<Node> found;
            if (bound instanceof Node n) {
                Value out = a.outputIndex() < n.outputs().size() ? n.output(a.outputIndex()) : null;
                if (out == null) {
                    continue;
                }
                found = a.depth() == 0 ? List.of(n) : walkForward(out, a.depth(), ops, limit);
            } else if (bound instanceof Value v) {
                found = walkForward(v, a.depth(), ops, limit);
            } else {
                continue;
            }
            if (found != null && found.size() < limit) {
                bestList = found;
            }
        }
        return bestList == null ? List.of() : bestList;
    }

    /**
     * The nodes of kind {@code ops} within {@code depth} user steps of {@code start}, in walk order; null
     * as soon as there are {@code limit} of them.
     */
    private static List<Node> walkForward(Value start, int depth, List<OpSignature> ops, int limit) {
        if (limit == 0) {
            return null;
        }
        Set<Node> seen = new LinkedHashSet<>();
        List<Node> out = new ArrayList<>();
        ArrayDeque<Value> frontier = new ArrayDeque<>();
        frontier.add(start);
        for (int d = 0; d < depth && !frontier.isEmpty(); d++) {
            ArrayDeque<Value> next = new ArrayDeque<>();
            for (Value v : frontier) {
                for (Use u : v.uses()) {
                    Node n = u.node();
                    if (!seen.add(n)) {
                        continue;
                    }
                    for (OpSignature s : ops) {
                        if (is(n, s)) {
                            out.add(n);
                            if (out.size() >= limit) {
                                return null;
                            }
                            break;
                        }
                    }
                    for (Value o : n.outputs()) {
                        if (o != null) {
                            next.add(o);
                        }
                    }
                }
            }
            frontier = next;
        }
        return out;
    }

    static boolean is(Node n, OpSignature s) {
        return n.opType().equals(s.name()) && n.domain().equals(s.domain());
    }

    /** The op kinds a root may be, for messages ({@code Mul or graphfuse.Scale}). */
    static String opNames(PNode root) {
        List<String> names = new ArrayList<>();
        for (OpSignature s : CompiledPattern.rootOps(root)) {
            names.add(s.qualifiedName());
        }
        return String.join(" or ", names);
    }
}
