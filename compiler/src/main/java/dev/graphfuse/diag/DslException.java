package dev.graphfuse.diag;

import java.util.List;
import java.util.stream.Collectors;

/** A pattern library failed to load; every diagnostic found, in source order. The CLI exits 2. */
public final class DslException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public DslException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Several libraries' failures as one, their diagnostics in order. */
    public static DslException combine(List<DslException> failures) {
        List<Diagnostic> all = new java.util.ArrayList<>();
        failures.forEach(f -> all.addAll(f.diagnostics));
        return new DslException(all);
    }
}
