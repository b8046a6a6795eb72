package dev.graphfuse.dsl;

import dev.graphfuse.dsl.ast.SourceLocation;
import java.util.List;

/**
 * One error in a .fuse file, printed as {@code file:line:col: error: message} followed by one
 * {@code file:line:col: note: …} line per note (e.g. where a conflicting name was declared).
 */
public record Diagnostic(SourceLocation location, String message, List<Note> notes) {
    public Diagnostic {
        notes = List.copyOf(notes);
    }

    public Diagnostic(SourceLocation location, String message) {
        this(location, message, List.of());
    }

    public record Note(SourceLocation location, String message) {
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(location).append(": error: ").append(message);
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
