package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.ast.Expr;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.PNode;
import dev.graphfuse.match.Slot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one pattern against the declarations in scope and compiles it. Every problem a match could hit
 * because of how the pattern is written (unknown op, attribute or name; wrong arity; kind clashes) is
 * reported here, when the library loads. The work is done by {@link ExprCompiler} (value patterns, with
 * {@link DefInliner}), {@link ReplacementChecker} (requires and the replacement) and {@link PatternShape}.
 */
final class PatternCompiler {
    private final Reporter reporter;
    private final Bindings bindings;
    private final ExprCompiler exprs;
    private final ReplacementChecker replacements;

    PatternCompiler(Declarations decls, Reporter reporter) {
        this.reporter = reporter;
        this.bindings = new Bindings(reporter);
        this.exprs = new ExprCompiler(decls, bindings, reporter);
        this.replacements = new ReplacementChecker(decls, bindings, reporter);
    }

    /** The compiled pattern, or null after reporting why it does not compile. */
    CompiledPattern compile(Decl.Pattern p) {
        exprs.inliner.startPattern(p);
        int before = reporter.count();
        Scope scope = new Scope(null, "");
        declareLets(scope, p.lets());
        Decl.Replace r = p.replace();
        List<PNode> roots = new ArrayList<>();
        List<Set<Integer>> boundByRoot = new ArrayList<>();
        Map<String, SourceLocation> seenRoots = new HashMap<>();
        for (int ri = 0; ri < r.roots().size(); ri++) {
            PNode node = root(scope, r.roots().get(ri), r.rootLocations().get(ri), seenRoots);
            if (node == null) {
                bindings.incomplete = true;
                continue;
            }
            roots.add(node);
            Set<Integer> bound = new LinkedHashSet<>();
            PatternShape.collectSlots(node, bound, new IdentityHashMap<>());
            boundByRoot.add(bound);
        }
        Set<Integer> matchedSlots = new LinkedHashSet<>();
        for (Set<Integer> s : boundByRoot) {
            matchedSlots.addAll(s);
        }
        if (bindings.incomplete || reporter.count() > before) {
            // A root did not compile; what it would have bound is unknown, so do not report derived errors.
            for (Slot s : bindings.slots) {
                matchedSlots.add(s.index());
            }
        }
        for (Decl.Let let : bindings.incomplete ? List.<Decl.Let>of() : p.lets()) {
            for (String n : let.names()) {
                if (n != null && !scope.compiledLets.containsKey(n) && reporter.count() == before) {
                    reporter.error(let.location(), "'" + n + "' is not part of the matched graph: no root uses it");
                }
            }
        }
        exprs.inliner.checkSize(p);
        List<CompiledPattern.Require> requires = new ArrayList<>();
        for (Decl.Require req : p.requires()) {
            requires.add(replacements.require(req, matchedSlots));
        }
        CompiledPattern.Replacement replacement = replacements.replacement(r, matchedSlots, roots.size());
        if (reporter.count() > before) {
            return null;
        }
        List<List<CompiledPattern.Anchor>> anchors = anchors(r, roots, boundByRoot);
        if (anchors == null) {
            return null;
        }
        int benefit = p.benefit() != null ? p.benefit() : PatternShape.countOps(roots);
        return new CompiledPattern(p.name(), p.doc(), benefit, roots, bindings.slots, bindings.slotsByName, requires,
                replacement, anchors, p.location().toString());
    }

    private void declareLets(Scope scope, List<Decl.Let> lets) {
        for (Decl.Let let : lets) {
            for (String n : let.names()) {
                if (n == null) {
                    continue;
                }
                bindings.letNames.add(n);
                Decl.Let prev = scope.lets.put(n, let);
                if (prev != null) {
                    reporter.error(let.location(), "'" + n + "' is already defined", new Diagnostic.Note(prev.location(),
                            "previous definition of '" + n + "' is here"));
                }
            }
        }
    }

    /** The root named {@code root}, compiled; null after reporting why it is not a root. */
    private PNode root(Scope scope, String root, SourceLocation rootLoc, Map<String, SourceLocation> seenRoots) {
        SourceLocation prevRoot = seenRoots.putIfAbsent(root, rootLoc);
        if (prevRoot != null) {
            reporter.error(rootLoc, "root '" + root + "' is replaced twice", new Diagnostic.Note(prevRoot,
                    "'" + root + "' is first listed here"));
            return null;
        }
        Decl.Let let = scope.lets.get(root);
        if (let == null) {
            reporter.error(rootLoc, root.equals("_") ? "a root cannot be '_'; name the value the replacement takes over"
                    : "root '" + root + "' must be a name bound by 'let' to an operation");
            return null;
        }
        PNode node = exprs.resolveLet(scope, root, let.location());
        if (node == null) {
            return null;
        }
        if (CompiledPattern.rootOps(node).isEmpty()) {
            reporter.error(let.location(), "root '" + root + "' must be an operation, not a captured value or constant");
            return null;
        }
        if (!PatternShape.alwaysAnOp(node)) {
            // An alternative without an op (or an optional op over a capture) could match with no node at all.
            reporter.error(let.location(), "root '" + root + "' must be produced by an operation in every alternative; "
                    + "here it can match a value that no matched operation produces");
            return null;
        }
        return node;
    }

    /** Where each root after the first is searched from; null after reporting a root connected to none before it. */
    private List<List<CompiledPattern.Anchor>> anchors(Decl.Replace r, List<PNode> roots,
                                                       List<Set<Integer>> boundByRoot) {
        List<List<CompiledPattern.Anchor>> anchors = new ArrayList<>();
        for (int i = 1; i < roots.size(); i++) {
            Set<Integer> earlier = new LinkedHashSet<>();
            for (int j = 0; j < i; j++) {
                earlier.addAll(boundByRoot.get(j));
            }
            List<CompiledPattern.Anchor> list = new ArrayList<>();
            PatternShape.collectAnchors(roots.get(i), 0, earlier, list, new IdentityHashMap<>());
            if (list.isEmpty()) {
                reporter.error(r.rootLocations().get(i), "root '" + r.roots().get(i) + "' shares no captured value "
                        + "with the roots before it; a multi-root pattern's roots must be connected");
                return null;
            }
            anchors.add(PatternShape.deepestPerSlot(list));
        }
        return anchors;
    }

    Set<String> usedDefs() {
        return exprs.inliner.usedDefs();
    }

    /** Checks a def no pattern uses, as if called with a fresh capture per parameter. */
    void checkDef(Decl.Def def) {
        List<Expr> args = new ArrayList<>();
        for (String param : def.params()) {
            args.add(new Expr.Capture(param, null, def.location()));
        }
        exprs.inliner.expand(new Scope(null, ""),
                new Expr.Call(def.name(), false, false, args, false, List.of(), def.location()), def);
    }
}
