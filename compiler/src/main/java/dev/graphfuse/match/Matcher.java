package dev.graphfuse.match;

import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.dsl.ast.Constraint;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Use;
import dev.graphfuse.ir.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Matches one compiled pattern backwards from an anchor node: the first root against the anchor's
 * output, later roots against nodes reached forward from values the earlier roots bound. The search
 * backtracks through alternatives, optional ops and commuted operands; the first complete match
 * that passes the {@code require} predicates and the acceptor wins. Not thread-safe; reuse per pass.
 */
public final class Matcher {
    /** Final structural checks a match must pass (e.g. the rewriter's cycle check); null accepts. */
    @FunctionalInterface
    public interface Acceptor {
        Rejection check(Match match);
    }

    /** Why an otherwise complete match was rejected. */
    public record Rejection(String kind, Supplier<String> reason) {
    }

    private interface Cont {
        boolean run();
    }

    /**
     * Steps (pattern nodes tried against values) one anchor may take. Backtracking through commuted operands
     * and alternatives is exponential in the worst case; real patterns take hundreds of steps, an adversarial
     * chain of commutative ops millions. Past the budget the anchor fails as {@value #BUDGET_KIND}.
     */
    public static final int STEP_BUDGET = 200_000;
    /** The failure kind of an anchor that ran out of steps. */
    public static final String BUDGET_KIND = "step-budget";

    /** Unwinds the matcher's recursion when the budget is spent (no stack trace: it is a control transfer). */
    private static final class OutOfSteps extends RuntimeException {
        OutOfSteps() {
            super(null, null, false, false);
        }
    }

    private final CompiledPattern pattern;
    private final Acceptor acceptor;
    private int steps;
    private final Object[] slots;
    private final int[] trail;
    private int trailSize;
    private final ArrayList<Node> nodes = new ArrayList<>();
    private final Map<Node, Integer> nodeCounts = new IdentityHashMap<>();
    private final ArrayList<Node> sharedNodes = new ArrayList<>();
    private final ArrayList<Value> rootValues = new ArrayList<>();
    private Match result;
    private MatchFailure best;
    private Node anchor;
    private boolean finishing;

    public Matcher(CompiledPattern pattern, Acceptor acceptor) {
        this.pattern = pattern;
        this.acceptor = acceptor;
        this.slots = new Object[pattern.slots().size()];
        this.trail = new int[pattern.slots().size() * 4 + 16];
    }

    /** A match rooted at {@code anchor} (its first root is one of {@code anchor}'s outputs), or the deepest failure. */
    public MatchResult matchAt(Node anchor) {
        this.anchor = anchor;
        java.util.Arrays.fill(slots, null);
        trailSize = 0;
        nodes.clear();
        nodeCounts.clear();
        sharedNodes.clear();
        rootValues.clear();
        result = null;
        best = null;
        steps = 0;
        PNode root = pattern.roots().get(0);
        boolean found = false;
        try {
            for (Value out : anchor.outputs()) {
                if (out == null) {
                    continue;
                }
                if (matchRoot(0, root, out)) {
                    found = true;
                    break;
                }
            }
        } catch (OutOfSteps e) {
            return new MatchFailure(anchor, BUDGET_KIND, 0, false, () -> "gave up after " + STEP_BUDGET
                    + " steps of backtracking (the anchor was skipped)");
        }
        if (found) {
            return result;
        }
        if (best == null) {
            best = new MatchFailure(anchor, "no-output", 0, false, () -> "node " + anchor.name() + " has no matching output");
        }
        return best;
    }

    private boolean matchRoot(int index, PNode root, Value v) {
        rootValues.add(v);
        boolean ok = m(root, v, () -> nextRoot(index + 1));
        if (!ok) {
            rootValues.remove(rootValues.size() - 1);
        }
        return ok;
    }

