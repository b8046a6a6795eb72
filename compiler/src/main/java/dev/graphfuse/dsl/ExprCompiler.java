package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.AttrPattern;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.Expr;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.ir.Attribute;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.Slot;
import dev.graphfuse.match.ValueCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles value patterns to {@link PNode}s: lets and captures become slots, op calls are checked
 * against their signatures, and calls of defs are handed to the {@link DefInliner}. Returns null for a
 * pattern with an error, after reporting it.
 */
final class ExprCompiler {
    private final Declarations decls;
    private final Bindings bindings;
    private final Reporter reporter;
    private final ValueCheckCompiler checks;
    final DefInliner inliner;

    ExprCompiler(Declarations decls, Bindings bindings, Reporter reporter) {
        this.decls = decls;
        this.bindings = bindings;
        this.reporter = reporter;
        this.checks = new ValueCheckCompiler(bindings, reporter);
        this.inliner = new DefInliner(this, bindings, reporter);
    }

    PNode resolveLet(Scope scope, String name, SourceLocation useLoc) {
        PNode done = scope.compiledLets.get(name);
        if (done != null) {
            return done;
        }
        Decl.Let let = scope.lets.get(name);
        if (scope.compiling.contains(name)) {
            List<String> chain = new ArrayList<>(scope.compiling);
            List<String> through = chain.subList(chain.indexOf(name) + 1, chain.size());
            reporter.error(useLoc, "'" + name + "' is defined in terms of itself" + DefInliner.through(through),
                    new Diagnostic.Note(let.location(), "'" + name + "' is defined here"));
            return null;
        }
        scope.compiling.add(name);
        try {
            if (let.names().size() == 1) {
                Slot s = bindings.named(scope, name, Slot.Kind.VALUE, null, let.location());
                PNode inner = expr(scope, let.value());
                PNode bind = inner == null ? null : new PNode.Bind(s.index(), inner, null);
                scope.compiledLets.put(name, bind);
                return bind;
            }
            return resolveTuple(scope, name, let);
        } finally {
            scope.compiling.remove(name);
        }
    }

    /** A tuple let: each name is one output of the same matched node. */
    private PNode resolveTuple(Scope scope, String name, Decl.Let let) {
        PNode inner = expr(scope, let.value());
        if (!(inner instanceof PNode.Op op)) {
            if (inner != null) {
                reporter.error(let.value().location(), "a tuple 'let' needs a single operation on its right side");
            }
            return null;
        }
        if (op.optional()) {
            reporter.error(let.value().location(), "a tuple 'let' cannot bind an optional operation");
            return null;
        }
        int outs = op.op().outputs().size();
        if (!op.op().variadicOutputs() && let.names().size() > outs) {
            reporter.error(let.location(), op.op().qualifiedName() + " has " + outs + (outs == 1 ? " output" : " outputs")
                    + ", but " + let.names().size() + " names are bound");
            return null;
        }
        Slot nodeSlot = bindings.slot(scope.prefix + "#node" + bindings.nextHiddenId(), Slot.Kind.NODE, null,
                let.location());
        for (int i = 0; i < let.names().size(); i++) {
            String n = let.names().get(i);
            if (n == null) {
                continue;
            }
            Slot s = bindings.named(scope, n, Slot.Kind.VALUE, null, let.location());
            scope.compiledLets.put(n, new PNode.Bind(s.index(), new PNode.Output(nodeSlot.index(), i, op), null));
        }
        return scope.compiledLets.get(name);
    }

    PNode expr(Scope scope, Expr e) {
        return switch (e) {
            case Expr.Alternatives a -> {
                List<PNode> alts = new ArrayList<>();
                for (Expr x : a.alternatives()) {
                    PNode n = expr(scope, x);
                    if (n != null) {
                        alts.add(n);
                    }
                }
                yield alts.size() == a.alternatives().size() ? new PNode.Alt(alts) : null;
            }
            case Expr.Literal l -> {
                double[] v = new double[l.values().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = l.values().get(i);
                }
                yield new PNode.Const(v, l.list(), l.tolerance() == null ? -1 : l.tolerance());
            }
            case Expr.Wildcard w -> new PNode.Any(checks.compile(scope, w.constraint()));
            case Expr.Capture c -> capture(scope, c);
            case Expr.Call c -> call(scope, c);
        };
    }

    private PNode capture(Scope scope, Expr.Capture c) {
        ValueCheck check = checks.compile(scope, c.constraint());
        PNode param = scope.params.get(c.name());
        if (param != null) {
            return check == null ? param : withCheck(param, check);
        }
        if (scope.lets.containsKey(c.name())) {
            PNode let = resolveLet(scope, c.name(), c.location());
            return let == null || check == null ? let : withCheck(let, check);
        }
        Slot slot = bindings.named(scope, c.name(), Slot.Kind.VALUE, null, c.location());
        if (check != null && check.kind() != ValueCheck.Kind.TENSOR && !slot.constant()) {
            bindings.markConstant(scope, c.name(), slot);
        }
        return new PNode.Bind(slot.index(), null, check);
    }

