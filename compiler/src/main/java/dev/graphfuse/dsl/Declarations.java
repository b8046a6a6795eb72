package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.diag.SourceLocation;
import dev.graphfuse.match.NativePredicate;
import dev.graphfuse.match.OpSignature;
import java.util.Map;
import java.util.Set;

/**
 * What a pattern is checked against: the op signatures (and where each is declared), the defs, the
 * declared predicates and their Java implementations.
 *
 * @param brokenOps ops whose declaration had errors (reported there); their uses are not reported again
 */
record Declarations(Map<String, OpSignature> ops, Map<String, SourceLocation> opLocations, Set<String> brokenOps,
                    Map<String, Decl.Def> defs, Map<String, Decl.Predicate> predicates,
                    Map<String, NativePredicate> implementations) {
    /** The note pointing at {@code sig}'s declaration. */
    Diagnostic.Note declaredHere(OpSignature sig) {
        return new Diagnostic.Note(opLocations.get(sig.qualifiedName()), sig.qualifiedName() + " is declared here");
    }
}
