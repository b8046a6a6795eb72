package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import java.util.List;

/**
 * Matches one compiled pattern backwards from an anchor node: the first root against the anchor's
 * output, later roots against nodes reached forward from values the earlier roots bound. The search
 * backtracks through alternatives, optional ops and commuted operands; the first complete match
 * that passes the {@code require} predicates and the acceptor wins. Not thread-safe; reuse per pass.
 *
 * @param <P> what the acceptor hands on with a match
 */
public final class Matcher<P> {
    /**
     * Final checks a structurally complete match must pass (e.g. the rewriter's cycle check), and what
     * the caller needs to act on it (the rewriter's plan), worked out once. A null acceptor accepts all.
     */
    @FunctionalInterface
    public interface Acceptor<P> {
        /** @param candidate the complete match, its plan still null */
        Verdict<P> check(Match<P> candidate);
    }

    private interface Cont {
        boolean run();
    }

    /**
     * Steps (pattern nodes tried against values) one anchor may take. Backtracking through commuted operands
     * and alternatives is exponential in the worst case; real patterns take hundreds of steps, an adversarial
     * chain of commutative ops millions. Past the budget the anchor fails as {@link FailureKind#STEP_BUDGET}.
     */
    public static final int STEP_BUDGET = 200_000;
    /** The statistics label of an anchor that ran out of steps. */
    public static final String BUDGET_KIND = FailureKind.STEP_BUDGET.label();

    /** Unwinds the matcher's recursion when the budget is spent (no stack trace: it is a control transfer). */
    private static final class OutOfSteps extends RuntimeException {
        OutOfSteps() {
            super(null, null, false, false);
        }
    }

    private final CompiledPattern pattern;
    private final MatchState<P> state;
    private final ValueChecks values;
    private final AttributeChecks attributes;
    private final MatchCompletion<P> completion;
    private int steps;
    private Match<P> result;

    public Matcher(CompiledPattern pattern, Acceptor<P> acceptor) {
        this.pattern = pattern;
        this.state = new MatchState<>(pattern.slots().size());
        this.values = new ValueChecks(pattern, state);
        this.attributes = new AttributeChecks(pattern, state);
        this.completion = new MatchCompletion<>(pattern, state, acceptor);
    }

    /** A match rooted at {@code anchor} (its first root is one of {@code anchor}'s outputs), or the deepest failure. */
    public MatchResult<P> matchAt(Node anchor) {
        state.reset(anchor);
        result = null;
        steps = 0;
        PNode root = pattern.roots().get(0);
        try {
            for (Value out : anchor.outputs()) {
                if (out != null && matchRoot(0, root, out)) {
                    return result;
                }
            }
        } catch (OutOfSteps e) {
            return new MatchFailure<>(anchor, FailureKind.STEP_BUDGET, BUDGET_KIND, 0, false, () -> "gave up after "
                    + STEP_BUDGET + " steps of backtracking (the anchor was skipped)");
        }
        MatchFailure<P> best = state.best();
        return best != null ? best : new MatchFailure<>(anchor, FailureKind.NO_OUTPUT, FailureKind.NO_OUTPUT.label(), 0,
                false, () -> "node " + anchor.name() + " has no matching output");
    }

    // ---- roots ----

    private boolean matchRoot(int index, PNode root, Value v) {
        state.rootValues.add(v);
        boolean ok = m(root, v, () -> nextRoot(index + 1));
        if (!ok) {
            state.rootValues.remove(state.rootValues.size() - 1);
        }
        return ok;
    }

