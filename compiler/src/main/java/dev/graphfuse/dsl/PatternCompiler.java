package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.dsl.ast.AttrPattern;
import dev.graphfuse.dsl.ast.Constraint;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.Expr;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.match.AttrEvaluator;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.NativePredicate;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.Slot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one pattern against the op signatures, defs and predicates in scope and compiles it to
 * {@link PNode}s. Every problem a match could hit because of how the pattern is written (unknown
 * op, attribute or name; wrong arity; kind clashes) is reported here, when the library loads.
 */
final class PatternCompiler {
    private final Map<String, OpSignature> ops;
    private final Set<String> brokenOps;
    private final Map<String, Decl.Def> defs;
    private final Map<String, Decl.Predicate> predicateDecls;
    private final Map<String, NativePredicate> predicates;
    private final List<Diagnostic> diagnostics;

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Slot> slotsByName = new LinkedHashMap<>();
    private final Set<String> usedDefs = new LinkedHashSet<>();
    private int hiddenCounter;
    /** The pattern's own let names; a reference to one that no root reached is reported at the let. */
    private final Set<String> letNames = new LinkedHashSet<>();
    /**
     * A root did not compile (already reported), so which names it would have bound is unknown:
     * "unknown name" and "not part of the matched graph" would only echo that error.
     */
    private boolean incomplete;
    /** Most ops one pattern may have after inlining defs: defs calling defs grow exponentially, and the matcher recurses per op. */
    static final int MAX_OPS = 500;
    /** How deep def calls may nest (the parser bounds the nesting written in one expression the same way). */
    static final int MAX_DEF_DEPTH = 64;
    private int opCount;
    private boolean tooLarge;
    private Decl.Pattern current;

    /** @param brokenOps ops whose declaration had errors (reported there); their uses are not reported again */
    PatternCompiler(Map<String, OpSignature> ops, Set<String> brokenOps, Map<String, Decl.Def> defs,
                    Map<String, Decl.Predicate> predicateDecls, Map<String, NativePredicate> predicates,
                    List<Diagnostic> diagnostics) {
        this.ops = ops;
        this.brokenOps = brokenOps;
        this.defs = defs;
        this.predicateDecls = predicateDecls;
        this.predicates = predicates;
        this.diagnostics = diagnostics;
    }

    /** Names visible while compiling: a pattern's lets and captures, or one def call's params and lets. */
    private final class Scope {
        final Scope caller;
        final String prefix;
        final Map<String, Decl.Let> lets = new HashMap<>();
        final Map<String, Integer> letIndex = new HashMap<>();
        final Map<String, PNode> compiledLets = new HashMap<>();
        final Set<String> compiling = new LinkedHashSet<>();
        final Map<String, PNode> params = new HashMap<>();
        final Map<String, Slot> locals = new HashMap<>();

        Scope(Scope caller, String prefix) {
            this.caller = caller;
            this.prefix = prefix;
        }
    }

