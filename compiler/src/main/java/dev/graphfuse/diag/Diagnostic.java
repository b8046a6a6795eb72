package dev.graphfuse.diag;

import java.util.List;

/**
 * One problem in an input file, printed as {@code file:line:col: error: message} followed by one
 * {@code file:line:col: note: …} line per note (e.g. where a conflicting name was declared).
 */
public record Diagnostic(Severity severity, SourceLocation location, String message, List<Note> notes) {
    public enum Severity {
        ERROR, WARNING;

        /** The word printed before the message. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Diagnostic {
        notes = List.copyOf(notes);
    }

    /** An error with notes. */
    public Diagnostic(SourceLocation location, String message, List<Note> notes) {
        this(Severity.ERROR, location, message, notes);
    }

    /** An error. */
    public Diagnostic(SourceLocation location, String message) {
        this(Severity.ERROR, location, message, List.of());
    }

    /** More about a diagnostic, at another place (or none). */
    public record Note(SourceLocation location, String message) {
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(location).append(": ").append(severity.word()).append(": ").append(message);
        for (Note n : notes) {
            sb.append('\n');
            if (n.location() != null) {
                sb.append(n.location()).append(": ");
            }
            sb.append("note: ").append(n.message());
        }
        return sb.toString();
    }
}