    private boolean nextRoot(int index) {
        if (index == pattern.roots().size()) {
            result = completion.complete();
            return result != null;
        }
        PNode root = pattern.roots().get(index);
        List<Node> candidates = RootCandidates.near(pattern.anchors().get(index - 1), root, state.slots);
        if (candidates.isEmpty()) {
            return state.fail(FailureKind.NO_CANDIDATE, () -> "found no " + RootCandidates.opNames(root) + " for root '"
                    + rootName(index) + "' near the values matched so far");
        }
        // A root is a node of its own, unless it is another output of a tuple-let node matched already.
        boolean outputOfMatched = isOutputRoot(root);
        boolean tried = false;
        for (Node c : candidates) {
            if (state.nodeCounts.containsKey(c) && !outputOfMatched) {
                continue;
            }
            tried = true;
            for (Value out : c.outputs()) {
                if (out != null && !state.rootValues.contains(out) && matchRoot(index, root, out)) {
                    return true;
                }
            }
        }
        if (!tried) {
            return state.fail(FailureKind.NO_CANDIDATE, () -> "found no " + RootCandidates.opNames(root) + " for root '"
                    + rootName(index) + "' outside the nodes matched so far");
        }
        return false;
    }

    private static boolean isOutputRoot(PNode root) {
        return root instanceof PNode.Output || root instanceof PNode.Bind b && b.inner() instanceof PNode.Output;
    }

    private String rootName(int index) {
        return pattern.name() + " root " + (index + 1);
    }

    // ---- the search ----