    CompiledPattern compile(Decl.Pattern p) {
        current = p;
        int before = diagnostics.size();
        Scope scope = new Scope(null, "");
        for (Decl.Let let : p.lets()) {
            for (int i = 0; i < let.names().size(); i++) {
                String n = let.names().get(i);
                if (n == null) {
                    continue;
                }
                letNames.add(n);
                Decl.Let prev = scope.lets.put(n, let);
                if (prev != null) {
                    error(let.location(), "'" + n + "' is already defined", new Diagnostic.Note(prev.location(),
                            "previous definition of '" + n + "' is here"));
                }
                scope.letIndex.put(n, i);
            }
        }
        Decl.Replace r = p.replace();
        List<PNode> roots = new ArrayList<>();
        List<Set<Integer>> boundByRoot = new ArrayList<>();
        Map<String, SourceLocation> seenRoots = new HashMap<>();
        for (int ri = 0; ri < r.roots().size(); ri++) {
            String root = r.roots().get(ri);
            SourceLocation rootLoc = r.rootLocations().get(ri);
            SourceLocation prevRoot = seenRoots.putIfAbsent(root, rootLoc);
            if (prevRoot != null) {
                error(rootLoc, "root '" + root + "' is replaced twice", new Diagnostic.Note(prevRoot,
                        "'" + root + "' is first listed here"));
                incomplete = true;
                continue;
            }
            Decl.Let let = scope.lets.get(root);
            if (let == null) {
                error(rootLoc, root.equals("_") ? "a root cannot be '_'; name the value the replacement takes over"
                        : "root '" + root + "' must be a name bound by 'let' to an operation");
                incomplete = true;
                continue;
            }
            PNode node = resolveLet(scope, root, let.location());
            if (node == null) {
                incomplete = true;
                continue;
            }
            if (CompiledPattern.rootOps(node).isEmpty()) {
                error(let.location(), "root '" + root + "' must be an operation, not a captured value or constant");
                incomplete = true;
                continue;
            }
            if (!alwaysAnOp(node)) {
                // An alternative without an op (or an optional op over a capture) could match with no node at all.
                error(let.location(), "root '" + root + "' must be produced by an operation in every alternative; "
                        + "here it can match a value that no matched operation produces");
                incomplete = true;
                continue;
            }
            roots.add(node);
            Set<Integer> bound = new LinkedHashSet<>();
            collectSlots(node, bound, new IdentityHashMap<>());
            boundByRoot.add(bound);
        }
        Set<Integer> matchedSlots = new LinkedHashSet<>();
        for (Set<Integer> s : boundByRoot) {
            matchedSlots.addAll(s);
        }
        if (incomplete || diagnostics.size() > before) {
            // A root did not compile; what it would have bound is unknown, so do not report derived errors.
            for (Slot s : slots) {
                matchedSlots.add(s.index());
            }
        }
        for (Decl.Let let : incomplete ? List.<Decl.Let>of() : p.lets()) {
            for (String n : let.names()) {
                if (n != null && !scope.compiledLets.containsKey(n) && diagnostics.size() == before) {
                    error(let.location(), "'" + n + "' is not part of the matched graph: no root uses it");
                }
            }
        }
        if (!tooLarge && opCount > MAX_OPS) {
            error(p.location(), "pattern '" + p.name() + "' is too large: more than " + MAX_OPS + " operations");
            tooLarge = true;
        }
        List<CompiledPattern.Require> requires = new ArrayList<>();
        for (Decl.Require req : p.requires()) {
            requires.add(require(req, matchedSlots));
        }
        CompiledPattern.Replacement replacement = replacement(r, matchedSlots, roots.size());
        if (diagnostics.size() > before) {
            return null;
        }
        List<List<CompiledPattern.Anchor>> anchors = new ArrayList<>();
        for (int i = 1; i < roots.size(); i++) {
            Set<Integer> earlier = new LinkedHashSet<>();
            for (int j = 0; j < i; j++) {
                earlier.addAll(boundByRoot.get(j));
            }
            List<CompiledPattern.Anchor> list = new ArrayList<>();
            collectAnchors(roots.get(i), 0, earlier, list, new IdentityHashMap<>());
            if (list.isEmpty()) {
                error(r.rootLocations().get(i), "root '" + r.roots().get(i) + "' shares no captured value with the "
                        + "roots before it; a multi-root pattern's roots must be connected");
                return null;
            }
            anchors.add(deepestPerSlot(list));
        }
        int benefit = p.benefit() != null ? p.benefit() : countOps(roots);
        return new CompiledPattern(p.name(), p.doc(), benefit, roots, slots, slotsByName, requires, replacement,
                anchors, p.location());
    }

    Set<String> usedDefs() {
        return usedDefs;
    }

    /** Checks a def no pattern uses, as if called with a fresh capture per parameter. */
    void checkDef(Decl.Def def) {
        List<Expr> args = new ArrayList<>();
        for (String param : def.params()) {
            args.add(new Expr.Capture(param, null, def.location()));
        }
        expand(new Scope(null, ""), new Expr.Call(def.name(), false, false, args, false, List.of(), def.location()), def);
    }

    // ---- names ----

    private Slot slot(String name, Slot.Kind kind, String attrKind, boolean constant, SourceLocation loc) {
        Slot s = new Slot(slots.size(), name, kind, attrKind, constant, loc);
        slots.add(s);
        return s;
    }

    /** A pattern-level name (capture, let, attribute capture, dim symbol), created on first use. */
    private Slot named(Scope scope, String name, Slot.Kind kind, String attrKind, SourceLocation loc) {
        // Dimension symbols are pattern-wide: the matcher looks them up by their bare name.
        boolean global = scope.caller == null || kind == Slot.Kind.DIM;
        Map<String, Slot> table = global ? slotsByName : scope.locals;
        Slot s = table.get(name);
        if (s == null) {
            s = slot(global ? name : scope.prefix + name, kind, attrKind, false, loc);
            table.put(name, s);
            if (!global) {
                // Def locals are reachable by their prefixed name for explain output only.
                slotsByName.putIfAbsent(scope.prefix + name, s);
            }
            return s;
        }
        if (s.kind() != kind || (kind == Slot.Kind.ATTR && !compatibleAttrKinds(s.attrKind(), attrKind))) {
            error(loc, "'" + name + "' is used as " + describeKind(kind, attrKind) + " here, but it is "
                    + describeKind(s.kind(), s.attrKind()), new Diagnostic.Note(s.location(), "'" + name
                    + "' is first used here"));
        }
        return s;
    }

