package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.Expr;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.Slot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Inlines calls of {@code def}s: each call's params become fresh slots bound to the argument patterns,
 * and its lets are local to the call. Bounds what inlining may grow to.
 */
final class DefInliner {
    /** Most ops one pattern may have after inlining defs: defs calling defs grow exponentially, and the matcher recurses per op. */
    static final int MAX_OPS = 500;
    /** How deep def calls may nest (the parser bounds the nesting written in one expression the same way). */
    static final int MAX_DEF_DEPTH = 64;

    private final ExprCompiler exprs;
    private final Bindings bindings;
    private final Reporter reporter;
    private final Set<String> usedDefs = new LinkedHashSet<>();
    private int opCount;
    private boolean tooLarge;
    /** The pattern being compiled; null while checking a def on its own. */
    private Decl.Pattern current;

    DefInliner(ExprCompiler exprs, Bindings bindings, Reporter reporter) {
        this.exprs = exprs;
        this.bindings = bindings;
        this.reporter = reporter;
    }

    void startPattern(Decl.Pattern p) {
        current = p;
    }

    Set<String> usedDefs() {
        return usedDefs;
    }

    void countOp() {
        opCount++;
    }

    /** Reports a pattern that grew past {@link #MAX_OPS} without a def call noticing (its own ops did). */
    void checkSize(Decl.Pattern p) {
        if (!tooLarge && opCount > MAX_OPS) {
            reporter.error(p.location(), "pattern '" + p.name() + "' is too large: more than " + MAX_OPS + " operations");
            tooLarge = true;
        }
    }

    /** {@code " (through 'a', 'b')"} for the names a cycle passes through, or nothing when there are none. */
    static String through(List<String> names) {
        return names.isEmpty() ? "" : " (through " + String.join(", ", names.stream().map(t -> "'" + t + "'").toList())
                + ")";
    }

    PNode expand(Scope scope, Expr.Call c, Decl.Def def) {
        usedDefs.add(def.name());
        if (tooLarge) {
            return null;
        }
        if (opCount > MAX_OPS) {
            reporter.error(current != null ? current.location() : c.location(), (current != null ? "pattern '"
                    + current.name() + "'" : "def '" + def.name() + "'") + " is too large: more than " + MAX_OPS
                    + " operations after expanding defs", new Diagnostic.Note(c.location(), "expanding '"
                    + def.name() + "' here"));
            tooLarge = true;
            return null;
        }
        if (c.optional() || c.shared() || !c.attributes().isEmpty() || c.restArgs()) {
            reporter.error(c.location(), "'" + def.name() + "' is a def; '?', 'shared', '...' and attributes apply to ops only");
            return null;
        }
        if (c.args().size() != def.params().size()) {
            reporter.error(c.location(), "def '" + def.name() + "' takes " + def.params().size()
                    + (def.params().size() == 1 ? " argument" : " arguments") + ", but "
                    + ReplacementChecker.given(c.args().size()),
                    new Diagnostic.Note(def.location(), "'" + def.name() + "' is defined here"));
            return null;
        }
        List<String> expanding = expanding(scope);
        if (expanding.size() >= MAX_DEF_DEPTH) {
            // a chain of defs, each calling the next, nests without adding operations: bound it before the
            // compiler's own recursion runs out of stack
            reporter.error(c.location(), "defs nest more than " + MAX_DEF_DEPTH + " deep here (" + expanding.get(0)
                    + " → … → " + def.name() + ")");
            tooLarge = true;
            return null;
        }
        int at = expanding.indexOf(def.name());
        if (at >= 0) {
            reporter.error(c.location(), "def '" + def.name() + "' uses itself"
                    + through(expanding.subList(at + 1, expanding.size())));
            return null;
        }
        Scope inner = new Scope(scope, scope.prefix + def.name() + "#" + bindings.nextHiddenId() + ".");
        for (int i = 0; i < def.params().size(); i++) {
            PNode arg = exprs.expr(scope, c.args().get(i));
            if (arg == null) {
                return null;
            }
            Slot s = bindings.slot(inner.prefix + def.params().get(i), Slot.Kind.VALUE, null, c.args().get(i).location());
            inner.params.put(def.params().get(i), arg instanceof PNode.Bind b && b.inner() == null ? arg
                    : new PNode.Bind(s.index(), arg, null));
        }
        for (Decl.Let let : def.lets()) {
            for (int i = 0; i < let.names().size(); i++) {
                String n = let.names().get(i);
                if (n != null) {
                    inner.lets.put(n, let);
                }
            }
        }
        return exprs.expr(inner, def.result());
    }

    /** The defs being expanded around {@code scope}, outermost first (its prefix is {@code a#1.b#2.}). */
    private static List<String> expanding(Scope scope) {
        List<String> names = new ArrayList<>();
        for (String part : scope.prefix.split("\\.")) {
            if (!part.isEmpty()) {
                names.add(part.substring(0, part.indexOf('#')));
            }
        }
        return names;
    }
}
