package dev.graphfuse.diag;

/**
 * Where in an input a diagnostic points: a file and either a position in it (line and column,
 * 1-based; line 0 when there is none) or a named element of it, such as the ONNX importer's field
 * paths ({@code graph.node[3].attribute[0]}), a JSON field or a command-line option; or just the
 * file. Binary inputs have no lines, so both forms are needed; they print as {@code FILE:LINE:COL}
 * and {@code FILE: ELEMENT}.
 */
public record SourceLocation(String file, int line, int column, String element) {
    /** A position in a text file. */
    public SourceLocation(String file, int line, int column) {
        this(file, line, column, null);
    }

    /**
     * A location given as text: {@code where} is {@code LINE:COL}, an element's name, or null for the
     * whole file. The form {@link BadInputException}'s callers have always written.
     */
    public static SourceLocation of(String file, String where) {
        if (where != null && where.matches("[1-9]\\d{0,8}:\\d{1,9}")) {
            int colon = where.indexOf(':');
            return new SourceLocation(file, Integer.parseInt(where.substring(0, colon)),
                    Integer.parseInt(where.substring(colon + 1)));
        }
        return new SourceLocation(file, 0, 0, where);
    }

    public boolean hasPosition() {
        return line > 0;
    }

    /** The part after the file: {@code LINE:COL}, the element, or null for the whole file. */
    public String where() {
        return hasPosition() ? line + ":" + column : element;
    }

    /**
     * {@code FILE:LINE:COL}, {@code FILE: ELEMENT} or {@code FILE}, either part left out when absent,
     * kept on one line ({@link Quote#oneLine}): a path or a field name may hold a line break.
     */
    @Override
    public String toString() {
        String where = where() == null || where().isEmpty() ? null : Quote.oneLine(where());
        if (file == null || file.isEmpty()) {
            return where == null ? "" : where;
        }
        String f = Quote.oneLine(file);
        return where == null ? f : f + (hasPosition() ? ":" : ": ") + where;
    }
}
