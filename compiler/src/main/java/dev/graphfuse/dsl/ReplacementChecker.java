package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.NativePredicate;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.Slot;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what a pattern does with a match: its {@code require} calls (declared, implemented, given the
 * right arguments) and its replacement (a declared op, operands that are matched values but not roots,
 * attributes of the schema's kinds).
 */
final class ReplacementChecker {
    private final Declarations decls;
    private final Bindings bindings;
    private final Reporter reporter;
    private final AttrTypes types;

    ReplacementChecker(Declarations decls, Bindings bindings, Reporter reporter) {
        this.decls = decls;
        this.bindings = bindings;
        this.reporter = reporter;
        this.types = new AttrTypes(bindings, reporter);
    }

    /** "1 is given", "2 are given". */
    static String given(int n) {
        return n + (n == 1 ? " is given" : " are given");
    }

    CompiledPattern.Require require(Decl.Require r, Set<Integer> matchedSlots) {
        Decl.Predicate decl = decls.predicates().get(r.predicate());
        if (decl == null) {
            reporter.error(r.location(), "unknown predicate '" + r.predicate() + "'; declare it with 'predicate "
                    + r.predicate() + "(…);'");
            return null;
        }
        if (decl.params().size() != r.args().size()) {
            reporter.error(r.location(), "predicate '" + r.predicate() + "' takes " + decl.params().size()
                    + (decl.params().size() == 1 ? " argument" : " arguments") + ", but " + given(r.args().size()),
                    new Diagnostic.Note(decl.location(), "'" + r.predicate() + "' is declared here"));
        }
        NativePredicate impl = decls.implementations().get(r.predicate());
        if (impl == null) {
            reporter.error(r.location(), "predicate '" + r.predicate() + "' has no Java implementation registered",
                    new Diagnostic.Note(decl.location(), "'" + r.predicate() + "' is declared here"));
        }
        for (AttrExpr a : r.args()) {
            types.checkRefs(a, matchedSlots);
        }
        return new CompiledPattern.Require(r.predicate(), impl, r.negated(),
                AttrCodeCompiler.all(r.args(), bindings.slotsByName));
    }

    CompiledPattern.Replacement replacement(Decl.Replace r, Set<Integer> matchedSlots, int rootCount) {
        String qualified = r.domain().isEmpty() ? r.op() : r.domain() + "." + r.op();
        OpSignature sig = decls.ops().get(qualified);
        if (sig == null) {
            reporter.error(r.opLocation(), "unknown op '" + qualified + "'; declare the replacement op with 'op "
                    + qualified + "(…);'");
            return null;
        }
        Diagnostic.Note declared = decls.declaredHere(sig);
        int outs = sig.outputs().size();
        if (!sig.variadicOutputs() && rootCount > outs) {
            reporter.error(r.opLocation(), sig.qualifiedName() + " has " + outs + (outs == 1 ? " output" : " outputs")
                    + ", but " + rootCount + " roots are replaced", declared);
        }
        int n = r.inputs().size();
        if (n < sig.minInputs() || (sig.maxInputs() >= 0 && n > sig.maxInputs())) {
            reporter.error(r.opLocation(), sig.qualifiedName() + " takes "
                    + ExprCompiler.arity(sig.minInputs(), sig.maxInputs()) + ", but " + given(n), declared);
        }
        List<Integer> inputSlots = inputSlots(r, sig, matchedSlots, declared);
        List<CompiledPattern.AttrAssign> attrs = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        for (Decl.AttrAssign a : r.attributes()) {
            OpSignature.AttrSpec spec = sig.attributes().get(a.name());
            if (spec == null) {
                reporter.error(a.location(), "unknown attribute '" + a.name() + "' for " + sig.qualifiedName(), declared);
                continue;
            }
            if (!given.add(a.name())) {
                reporter.error(a.location(), "attribute '" + a.name() + "' is given twice");
                continue;
            }
            AttrType type = types.typeOf(a.value(), matchedSlots);
            if (type != null && !type.assignableTo(spec.kind())) {
                reporter.error(a.value().location(), "attribute '" + a.name() + "' of " + sig.qualifiedName() + " is "
                        + AttrType.article(spec.kind().keyword()) + ", but this is " + AttrType.article(type.word()),
                        declared);
            }
            attrs.add(new CompiledPattern.AttrAssign(a.name(), spec.kind(),
                    AttrCodeCompiler.compile(a.value(), bindings.slotsByName)));
        }
        for (OpSignature.AttrSpec spec : sig.attributes().values()) {
            if (!spec.optional() && spec.defaultValue() == null && !given.contains(spec.name())) {
                reporter.error(r.opLocation(), "missing attribute '" + spec.name() + "' for " + sig.qualifiedName(),
                        declared);
            }
        }
        return new CompiledPattern.Replacement(sig, inputSlots, attrs);
    }

    /** The slot of each operand of the replacement (-1 for an omitted one), after checking it is a matched value. */
    private List<Integer> inputSlots(Decl.Replace r, OpSignature sig, Set<Integer> matchedSlots,
                                     Diagnostic.Note declared) {
        List<Integer> inputSlots = new ArrayList<>();
        for (int i = 0; i < r.inputs().size(); i++) {
            String in = r.inputs().get(i);
            if (in == null) {
                OpSignature.Port port = i < sig.inputs().size() ? sig.inputs().get(i)
                        : sig.inputs().isEmpty() ? null : sig.inputs().get(sig.inputs().size() - 1);
                if (port != null && !port.optional()) {
                    reporter.error(r.inputLocations().get(i), "operand " + (i + 1) + " of " + sig.qualifiedName()
                            + " ('" + port.name() + "') is required; '_' leaves out optional operands only", declared);
                }
                inputSlots.add(-1);
                continue;
            }
            SourceLocation at = r.inputLocations().get(i);
            Slot s = bindings.reference(in, at, matchedSlots, " in the replacement");
            if (s == null) {
                continue;
            }
            if (s.kind() != Slot.Kind.VALUE) {
                reporter.error(at, "'" + in + "' is " + Bindings.describeKind(s.kind(), s.attrKind())
                        + "; operands of the replacement must be values");
                continue;
            }
            if (r.roots().contains(in)) {
                reporter.error(at, "'" + in + "' is a root: the replacement produces it, so it cannot also be an operand");
                continue;
            }
            inputSlots.add(s.index());
        }
        return inputSlots;
    }
}