    /** Whether every way {@code n} can match goes through a matched op's output (so a root always has a producer). */
    private static boolean alwaysAnOp(PNode n) {
        return switch (n) {
            case PNode.Op op -> !op.optional() || alwaysAnOp(op.args().get(0));
            case PNode.Output o -> true;
            case PNode.Bind b -> b.inner() != null && alwaysAnOp(b.inner());
            case PNode.Alt a -> a.alternatives().stream().allMatch(PatternCompiler::alwaysAnOp);
            default -> false;
        };
    }

    private static boolean compatibleAttrKinds(String a, String b) {
        return a == null || b == null || a.equals(b);
    }

    private static String describeKind(Slot.Kind kind, String attrKind) {
        return switch (kind) {
            case VALUE -> "a value";
            case ATTR -> attrKind == null ? "an attribute" : "an attribute of kind " + attrKind;
            case DIM -> "a dimension";
            case NODE -> "a node";
        };
    }

    private PNode resolveLet(Scope scope, String name, SourceLocation useLoc) {
        PNode done = scope.compiledLets.get(name);
        if (done != null) {
            return done;
        }
        Decl.Let let = scope.lets.get(name);
        if (scope.compiling.contains(name)) {
            // compiling holds the chain of lets being resolved, outermost first: name ... (this use)
            List<String> chain = new ArrayList<>(scope.compiling);
            List<String> through = chain.subList(chain.indexOf(name) + 1, chain.size());
            String via = through.isEmpty() ? "" : " (through " + String.join(", ", through.stream()
                    .map(t -> "'" + t + "'").toList()) + ")";
            error(useLoc, "'" + name + "' is defined in terms of itself" + via, new Diagnostic.Note(let.location(),
                    "'" + name + "' is defined here"));
            return null;
        }
        scope.compiling.add(name);
        try {
            if (let.names().size() == 1) {
                Slot s = named(scope, name, Slot.Kind.VALUE, null, let.location());
                PNode inner = expr(scope, let.value());
                PNode bind = inner == null ? null : new PNode.Bind(s.index(), inner, null, let.location());
                scope.compiledLets.put(name, bind);
                return bind;
            }
            // Tuple let: each name is one output of the same matched node.
            PNode inner = expr(scope, let.value());
            if (!(inner instanceof PNode.Op op)) {
                if (inner != null) {
                    error(let.value().location(), "a tuple 'let' needs a single operation on its right side");
                }
                return null;
            }
            if (op.optional()) {
                error(let.value().location(), "a tuple 'let' cannot bind an optional operation");
                return null;
            }
            int outs = op.op().outputs().size();
            if (!op.op().variadicOutputs() && let.names().size() > outs) {
                error(let.location(), op.op().qualifiedName() + " has " + outs + (outs == 1 ? " output" : " outputs")
                        + ", but " + let.names().size() + " names are bound");
                return null;
            }
            Slot nodeSlot = slot(scope.prefix + "#node" + (++hiddenCounter), Slot.Kind.NODE, null, false, let.location());
            for (int i = 0; i < let.names().size(); i++) {
                String n = let.names().get(i);
                if (n == null) {
                    continue;
                }
                Slot s = named(scope, n, Slot.Kind.VALUE, null, let.location());
                scope.compiledLets.put(n, new PNode.Bind(s.index(), new PNode.Output(nodeSlot.index(), i, op,
                        let.location()), null, let.location()));
            }
            return scope.compiledLets.get(name);
        } finally {
            scope.compiling.remove(name);
        }
    }

    // ---- expressions ----

    private PNode expr(Scope scope, Expr e) {
        return switch (e) {
            case Expr.Alternatives a -> {
                List<PNode> alts = new ArrayList<>();
                for (Expr x : a.alternatives()) {
                    PNode n = expr(scope, x);
                    if (n != null) {
                        alts.add(n);
                    }
                }
                yield alts.size() == a.alternatives().size() ? new PNode.Alt(alts, a.location()) : null;
            }
            case Expr.Literal l -> {
                double[] v = new double[l.values().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = l.values().get(i);
                }
                yield new PNode.Const(v, l.list(), l.tolerance() == null ? -1 : l.tolerance(), l.location());
            }
            case Expr.Wildcard w -> new PNode.Any(constraint(scope, w.constraint()), w.location());
            case Expr.Capture c -> capture(scope, c);
            case Expr.Call c -> call(scope, c);
        };
    }