    private boolean nextRoot(int index) {
        if (index == pattern.roots().size()) {
            return finish();
        }
        PNode root = pattern.roots().get(index);
        List<Node> candidates = secondaryCandidates(index, root);
        if (candidates.isEmpty()) {
            return fail("no-candidate", () -> "found no " + opNames(root) + " for root '" + rootName(index)
                    + "' near the values matched so far");
        }
        // A root is a node of its own, unless it is another output of a tuple-let node matched already.
        boolean outputOfMatched = isOutputRoot(root);
        boolean tried = false;
        for (Node c : candidates) {
            if (nodeCounts.containsKey(c) && !outputOfMatched) {
                continue;
            }
            tried = true;
            for (Value out : c.outputs()) {
                if (out != null && !rootValues.contains(out) && matchRoot(index, root, out)) {
                    return true;
                }
            }
        }
        if (!tried) {
            return fail("no-candidate", () -> "found no " + opNames(root) + " for root '" + rootName(index)
                    + "' outside the nodes matched so far");
        }
        return false;
    }

    private static boolean isOutputRoot(PNode root) {
        return root instanceof PNode.Output || root instanceof PNode.Bind b && b.inner() instanceof PNode.Output;
    }

    private String rootName(int index) {
        return pattern.name() + " root " + (index + 1);
    }

    private static String opNames(PNode root) {
        List<String> names = new ArrayList<>();
        for (OpSignature s : CompiledPattern.rootOps(root)) {
            names.add(s.qualifiedName());
        }
        return String.join(" or ", names);
    }