    private boolean m(PNode p, Value v, Cont k) {
        if (++steps > STEP_BUDGET) {
            throw new OutOfSteps();
        }
        return switch (p) {
            case PNode.Op op -> matchOp(op, v, k);
            case PNode.Output out -> matchOutput(out, v, k);
            case PNode.Bind b -> matchBind(b, v, k);
            case PNode.Any any -> v != null || any.check() == null ? withCheck(any.check(), v, "_", k)
                    : state.fail(FailureKind.MISSING_OPERAND, () -> "operand is omitted");
            case PNode.Const c -> values.constant(c, v) && k.run();
            case PNode.Alt alt -> {
                for (PNode a : alt.alternatives()) {
                    if (m(a, v, k)) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private boolean matchOp(PNode.Op op, Value v, Cont k) {
        Node n = v == null ? null : v.producer();
        if (n != null && RootCandidates.is(n, op.op()) && n.outputs().indexOf(v) == 0) {
            if (matchNode(op, n, k)) {
                return true;
            }
        } else if (!op.optional()) {
            return state.fail(FailureKind.OP_MISMATCH, () -> describeMismatch(op.op(), v));
        }
        if (op.optional() && !op.args().isEmpty()) {
            // The op is absent (or did not work out): its first operand stands in its place.
            return m(op.args().get(0), v, k);
        }
        return false;
    }

    private static String describeMismatch(OpSignature want, Value v) {
        if (v == null) {
            return "expected " + want.qualifiedName() + ", found an omitted operand";
        }
        Node n = v.producer();
        if (n == null) {
            String what = v.isInitializer() ? "initializer" : v.isGraphInput() ? "graph input" : "value";
            return "value " + v.name() + ": expected " + want.qualifiedName() + ", found " + what + " " + v.name();
        }
        if (RootCandidates.is(n, want)) {
            return "node " + n.name() + ": expected output 0 of " + want.qualifiedName() + ", found output "
                    + n.outputs().indexOf(v);
        }
        return "node " + n.name() + ": expected " + want.qualifiedName() + ", found " + n.qualifiedOpType();
    }

    private boolean matchOutput(PNode.Output out, Value v, Cont k) {
        Node n = v == null ? null : v.producer();
        if (n == null || !RootCandidates.is(n, out.op().op())) {
            return state.fail(FailureKind.OP_MISMATCH, () -> describeMismatch(out.op().op(), v));
        }
        if (n.outputs().indexOf(v) != out.index()) {
            return state.fail(FailureKind.OUTPUT_MISMATCH, () -> "value " + v.name() + " is output "
                    + n.outputs().indexOf(v) + " of node " + n.name() + ", expected output " + out.index());
        }
        Object bound = state.slots[out.nodeSlot()];
        if (bound != null) {
            return bound == n ? k.run() : state.fail(FailureKind.CAPTURE_MISMATCH, () -> "node " + n.name()
                    + " is not the " + out.op().op().qualifiedName() + " node matched before ("
                    + (bound instanceof Node prev ? prev.name() : bound) + ")");
        }
        int mark = state.mark();
        state.bind(out.nodeSlot(), n);
        if (matchNode(out.op(), n, k)) {
            return true;
        }
        state.undo(mark);
        return false;
    }

    /** Matches {@code op}'s attributes and operands against node {@code n}. */
    private boolean matchNode(PNode.Op op, Node n, Cont k) {
        int mark = state.mark();
        state.nodes.add(n);
        state.nodeCounts.merge(n, 1, Integer::sum);
        if (op.shared()) {
            state.sharedNodes.add(n);
        }
        boolean ok = attributes.check(op, n) && matchOperands(op, n, k);
        if (!ok) {
            if (op.shared()) {
                state.sharedNodes.remove(state.sharedNodes.size() - 1);
            }
            state.nodes.remove(state.nodes.size() - 1);
            state.nodeCounts.computeIfPresent(n, (key, c) -> c == 1 ? null : c - 1);
            state.undo(mark);
        }
        return ok;
    }

    private boolean matchOperands(PNode.Op op, Node n, Cont k) {
        List<PNode> args = op.args();
        int present = n.inputCount();
        while (present > 0 && n.input(present - 1) == null) {
            present--;
        }
        if (op.restArgs() ? present < args.size() : present > args.size()) {
            int have = present;
            return state.fail(FailureKind.ARITY_MISMATCH, () -> "node " + n.name() + ": " + n.opType() + " has " + have
                    + " operands, the pattern expects " + (op.restArgs() ? "at least " : "") + args.size());
        }
        List<Value> inputs = n.inputs();
        if (op.op().commutative() && args.size() >= 2) {
            int[] straight = identity(args.size());
            if (matchArgs(args, inputs, straight, 0, k)) {
                return true;
            }
            int[] swapped = straight.clone();
            swapped[0] = 1;
            swapped[1] = 0;
            return matchArgs(args, inputs, swapped, 0, k);
        }
        return matchArgs(args, inputs, identity(args.size()), 0, k);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private boolean matchArgs(List<PNode> args, List<Value> inputs, int[] perm, int i, Cont k) {
        if (i == args.size()) {
            return k.run();
        }
        int at = perm[i];
        Value in = at < inputs.size() ? inputs.get(at) : null;
        return m(args.get(i), in, () -> matchArgs(args, inputs, perm, i + 1, k));
    }

    private static String describe(Object o) {
        return o instanceof Value v ? "value " + v.name() : o instanceof Node n ? "node " + n.name()
                : AttributeChecks.show(o);
    }

    private boolean matchBind(PNode.Bind b, Value v, Cont k) {
        Object bound = state.slots[b.slot()];
        String name = pattern.slots().get(b.slot()).name();
        if (bound != null) {
            if (bound == v) {
                // A later use may add a check ('x: Tensor<f16>[T, D]'): it holds for this value too.
                return withCheck(b.check(), v, name, k);
            }
            return state.fail(FailureKind.CAPTURE_MISMATCH, () -> "'" + name + "' is " + describe(bound)
                    + " here it would be " + describe(v));
        }
        if (v == null) {
            return state.fail(FailureKind.MISSING_OPERAND, () -> "'" + name + "' is an omitted operand");
        }
        int mark = state.mark();
        if (!values.check(b.check(), v, name)) {
            state.undo(mark);
            return false;
        }
        if (b.inner() == null) {
            state.bind(b.slot(), v);
            if (k.run()) {
                return true;
            }
            state.undo(mark);
            return false;
        }
        boolean ok = m(b.inner(), v, () -> {
            if (state.slots[b.slot()] != null) {
                return state.slots[b.slot()] == v && k.run();
            }
            int inner = state.mark();
            state.bind(b.slot(), v);
            if (k.run()) {
                return true;
            }
            state.undo(inner);
            return false;
        });
        if (!ok) {
            state.undo(mark);
        }
        return ok;
    }

    private boolean withCheck(ValueCheck c, Value v, String name, Cont k) {
        int mark = state.mark();
        if (values.check(c, v, name) && k.run()) {
            return true;
        }
        state.undo(mark);
        return false;
    }
}