    private PNode capture(Scope scope, Expr.Capture c) {
        Constraint constraint = constraint(scope, c.constraint());
        for (Scope s = scope; s != null; s = null) {
            PNode param = s.params.get(c.name());
            if (param != null) {
                return constraint == null ? param : withConstraint(param, constraint, c.location());
            }
            if (s.lets.containsKey(c.name())) {
                PNode let = resolveLet(s, c.name(), c.location());
                return let == null || constraint == null ? let : withConstraint(let, constraint, c.location());
            }
        }
        Slot slot = named(scope, c.name(), Slot.Kind.VALUE, null, c.location());
        if (constraint != null && constraint.kind() != Constraint.Kind.TENSOR && !slot.constant()) {
            Slot constantSlot = new Slot(slot.index(), slot.name(), slot.kind(), null, true, slot.location());
            slots.set(slot.index(), constantSlot);
            (scope.caller == null ? slotsByName : scope.locals).put(c.name(), constantSlot);
        }
        return new PNode.Bind(slot.index(), null, constraint, c.location());
    }

    /** {@code name: Constraint} on a name bound elsewhere: same slot, extra check. */
    private PNode withConstraint(PNode bound, Constraint constraint, SourceLocation loc) {
        if (bound instanceof PNode.Bind b) {
            return new PNode.Bind(b.slot(), b.inner(), constraint, loc);
        }
        return bound;
    }

    private Constraint constraint(Scope scope, Constraint c) {
        if (c == null) {
            return null;
        }
        for (int i = 0; i < c.elementTypes().size(); i++) {
            String t = c.elementTypes().get(i);
            if (ElementType.fromShortName(t) == null) {
                error(c.elementTypeLocations().get(i), "unknown element type '" + t
                        + "' (use f32, f16, bf16, f64, i64, i32, …)");
            }
        }
        if (c.kind() == Constraint.Kind.SCALAR && c.dims() != null) {
            error(c.shapeLocation(), "a Scalar has no dimensions to constrain");
            return c;
        }
        if (c.dims() != null) {
            boolean rest = false;
            for (Constraint.DimPattern d : c.dims()) {
                if (d.rest() && rest) {
                    error(d.location(), "a shape may contain '...' only once");
                }
                rest |= d.rest();
                if (d.symbol() != null) {
                    named(scope, d.symbol(), Slot.Kind.DIM, null, d.location());
                }
            }
        }
        return c;
    }