    /** {@code name: Constraint} on a name bound elsewhere: same slot, extra check. */
    private static PNode withCheck(PNode bound, ValueCheck check) {
        return bound instanceof PNode.Bind b ? new PNode.Bind(b.slot(), b.inner(), check) : bound;
    }

    private PNode call(Scope scope, Expr.Call c) {
        Decl.Def def = c.opName().contains(".") ? null : decls.defs().get(c.opName());
        if (def != null) {
            return inliner.expand(scope, c, def);
        }
        OpSignature sig = decls.ops().get(c.opName());
        if (sig == null && decls.brokenOps().contains(c.opName())) {
            return null;
        }
        if (sig == null) {
            reporter.error(c.location(), "unknown op '" + c.opName() + "'; declare it with 'op " + c.opName()
                    + "(…);' or import the file that does");
            // Still bind the operands' names, so later uses of them do not report a second, derived error.
            c.args().forEach(a -> expr(scope, a));
            return null;
        }
        int n = c.args().size();
        int min = sig.minInputs();
        int max = sig.maxInputs();
        if ((!c.restArgs() && n < min) || (max >= 0 && n > max)) {
            reporter.error(c.location(), sig.qualifiedName() + " takes " + arity(min, max) + ", but the pattern gives "
                    + n, decls.declaredHere(sig));
            return null;
        }
        if (c.optional() && n == 0) {
            reporter.error(c.location(), "optional op '" + c.opName() + "?' needs an operand to stand in for it");
            return null;
        }
        List<PNode> args = new ArrayList<>();
        boolean ok = true;
        for (Expr a : c.args()) {
            PNode x = expr(scope, a);
            ok &= x != null;
            args.add(x);
        }
        List<PNode.AttrCheck> attrs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Expr.AttrItem item : c.attributes()) {
            OpSignature.AttrSpec spec = sig.attributes().get(item.name());
            if (spec == null) {
                reporter.error(item.location(), "unknown attribute '" + item.name() + "' for " + sig.qualifiedName(),
                        decls.declaredHere(sig));
                ok = false;
                continue;
            }
            if (!seen.add(item.name())) {
                reporter.error(item.location(), "attribute '" + item.name() + "' is given twice");
                ok = false;
                continue;
            }
            PNode.AttrCheck check = attrCheck(scope, sig, spec, item);
            ok &= check != null;
            attrs.add(check);
        }
        inliner.countOp();
        return ok ? new PNode.Op(sig, c.optional(), c.shared(), args, c.restArgs(), attrs) : null;
    }

    /** How many operands an op takes, in words. */
    static String arity(int min, int max) {
        if (max < 0) {
            return "at least " + min + (min == 1 ? " operand" : " operands");
        }
        if (min == max) {
            return min + (min == 1 ? " operand" : " operands");
        }
        return min + " to " + max + " operands";
    }

    private PNode.AttrCheck attrCheck(Scope scope, OpSignature sig, OpSignature.AttrSpec spec, Expr.AttrItem item) {
        return switch (item.pattern()) {
            case AttrPattern.Any a -> new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.ANY, null, -1, -1);
            case AttrPattern.Capture cap -> {
                Slot s = bindings.named(scope, cap.name(), Slot.Kind.ATTR, spec.kind(), cap.location());
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.CAPTURE, null, -1, s.index());
            }
            case AttrPattern.Text t -> {
                if (spec.kind() != Attribute.Kind.STRING) {
                    reporter.error(t.location(), "attribute '" + spec.name() + "' of " + sig.qualifiedName() + " is "
                            + AttrType.article(spec.kind().keyword()) + ", not a string");
                    yield null;
                }
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.EQUALS, t.value(), -1, -1);
            }
            case AttrPattern.Numbers num -> {
                String problem = numbersFit(spec.kind(), num);
                if (problem != null) {
                    reporter.error(num.location(), "attribute '" + spec.name() + "' of " + sig.qualifiedName() + " is "
                            + AttrType.article(spec.kind().keyword()) + ", not " + problem);
                    yield null;
                }
                Object value = num.list() ? new ArrayList<>(num.values()) : (Object) num.values().get(0);
                boolean integral = spec.kind() == Attribute.Kind.INT || spec.kind() == Attribute.Kind.INTS;
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.EQUALS, value,
                        num.tolerance() == null ? (integral ? 0 : -1) : num.tolerance(), -1);
            }
        };
    }

    private static String numbersFit(Attribute.Kind kind, AttrPattern.Numbers num) {
        boolean integral = num.values().stream().allMatch(d -> d == Math.rint(d));
        return switch (kind) {
            case INT -> num.list() ? "a list" : integral ? null : "the fraction " + num.values().get(0);
            case FLOAT -> num.list() ? "a list" : null;
            case INTS -> !num.list() ? "a single number" : integral ? null : "a list with fractions";
            case FLOATS -> !num.list() ? "a single number" : null;
            default -> "a number";
        };
    }
}
