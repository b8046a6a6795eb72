package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Use;
import dev.graphfuse.ir.Value;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What a structurally complete match must still pass: the {@code require} predicates, no matched value
 * escaping the match, no replacement operand computed from a root, and the caller's acceptor.
 */
final class MatchCompletion<P> {
    private final CompiledPattern pattern;
    private final MatchState<P> state;
    private final Matcher.Acceptor<P> acceptor;
    /** Each require's failure label, built once: a failing predicate is common and its label a concatenation. */
    private final String[] predicateLabels;

    MatchCompletion(CompiledPattern pattern, MatchState<P> state, Matcher.Acceptor<P> acceptor) {
        this.pattern = pattern;
        this.state = state;
        this.acceptor = acceptor;
        this.predicateLabels = new String[pattern.requires().size()];
        for (int i = 0; i < predicateLabels.length; i++) {
            predicateLabels[i] = FailureKind.predicateLabel(pattern.requires().get(i).name());
        }
    }

    /** The match, or null after recording why the complete structural match was refused. */
    Match<P> complete() {
        state.finishing = true;
        try {
            return checks();
        } finally {
            state.finishing = false;
        }
    }

    private Match<P> checks() {
        List<CompiledPattern.Require> requires = pattern.requires();
        for (int i = 0; i < requires.size(); i++) {
            CompiledPattern.Require r = requires.get(i);
            String why = unmet(r);
            if (why != null) {
                state.fail(FailureKind.PREDICATE, predicateLabels[i], () -> (r.negated() ? "!" : "") + r.name() + ": " + why);
                return null;
            }
        }
        Set<Node> matched = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> ordered = new ArrayList<>();
        for (Node n : state.nodes) {
            if (matched.add(n)) {
                ordered.add(n);
            }
        }
        Set<Node> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        shared.addAll(state.sharedNodes);
        String escape = escapingValue(ordered, matched, shared, context(matched));
        if (escape != null) {
            state.fail(escape.startsWith("graph output") ? FailureKind.GRAPH_OUTPUT : FailureKind.USERS_OUTSIDE_MATCH,
                    () -> escape);
            return null;
        }
        String loop = operandFromRoots(matched);
        if (loop != null) {
            state.fail(FailureKind.CYCLE, () -> loop);
            return null;
        }
        Match<P> m = new Match<>(pattern, state.rootValues, ordered, shared, state.slots.clone(), null);
        if (acceptor == null) {
            return m;
        }
        return switch (acceptor.check(m)) {
            case Verdict.Accepted<P> a -> m.withPlan(a.plan());
            case Verdict.Rejected<P> r -> {
                state.fail(r.kind(), r.reason());
                yield null;
            }
        };
    }

    /** Why {@code r} does not hold for the current bindings, or null when it does. */
    private String unmet(CompiledPattern.Require r) {
        try {
            List<Object> args = new ArrayList<>(r.args().size());
            for (AttrCode e : r.args()) {
                args.add(AttrEvaluator.evaluate(e, state.slots));
            }
            String why = r.predicate().check(args);
            if (r.negated()) {
                why = why == null ? "holds, but the pattern requires it not to" : null;
            }
            return why;
        } catch (PredicateArgumentException | AttrEvaluator.EvaluationException | ArithmeticException e) {
            return e.getMessage();
        }
    }

    /**
     * A replacement operand computed from a root (the root itself, when a capture met it, or a matched
     * node downstream of one) would make the fused node read its own output; described, or null.
     */
    private String operandFromRoots(Set<Node> matched) {
        for (int slot : pattern.replacement().inputSlots()) {
            if (slot < 0 || !(state.slots[slot] instanceof Value operand)) {
                continue;
            }
            ArrayDeque<Value> work = new ArrayDeque<>();
            Set<Value> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            work.add(operand);
            while (!work.isEmpty()) {
                Value v = work.poll();
                if (!seen.add(v)) {
                    continue;
                }
                if (state.rootValues.contains(v)) {
                    String name = pattern.slots().get(slot).name();
                    return "operand '" + name + "' (value " + operand.name() + ") is computed from root value "
                            + v.name() + ": the fused node would depend on itself";
                }
                Node p = v.producer();
                if (p != null && matched.contains(p)) {
                    for (Value in : p.inputs()) {
                        if (in != null) {
                            work.add(in);
                        }
                    }
                }
            }
        }
        return null;
    }

    /**
     * The matched nodes that compute a replacement operand (its producer, and what that producer read
     * inside the match): the fused node reads their values, so they stay in the graph whatever else reads
     * them (Hugging Face's per-head views, tied to h by their projections).
     */
    private Set<Node> context(Set<Node> matched) {
        Set<Node> context = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Value> work = new ArrayDeque<>();
        for (int slot : pattern.replacement().inputSlots()) {
            if (slot >= 0 && state.slots[slot] instanceof Value operand) {
                work.add(operand);
            }
        }
        while (!work.isEmpty()) {
            Node p = work.poll().producer();
            if (p != null && matched.contains(p) && context.add(p)) {
                for (Value in : p.inputs()) {
                    if (in != null) {
                        work.add(in);
                    }
                }
            }
        }
        return context;
    }

    /**
     * The first value of a matched node that is neither shared nor context (it would be removed) and is used
     * outside the match, described; or null.
     */
    private String escapingValue(List<Node> ordered, Set<Node> matched, Set<Node> shared, Set<Node> context) {
        for (Node n : ordered) {
            if (shared.contains(n) || context.contains(n)) {
                continue;
            }
            for (Value out : n.outputs()) {
                if (out == null || state.rootValues.contains(out)) {
                    continue;
                }
                if (out.isGraphOutput()) {
                    return "graph output " + out.name() + " would be swallowed by the match";
                }
                int outside = 0;
                Node example = null;
                for (Use u : out.uses()) {
                    if (!matched.contains(u.node())) {
                        outside++;
                        example = u.node();
                    }
                }
                if (outside > 0) {
                    int count = outside;
                    Node ex = example;
                    return "value " + out.name() + " has " + count + (count == 1 ? " user" : " users")
                            + " outside the match (node " + ex.name() + ")";
                }
            }
        }
        return null;
    }
}
