package dev.graphfuse.diag;

import java.util.List;

/**
 * One problem in an input, printed as {@code LOCATION: error: message} followed by one
 * {@code LOCATION: note: …} line per note (e.g. where a conflicting name was declared). Each line
 * stays one line whatever the input held ({@link Quote#oneLine}), so a terminal or a log reads it
 * as written.
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
        line(sb, location, severity.word(), message);
        for (Note n : notes) {
            line(sb.append('\n'), n.location(), "note", n.message());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, SourceLocation at, String word, String message) {
        String where = at == null ? "" : at.toString();
        if (!where.isEmpty()) {
            sb.append(where).append(": ");
        }
        sb.append(word).append(": ").append(Quote.oneLine(message));
    }
}
