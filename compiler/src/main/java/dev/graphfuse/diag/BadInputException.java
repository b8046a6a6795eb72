package dev.graphfuse.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An input is malformed: a model, a text graph, a pattern library, a request file or an option.
 * It carries every diagnostic found, in source order; the message is their lines
 * ({@code FILE:LINE:COL: error: WHAT} for text inputs, {@code FILE: ELEMENT: error: WHAT} for
 * binary ones, then any notes). One exception for all front ends, so that callers and the CLI
 * (which prints the message and exits 2) need not know which one failed.
 */
public final class BadInputException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public BadInputException(List<Diagnostic> diagnostics) {
        this(diagnostics, null);
    }

    public BadInputException(Diagnostic diagnostic) {
        this(List.of(diagnostic), null);
    }

    /** One error in {@code file} at {@code location}: {@code LINE:COL}, an element's name, or null (see {@link SourceLocation#of}). */
    public BadInputException(String file, String location, String detail) {
        this(file, location, detail, null);
    }

    public BadInputException(String file, String location, String detail, Throwable cause) {
        this(List.of(new Diagnostic(SourceLocation.of(file, location), detail)), cause);
    }

    private BadInputException(List<Diagnostic> diagnostics, Throwable cause) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")), cause);
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("a BadInputException needs at least one diagnostic");
        }
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Several inputs' failures as one, their diagnostics in order. */
    public static BadInputException combine(List<BadInputException> failures) {
        List<Diagnostic> all = new ArrayList<>();
        failures.forEach(f -> all.addAll(f.diagnostics));
        return new BadInputException(all);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The first diagnostic's file, as given. */
    public String file() {
        return diagnostics.get(0).location().file();
    }

    /** Where in {@link #file()} the first diagnostic points, as given: {@code LINE:COL}, an element, or null. */
    public String location() {
        return diagnostics.get(0).location().where();
    }

    /** What is wrong, without the location: the first diagnostic's message. */
    public String detail() {
        return diagnostics.get(0).message();
    }
}