    /** Nodes of a root's op kind reachable forward from an already bound anchor slot, fewest first. */
    private List<Node> secondaryCandidates(int index, PNode root) {
        List<OpSignature> ops = CompiledPattern.rootOps(root);
        List<Node> bestList = null;
        for (CompiledPattern.Anchor a : pattern.anchors().get(index - 1)) {
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

    // ---- the search ----

    private boolean m(PNode p, Value v, Cont k) {
        if (++steps > STEP_BUDGET) {
            throw new OutOfSteps();
        }
        return switch (p) {
            case PNode.Op op -> matchOp(op, v, k);
            case PNode.Output out -> matchOutput(out, v, k);
            case PNode.Bind b -> matchBind(b, v, k);
            case PNode.Any any -> v != null || any.constraint() == null
                    ? withConstraint(any.constraint(), v, "_", k) : fail("missing-operand", () -> "operand is omitted");
            case PNode.Const c -> matchConst(c, v) && k.run();
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
        if (n != null && is(n, op.op()) && n.outputs().indexOf(v) == 0) {
            if (matchNode(op, n, k)) {
                return true;
            }
        } else if (!op.optional()) {
            return fail("op-mismatch", () -> describeMismatch(op.op(), v));
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
        if (n.opType().equals(want.name()) && n.domain().equals(want.domain())) {
            return "node " + n.name() + ": expected output 0 of " + want.qualifiedName() + ", found output "
                    + n.outputs().indexOf(v);
        }
        return "node " + n.name() + ": expected " + want.qualifiedName() + ", found " + n.qualifiedOpType();
    }

    private boolean matchOutput(PNode.Output out, Value v, Cont k) {
        Node n = v == null ? null : v.producer();
        if (n == null || !is(n, out.op().op())) {
            return fail("op-mismatch", () -> describeMismatch(out.op().op(), v));
        }
        if (n.outputs().indexOf(v) != out.index()) {
            return fail("output-mismatch", () -> "value " + v.name() + " is output " + n.outputs().indexOf(v)
                    + " of node " + n.name() + ", expected output " + out.index());
        }
        Object bound = slots[out.nodeSlot()];
        if (bound != null) {
            return bound == n ? k.run() : fail("capture-mismatch", () -> "node " + n.name()
                    + " is not the " + out.op().op().qualifiedName() + " node matched before ("
                    + ((Node) bound).name() + ")");
        }
        int mark = trailSize;
        bind(out.nodeSlot(), n);
        if (matchNode(out.op(), n, k)) {
            return true;
        }
        undo(mark);
        return false;
    }

    /** Matches {@code op}'s attributes and operands against node {@code n}. */
    private boolean matchNode(PNode.Op op, Node n, Cont k) {
        int mark = trailSize;
        nodes.add(n);
        nodeCounts.merge(n, 1, Integer::sum);
        if (op.shared()) {
            sharedNodes.add(n);
        }
        boolean ok = matchAttributes(op, n) && matchOperands(op, n, k);
        if (!ok) {
            if (op.shared()) {
                sharedNodes.remove(sharedNodes.size() - 1);
            }
            nodes.remove(nodes.size() - 1);
            nodeCounts.computeIfPresent(n, (key, c) -> c == 1 ? null : c - 1);
            undo(mark);
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
            return fail("arity-mismatch", () -> "node " + n.name() + ": " + n.opType() + " has " + have
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

    private boolean matchAttributes(PNode.Op op, Node n) {
        for (PNode.AttrCheck check : op.attributes()) {
            Object actual = attributeValue(n, check);
            switch (check.kind()) {
                case ANY -> {
                    if (actual == null) {
                        return fail("attribute-absent", () -> "node " + n.name() + ": attribute '" + check.name()
                                + "' is absent");
                    }
                }
                case EQUALS -> {
                    if (!sameAttribute(check.value(), actual, check.tolerance())) {
                        return fail("attribute-mismatch", () -> "node " + n.name() + ": attribute '" + check.name()
                                + "' is " + show(actual) + ", expected " + show(check.value()));
                    }
                }
                case CAPTURE -> {
                    if (actual == null) {
                        return fail("attribute-absent", () -> "node " + n.name() + ": attribute '" + check.name()
                                + "' is absent");
                    }
                    Object bound = slots[check.slot()];
                    if (bound == null) {
                        bind(check.slot(), actual);
                    } else if (!sameAttribute(bound, actual, 0)) {
                        String name = pattern.slots().get(check.slot()).name();
                        return fail("capture-mismatch", () -> "node " + n.name() + ": attribute '" + check.name()
                                + "' is " + show(actual) + ", but '" + name + "' is " + show(bound));
                    }
                }
            }
        }
        return true;
    }

    /** The node's attribute as a plain Java value (Long, Double, String, List), or the schema default. */
    static Object attributeValue(Node n, PNode.AttrCheck check) {
        Attribute a = n.attribute(check.name());
        if (a == null) {
            return check.spec() == null ? null : check.spec().defaultValue();
        }
        return plain(a);
    }

    public static Object plain(Attribute a) {
        return switch (a) {
            case Attribute.IntAttr i -> i.value();
            case Attribute.FloatAttr f -> (double) f.value();
            case Attribute.StringAttr s -> new String(s.value(), StandardCharsets.UTF_8);
            case Attribute.IntsAttr is -> {
                List<Long> l = new ArrayList<>(is.values().length);
                for (long x : is.values()) {
                    l.add(x);
                }
                yield l;
            }
            case Attribute.FloatsAttr fs -> {
                List<Double> l = new ArrayList<>(fs.values().length);
                for (float x : fs.values()) {
                    l.add((double) x);
                }
                yield l;
            }
            default -> a;
        };
    }

    static boolean sameAttribute(Object want, Object actual, double tolerance) {
        if (want == null || actual == null) {
            return want == actual;
        }
        if (want instanceof Number w && actual instanceof Number a) {
            return close(w.doubleValue(), a.doubleValue(), tolerance);
        }
        if (want instanceof List<?> w && actual instanceof List<?> a) {
            if (w.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!sameAttribute(w.get(i), a.get(i), tolerance)) {
                    return false;
                }
            }
            return true;
        }
        return want.equals(actual);
    }

    /** tolerance < 0: the default, relative 1e-5 or absolute 1e-8; otherwise absolute. */
    static boolean close(double want, double actual, double tolerance) {
        if (want == actual) {
            return true;
        }
        if (tolerance >= 0) {
            return Math.abs(want - actual) <= tolerance;
        }
        return Math.abs(want - actual) <= Math.max(1e-8, 1e-5 * Math.abs(want));
    }

    private static String show(Object o) {
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d);
        }
        return o instanceof String s ? "\"" + s + "\"" : String.valueOf(o);
    }

    private boolean matchBind(PNode.Bind b, Value v, Cont k) {
        Object bound = slots[b.slot()];
        if (bound != null) {
            if (bound == v) {
                // A later use may add a constraint ('x: Tensor<f16>[T, D]'): it holds for this value too.
                int mark = trailSize;
                if (checkConstraint(b.constraint(), v, pattern.slots().get(b.slot()).name()) && k.run()) {
                    return true;
                }
                undo(mark);
                return false;
            }
            String name = pattern.slots().get(b.slot()).name();
            return fail("capture-mismatch", () -> "'" + name + "' is " + describe(bound) + " here it would be "
                    + describe(v));
        }
        if (v == null) {
            return fail("missing-operand", () -> "'" + pattern.slots().get(b.slot()).name() + "' is an omitted operand");
        }
        int mark = trailSize;
        if (!checkConstraint(b.constraint(), v, pattern.slots().get(b.slot()).name())) {
            undo(mark);
            return false;
        }
        if (b.inner() == null) {
            bind(b.slot(), v);
            if (k.run()) {
                return true;
            }
            undo(mark);
            return false;
        }
        boolean ok = m(b.inner(), v, () -> {
            if (slots[b.slot()] != null) {
                return slots[b.slot()] == v && k.run();
            }
            int inner = trailSize;
            bind(b.slot(), v);
            if (k.run()) {
                return true;
            }
            undo(inner);
            return false;
        });
        if (!ok) {
            undo(mark);
        }
        return ok;
    }

    private static String describe(Object o) {
        return o instanceof Value v ? "value " + v.name() : o instanceof Node n ? "node " + n.name() : show(o);
    }

    private boolean withConstraint(Constraint c, Value v, String name, Cont k) {
        int mark = trailSize;
        if (checkConstraint(c, v, name) && k.run()) {
            return true;
        }
        undo(mark);
        return false;
    }

    private boolean checkConstraint(Constraint c, Value v, String name) {
        if (c == null) {
            return true;
        }
        if (v == null) {
            return fail("missing-operand", () -> "'" + name + "' is an omitted operand");
        }
        Constant constant = null;
        if (c.kind() != Constraint.Kind.TENSOR) {
            constant = Constant.of(v);
            if (constant == null) {
                return fail("not-constant", () -> "value " + v.name() + " ('" + name + "') is not a constant");
            }
            if (c.kind() == Constraint.Kind.SCALAR && constant.count() != 1) {
                Constant cc = constant;
                return fail("not-scalar", () -> "value " + v.name() + " ('" + name + "') has "
                        + cc.count() + " elements, expected a scalar");
            }
        }
        if (!c.elementTypes().isEmpty()) {
            ElementType et = constant != null ? constant.elementType() : v.elementType();
            if (et == null) {
                return fail("type-unknown", () -> "value " + v.name() + " ('" + name + "') has an unknown element type");
            }
            if (!c.elementTypes().contains(et.shortName())) {
                return fail("type-mismatch", () -> "value " + v.name() + " ('" + name + "') is " + et.shortName()
                        + ", expected " + String.join("|", c.elementTypes()));
            }
        }
        if (c.dims() != null) {
            Shape s = constant != null ? Shape.of(constant.dims()) : v.shape();
            if (s == null || !s.hasRank()) {
                return fail("shape-unknown", () -> "value " + v.name() + " ('" + name + "') has an unknown shape");
            }
            return checkDims(c.dims(), s, v, name);
        }
        return true;
    }

    private boolean checkDims(List<Constraint.DimPattern> dims, Shape s, Value v, String name) {
        int restAt = -1;
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i).rest()) {
                restAt = i;
            }
        }
        final int rest = restAt;
        int fixed = rest < 0 ? dims.size() : dims.size() - 1;
        if (rest < 0 ? s.rank() != fixed : s.rank() < fixed) {
            return fail("rank-mismatch", () -> "value " + v.name() + " ('" + name + "') has rank " + s.rank()
                    + ", expected " + (rest < 0 ? "" : "at least ") + fixed);
        }
        for (int i = 0; i < dims.size(); i++) {
            Constraint.DimPattern dp = dims.get(i);
            if (dp.rest()) {
                continue;
            }
            int axis = rest >= 0 && i > rest ? s.rank() - (dims.size() - i) : i;
            Dim d = s.dim(axis);
            if (dp.size() != null) {
                if (!(d instanceof Dim.Fixed f) || f.size() != dp.size()) {
                    int ax = axis;
                    return fail("shape-mismatch", () -> "value " + v.name() + " ('" + name + "') dim " + ax + " is "
                            + d + ", expected " + dp.size());
                }
            } else if (dp.symbol() != null) {
                Slot slot = pattern.slotsByName().get(dp.symbol());
                Object dimValue = d instanceof Dim.Fixed f ? (Object) f.size()
                        : d instanceof Dim.Symbolic sym ? sym.name() : null;
                if (dimValue == null) {
                    int ax = axis;
                    return fail("shape-unknown", () -> "value " + v.name() + " ('" + name + "') dim " + ax
                            + " is unknown, needed for '" + dp.symbol() + "'");
                }
                Object bound = slots[slot.index()];
                if (bound == null) {
                    bind(slot.index(), dimValue);
                } else if (!bound.equals(dimValue)) {
                    int ax = axis;
                    return fail("shape-mismatch", () -> "value " + v.name() + " ('" + name + "') dim " + ax + " is "
                            + dimValue + ", but '" + dp.symbol() + "' is " + bound);
                }
            }
        }
        return true;
    }

    private boolean matchConst(PNode.Const c, Value v) {
        Constant constant = Constant.of(v);
        if (constant == null) {
            return fail("not-constant", () -> (v == null ? "an omitted operand" : "value " + v.name())
                    + " is not a constant, expected " + showValues(c));
        }
        long n = constant.count();
        if (!c.list() && n > Constant.MAX_COMPARED_ELEMENTS) {
            return matchSplat(c, v, constant, n);
        }
        double[] actual = constant.values();
        if (actual == null) {
            return fail("constant-mismatch", () -> "constant " + v.name() + " is too large or not numeric, expected "
                    + showValues(c));
        }
        if (c.list() ? actual.length != c.values().length : actual.length == 0) {
            return fail("constant-mismatch", () -> "constant " + v.name() + " has " + actual.length
                    + " elements, expected " + showValues(c));
        }
        for (int i = 0; i < actual.length; i++) {
            double want = c.list() ? c.values()[i] : c.values()[0];
            if (!close(want, actual[i], c.tolerance())) {
                double got = actual[i];
                return fail("constant-mismatch", () -> "constant " + v.name() + " is " + (actual.length == 1
                        ? show(got) : java.util.Arrays.toString(actual)) + ", expected " + showValues(c));
            }
        }
        return true;
    }

    /** A large constant against one value: every element, read in place, the first difference reported. */
    private boolean matchSplat(PNode.Const c, Value v, Constant constant, long n) {
        if (!constant.numeric() || n > Constant.MAX_SPLAT_ELEMENTS) {
            return fail("constant-mismatch", () -> "constant " + v.name() + " is too large or not numeric, expected "
                    + showValues(c));
        }
        double want = c.values()[0];
        try {
            for (long i = 0; i < n; i++) {
                double got = constant.get(i);
                if (!close(want, got, c.tolerance())) {
                    long at = i;
                    return fail("constant-mismatch", () -> "constant " + v.name() + " element " + at + " of " + n
                            + " is " + show(got) + ", expected " + showValues(c));
                }
            }
        } catch (RuntimeException e) {
            return fail("constant-mismatch", () -> "constant " + v.name() + " cannot be read, expected " + showValues(c));
        }
        return true;
    }

    private static String showValues(PNode.Const c) {
        if (!c.list()) {
            return show(c.values()[0]);
        }
        return java.util.Arrays.toString(c.values());
    }

    // ---- completion ----

    private boolean finish() {
        // A complete structural match that fails a requirement got further than any structural
        // mismatch, so explain reports the requirement.
        finishing = true;
        try {
            return finishChecks();
        } finally {
            finishing = false;
        }
    }

    private boolean finishChecks() {
        for (CompiledPattern.Require r : pattern.requires()) {
            String why;
            try {
                List<Object> args = new ArrayList<>(r.args().size());
                for (AttrExpr e : r.args()) {
                    args.add(AttrEvaluator.evaluate(e, pattern, slots));
                }
                why = r.predicate().check(args);
                if (r.negated()) {
                    why = why == null ? "holds, but the pattern requires it not to" : null;
                }
            } catch (PredicateArgumentException | AttrEvaluator.EvaluationException | ArithmeticException e) {
                why = e.getMessage();
            }
            if (why != null) {
                String w = why;
                return fail("predicate:" + r.name(), () -> (r.negated() ? "!" : "") + r.name() + ": " + w);
            }
        }
        Set<Node> matched = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> ordered = new ArrayList<>();
        for (Node n : nodes) {
            if (matched.add(n)) {
                ordered.add(n);
            }
        }
        Set<Node> shared = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        shared.addAll(sharedNodes);
        String escape = escapingValue(ordered, matched, shared);
        if (escape != null) {
            return fail(escape.startsWith("graph output") ? "graph-output" : "users-outside-match", () -> escape);
        }
        String loop = operandFromRoots(matched);
        if (loop != null) {
            return fail("cycle", () -> loop);
        }
        Match m = new Match(pattern, rootValues, ordered, shared, slots.clone());
        if (acceptor != null) {
            Rejection rej = acceptor.check(m);
            if (rej != null) {
                return fail(rej.kind(), rej.reason());
            }
        }
        result = m;
        return true;
    }

    /**
     * A replacement operand computed from a root (the root itself, when a capture met it, or a matched
     * node downstream of one) would make the fused node read its own output; described, or null.
     */
    private String operandFromRoots(Set<Node> matched) {
        for (int slot : pattern.replacement().inputSlots()) {
            if (slot < 0 || !(slots[slot] instanceof Value operand)) {
                continue;
            }
            ArrayDeque<Value> work = new ArrayDeque<>();
            Set<Value> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            work.add(operand);
            while (!work.isEmpty()) {
                Value v = work.poll();
                if (!seen.add(v)) {
                    continue;
                }
                if (rootValues.contains(v)) {
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

    /** The first value of a non-shared matched node that is used outside the match, described; or null. */
    private String escapingValue(List<Node> ordered, Set<Node> matched, Set<Node> shared) {
        for (Node n : ordered) {
            if (shared.contains(n)) {
                continue;
            }
            for (Value out : n.outputs()) {
                if (out == null || rootValues.contains(out)) {
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

    private boolean fail(String kind, Supplier<String> reason) {
        int progress = nodes.size() + (finishing ? 1 : 0);
        if (best == null || progress > best.progress()) {
            best = new MatchFailure(anchor, kind, progress, finishing, reason);
        }
        return false;
    }

    private void bind(int slot, Object value) {
        slots[slot] = value;
        trail[trailSize++] = slot;
    }

    private void undo(int mark) {
        while (trailSize > mark) {
            slots[trail[--trailSize]] = null;
        }
    }
}