    private PNode call(Scope scope, Expr.Call c) {
        Decl.Def def = c.opName().contains(".") ? null : defs.get(c.opName());
        if (def != null) {
            return expand(scope, c, def);
        }
        OpSignature sig = ops.get(c.opName());
        if (sig == null && brokenOps.contains(c.opName())) {
            return null;
        }
        if (sig == null) {
            error(c.location(), "unknown op '" + c.opName() + "'; declare it with 'op " + c.opName()
                    + "(…);' or import the file that does");
            // Still bind the operands' names, so later uses of them do not report a second, derived error.
            c.args().forEach(a -> expr(scope, a));
            return null;
        }
        int n = c.args().size();
        int min = sig.minInputs();
        int max = sig.maxInputs();
        if ((!c.restArgs() && n < min) || (max >= 0 && n > max)) {
            error(c.location(), sig.qualifiedName() + " takes " + arity(min, max) + ", but the pattern gives " + n,
                    new Diagnostic.Note(sig.location(), sig.qualifiedName() + " is declared here"));
            return null;
        }
        if (c.optional() && n == 0) {
            error(c.location(), "optional op '" + c.opName() + "?' needs an operand to stand in for it");
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
                error(item.location(), "unknown attribute '" + item.name() + "' for " + sig.qualifiedName(),
                        new Diagnostic.Note(sig.location(), sig.qualifiedName() + " is declared here"));
                ok = false;
                continue;
            }
            if (!seen.add(item.name())) {
                error(item.location(), "attribute '" + item.name() + "' is given twice");
                ok = false;
                continue;
            }
            PNode.AttrCheck check = attrCheck(scope, sig, spec, item);
            ok &= check != null;
            attrs.add(check);
        }
        opCount++;
        return ok ? new PNode.Op(sig, c.optional(), c.shared(), args, c.restArgs(), attrs, c.location()) : null;
    }

    private static String given(int n) {
        return n + (n == 1 ? " is given" : " are given");
    }

    private static String arity(int min, int max) {
        if (max < 0) {
            return "at least " + min + (min == 1 ? " operand" : " operands");
        }
        if (min == max) {
            return min + (min == 1 ? " operand" : " operands");
        }
        return min + " to " + max + " operands";
    }

    private PNode.AttrCheck attrCheck(Scope scope, OpSignature sig, OpSignature.AttrSpec spec, Expr.AttrItem item) {
        AttrPattern p = item.pattern();
        return switch (p) {
            case AttrPattern.Any a -> new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.ANY, null, -1, -1,
                    a.location());
            case AttrPattern.Capture cap -> {
                Slot s = named(scope, cap.name(), Slot.Kind.ATTR, spec.kind(), cap.location());
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.CAPTURE, null, -1, s.index(),
                        cap.location());
            }
            case AttrPattern.Text t -> {
                if (!spec.kind().equals("string")) {
                    error(t.location(), "attribute '" + spec.name() + "' of " + sig.qualifiedName() + " is "
                            + article(spec.kind()) + ", not a string");
                    yield null;
                }
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.EQUALS, t.value(), -1, -1, t.location());
            }
            case AttrPattern.Numbers num -> {
                String problem = numbersFit(spec.kind(), num);
                if (problem != null) {
                    error(num.location(), "attribute '" + spec.name() + "' of " + sig.qualifiedName() + " is "
                            + article(spec.kind()) + ", not " + problem);
                    yield null;
                }
                Object value = num.list() ? new ArrayList<>(num.values()) : (Object) num.values().get(0);
                yield new PNode.AttrCheck(spec.name(), spec, PNode.AttrCheck.Kind.EQUALS, value,
                        num.tolerance() == null ? (spec.kind().startsWith("int") ? 0 : -1) : num.tolerance(), -1,
                        num.location());
            }
        };
    }

    private static String numbersFit(String kind, AttrPattern.Numbers num) {
        boolean integral = num.values().stream().allMatch(d -> d == Math.rint(d));
        return switch (kind) {
            case "int" -> num.list() ? "a list" : integral ? null : "the fraction " + num.values().get(0);
            case "float" -> num.list() ? "a list" : null;
            case "ints" -> !num.list() ? "a single number" : integral ? null : "a list with fractions";
            case "floats" -> !num.list() ? "a single number" : null;
            default -> "a number";
        };
    }

    private static String article(String kind) {
        return switch (kind) {
            case "int", "ints" -> "an " + kind;
            default -> "a " + kind;
        };
    }

    /** Inlines a def: params become fresh slots bound to the argument patterns; its lets are local to this call. */
    private PNode expand(Scope scope, Expr.Call c, Decl.Def def) {
        usedDefs.add(def.name());
        if (tooLarge) {
            return null;
        }
        if (opCount > MAX_OPS) {
            error(current != null ? current.location() : c.location(), (current != null ? "pattern '"
                    + current.name() + "'" : "def '" + def.name() + "'") + " is too large: more than " + MAX_OPS
                    + " operations after expanding defs", new Diagnostic.Note(c.location(), "expanding '"
                    + def.name() + "' here"));
            tooLarge = true;
            return null;
        }
        if (c.optional() || c.shared() || !c.attributes().isEmpty() || c.restArgs()) {
            error(c.location(), "'" + def.name() + "' is a def; '?', 'shared', '...' and attributes apply to ops only");
            return null;
        }
        if (c.args().size() != def.params().size()) {
            error(c.location(), "def '" + def.name() + "' takes " + def.params().size() + (def.params().size() == 1
                    ? " argument" : " arguments") + ", but " + given(c.args().size()),
                    new Diagnostic.Note(def.location(), "'" + def.name() + "' is defined here"));
            return null;
        }
        // scope.prefix is the chain of def calls being expanded, outermost first: "a#1.b#2."
        List<String> expanding = new ArrayList<>();
        for (String part : scope.prefix.split("\\.")) {
            if (!part.isEmpty()) {
                expanding.add(part.substring(0, part.indexOf('#')));
            }
        }
        if (expanding.size() >= MAX_DEF_DEPTH) {
            // a chain of defs, each calling the next, nests without adding operations: bound it before the
            // compiler's own recursion runs out of stack
            error(c.location(), "defs nest more than " + MAX_DEF_DEPTH + " deep here (" + expanding.get(0) + " → … → "
                    + def.name() + ")");
            tooLarge = true;
            return null;
        }
        int at = expanding.indexOf(def.name());
        if (at >= 0) {
            List<String> through = expanding.subList(at + 1, expanding.size());
            error(c.location(), "def '" + def.name() + "' uses itself" + (through.isEmpty() ? "" : " (through "
                    + String.join(", ", through.stream().map(t -> "'" + t + "'").toList()) + ")"));
            return null;
        }
        Scope inner = new Scope(scope, scope.prefix + def.name() + "#" + (++hiddenCounter) + ".");
        for (int i = 0; i < def.params().size(); i++) {
            PNode arg = expr(scope, c.args().get(i));
            if (arg == null) {
                return null;
            }
            Slot s = slot(inner.prefix + def.params().get(i), Slot.Kind.VALUE, null, false, c.args().get(i).location());
            inner.params.put(def.params().get(i), arg instanceof PNode.Bind b && b.inner() == null ? arg
                    : new PNode.Bind(s.index(), arg, null, c.args().get(i).location()));
        }
        for (Decl.Let let : def.lets()) {
            for (int i = 0; i < let.names().size(); i++) {
                String n = let.names().get(i);
                if (n != null) {
                    inner.lets.put(n, let);
                }
            }
        }
        return expr(inner, def.result());
    }

    // ---- require and replace ----

    private CompiledPattern.Require require(Decl.Require r, Set<Integer> matchedSlots) {
        Decl.Predicate decl = predicateDecls.get(r.predicate());
        if (decl == null) {
            error(r.location(), "unknown predicate '" + r.predicate() + "'; declare it with 'predicate "
                    + r.predicate() + "(…);'");
            return null;
        }
        if (decl.params().size() != r.args().size()) {
            error(r.location(), "predicate '" + r.predicate() + "' takes " + decl.params().size()
                    + (decl.params().size() == 1 ? " argument" : " arguments") + ", but " + given(r.args().size()),
                    new Diagnostic.Note(decl.location(), "'" + r.predicate() + "' is declared here"));
        }
        NativePredicate impl = predicates.get(r.predicate());
        if (impl == null) {
            error(r.location(), "predicate '" + r.predicate() + "' has no Java implementation registered",
                    new Diagnostic.Note(decl.location(), "'" + r.predicate() + "' is declared here"));
        }
        for (AttrExpr a : r.args()) {
            checkRefs(a, matchedSlots, true);
        }
        return new CompiledPattern.Require(r.predicate(), impl, r.negated(), r.args(), r.location());
    }

    private CompiledPattern.Replacement replacement(Decl.Replace r, Set<Integer> matchedSlots, int rootCount) {
        String qualified = r.domain().isEmpty() ? r.op() : r.domain() + "." + r.op();
        OpSignature sig = ops.get(qualified);
        if (sig == null) {
            error(r.opLocation(), "unknown op '" + qualified + "'; declare the replacement op with 'op " + qualified
                    + "(…);'");
            return null;
        }
        Diagnostic.Note declared = new Diagnostic.Note(sig.location(), sig.qualifiedName() + " is declared here");
        int outs = sig.outputs().size();
        if (!sig.variadicOutputs() && rootCount > outs) {
            error(r.opLocation(), sig.qualifiedName() + " has " + outs + (outs == 1 ? " output" : " outputs")
                    + ", but " + rootCount + " roots are replaced", declared);
        }
        int n = r.inputs().size();
        if (n < sig.minInputs() || (sig.maxInputs() >= 0 && n > sig.maxInputs())) {
            error(r.opLocation(), sig.qualifiedName() + " takes " + arity(sig.minInputs(), sig.maxInputs()) + ", but "
                    + given(n), declared);
        }
        List<Integer> inputSlots = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            String in = r.inputs().get(i);
            if (in == null) {
                OpSignature.Port port = i < sig.inputs().size() ? sig.inputs().get(i)
                        : sig.inputs().isEmpty() ? null : sig.inputs().get(sig.inputs().size() - 1);
                if (port != null && !port.optional()) {
                    error(r.inputLocations().get(i), "operand " + (i + 1) + " of " + sig.qualifiedName() + " ('"
                            + port.name() + "') is required; '_' leaves out optional operands only", declared);
                }
                inputSlots.add(-1);
                continue;
            }
            SourceLocation at = r.inputLocations().get(i);
            Slot s = reference(in, at, matchedSlots, " in the replacement");
            if (s == null) {
                continue;
            }
            if (s.kind() != Slot.Kind.VALUE) {
                error(at, "'" + in + "' is " + describeKind(s.kind(), s.attrKind())
                        + "; operands of the replacement must be values");
                continue;
            }
            if (r.roots().contains(in)) {
                error(at, "'" + in + "' is a root: the replacement produces it, so it cannot also be an operand");
                continue;
            }
            inputSlots.add(s.index());
        }
        List<CompiledPattern.AttrAssign> attrs = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        for (Decl.AttrAssign a : r.attributes()) {
            OpSignature.AttrSpec spec = sig.attributes().get(a.name());
            if (spec == null) {
                error(a.location(), "unknown attribute '" + a.name() + "' for " + sig.qualifiedName(), declared);
                continue;
            }
            if (!given.add(a.name())) {
                error(a.location(), "attribute '" + a.name() + "' is given twice");
                continue;
            }
            String kind = typeOf(a.value(), matchedSlots);
            if (kind != null && !assignable(spec.kind(), kind)) {
                error(a.value().location(), "attribute '" + a.name() + "' of " + sig.qualifiedName() + " is "
                        + article(spec.kind()) + ", but this is " + article(kind), declared);
            }
            attrs.add(new CompiledPattern.AttrAssign(a.name(), spec.kind(), a.value(), a.location()));
        }
        for (OpSignature.AttrSpec spec : sig.attributes().values()) {
            if (!spec.optional() && spec.defaultValue() == null && !given.contains(spec.name())) {
                error(r.opLocation(), "missing attribute '" + spec.name() + "' for " + sig.qualifiedName(), declared);
            }
        }
        return new CompiledPattern.Replacement(sig, inputSlots, attrs, r.location());
    }

    private static boolean assignable(String target, String kind) {
        return target.equals(kind) || (target.equals("float") && kind.equals("int"))
                || (target.equals("floats") && kind.equals("ints")) || kind.equals("number") && (target.equals("int")
                || target.equals("float")) || kind.equals("list") && (target.equals("ints") || target.equals("floats"));
    }

    /** The static kind of an attribute expression (int, float, number, ints, floats, list, string), or null after an error. */
    private String typeOf(AttrExpr e, Set<Integer> matchedSlots) {
        return switch (e) {
            case AttrExpr.Number n -> n.integral() ? "int" : "float";
            case AttrExpr.Text t -> "string";
            case AttrExpr.Negate n -> typeOf(n.operand(), matchedSlots);
            case AttrExpr.Binary b -> {
                String l = typeOf(b.left(), matchedSlots);
                String r = typeOf(b.right(), matchedSlots);
                if (l == null || r == null) {
                    yield null;
                }
                if (!isScalar(l) || !isScalar(r)) {
                    error(b.location(), "operator '" + b.op() + "' needs numbers");
                    yield null;
                }
                yield l.equals("int") && r.equals("int") ? "int" : l.equals("float") || r.equals("float") ? "float"
                        : "number";
            }
            case AttrExpr.ListOf l -> {
                String kind = "ints";
                for (AttrExpr x : l.elements()) {
                    String k = typeOf(x, matchedSlots);
                    if (k == null) {
                        yield null;
                    }
                    if (!isScalar(k)) {
                        error(x.location(), "list elements must be numbers");
                        yield null;
                    }
                    if (!k.equals("int")) {
                        kind = k.equals("float") ? "floats" : kind.equals("floats") ? "floats" : "list";
                    }
                }
                yield kind;
            }
            case AttrExpr.Call c -> {
                Integer arity = AttrEvaluator.FUNCTIONS.get(c.function());
                if (arity == null) {
                    error(c.location(), unknownFunction(c.function()));
                    yield null;
                }
                if (arity != c.args().size()) {
                    error(c.location(), "'" + c.function() + "' takes " + arity + (arity == 1 ? " argument" : " arguments"));
                    yield null;
                }
                for (AttrExpr a : c.args()) {
                    checkRefs(a, matchedSlots, true);
                }
                yield switch (c.function()) {
                    case "float" -> "float";
                    default -> "int";
                };
            }
            case AttrExpr.Ref r -> {
                Slot s = reference(r.name(), r.location(), matchedSlots, "");
                if (s == null) {
                    yield null;
                }
                yield switch (s.kind()) {
                    case DIM -> "int";
                    case ATTR -> s.attrKind();
                    case NODE -> null;
                    case VALUE -> {
                        if (!s.constant()) {
                            error(r.location(), "'" + r.name() + "' is a value computed at run time; constrain it "
                                    + "with ': Scalar' or ': Const' to use its contents as an attribute");
                            yield null;
                        }
                        yield "number";
                    }
                };
            }
        };
    }

    private static String unknownFunction(String name) {
        return "unknown function '" + name + "' (known: "
                + String.join(", ", new java.util.TreeSet<>(AttrEvaluator.FUNCTIONS.keySet())) + ")";
    }

    /**
     * The slot {@code name} refers to in a require or the replacement, or null after reporting why there
     * is none, unless the cause is reported elsewhere (a let no root reached, a root that did not compile).
     */
    private Slot reference(String name, SourceLocation loc, Set<Integer> matchedSlots, String where) {
        Slot s = slotsByName.get(name);
        if (s == null) {
            if (!incomplete && !letNames.contains(name)) {
                error(loc, "unknown name '" + name + "'" + where);
            }
            return null;
        }
        if (!matchedSlots.contains(s.index())) {
            if (!incomplete && !letNames.contains(name)) {
                error(loc, "'" + name + "' is not part of the matched graph: no root uses it");
            }
            return null;
        }
        return s;
    }

    private static boolean isScalar(String kind) {
        return kind.equals("int") || kind.equals("float") || kind.equals("number");
    }

    private void checkRefs(AttrExpr e, Set<Integer> matchedSlots, boolean valuesAllowed) {
        switch (e) {
            case AttrExpr.Ref r -> reference(r.name(), r.location(), matchedSlots, "");
            case AttrExpr.Negate n -> checkRefs(n.operand(), matchedSlots, valuesAllowed);
            case AttrExpr.Binary b -> {
                checkRefs(b.left(), matchedSlots, valuesAllowed);
                checkRefs(b.right(), matchedSlots, valuesAllowed);
            }
            case AttrExpr.ListOf l -> l.elements().forEach(x -> checkRefs(x, matchedSlots, valuesAllowed));
            case AttrExpr.Call c -> {
                Integer arity = AttrEvaluator.FUNCTIONS.get(c.function());
                if (arity == null) {
                    error(c.location(), unknownFunction(c.function()));
                } else if (arity != c.args().size()) {
                    error(c.location(), "'" + c.function() + "' takes " + arity + (arity == 1 ? " argument" : " arguments"));
                }
                c.args().forEach(x -> checkRefs(x, matchedSlots, valuesAllowed));
            }
            default -> {
            }
        }
    }

    // ---- structure ----

    private void collectSlots(PNode n, Set<Integer> out, Map<PNode, Boolean> seen) {
        if (n == null || seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        switch (n) {
            case PNode.Bind b -> {
                out.add(b.slot());
                collectDimSlots(b.constraint(), out);
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
            case PNode.Any any -> collectDimSlots(any.constraint(), out);
            case PNode.Const c -> {
            }
        }
    }

    private void collectDimSlots(Constraint c, Set<Integer> out) {
        if (c == null || c.dims() == null) {
            return;
        }
        for (Constraint.DimPattern d : c.dims()) {
            if (d.symbol() != null && slotsByName.containsKey(d.symbol())) {
                out.add(slotsByName.get(d.symbol()).index());
            }
        }
    }

    /**
     * {@code seen}: the deepest depth each node was visited at. A node shared by alternatives (a {@code def}'s
     * {@code h} in {@code MatMul(h, _) | Add(MatMul(h, _), _)}) is reached at several depths, and the anchor
     * must cover the deepest: the walk from it is bounded by that depth.
     */
    private static void collectAnchors(PNode n, int depth, Set<Integer> earlier, List<CompiledPattern.Anchor> out,
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
    private static List<CompiledPattern.Anchor> deepestPerSlot(List<CompiledPattern.Anchor> list) {
        Map<List<Integer>, CompiledPattern.Anchor> by = new java.util.LinkedHashMap<>();
        for (CompiledPattern.Anchor a : list) {
            by.merge(List.of(a.slot(), a.outputIndex()), a, (x, y) -> x.depth() >= y.depth() ? x : y);
        }
        return List.copyOf(by.values());
    }

    private static int countOps(List<PNode> roots) {
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

    private void error(SourceLocation loc, String message, Diagnostic.Note... notes) {
        diagnostics.add(new Diagnostic(loc, message, List.of(notes)));
    }
}
