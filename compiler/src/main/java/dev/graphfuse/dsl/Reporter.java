package dev.graphfuse.dsl;

import dev.graphfuse.diag.Diagnostic;
import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** Where the checks of one library load put the errors they find (shared by every pattern, in order). */
final class Reporter {
    private final List<Diagnostic> diagnostics;

    Reporter(List<Diagnostic> diagnostics) {
        this.diagnostics = diagnostics;
    }

    void error(SourceLocation loc, String message, Diagnostic.Note... notes) {
        diagnostics.add(new Diagnostic(loc, message, List.of(notes)));
    }

    /** How many errors so far: a check compares counts to tell whether it found one. */
    int count() {
        return diagnostics.size();
    }
}
