package dev.graphfuse.diag;

/** Where a piece of an input file starts; line and column are 1-based. */
public record SourceLocation(String file, int line, int column) {
    public static final SourceLocation BUILTIN = new SourceLocation("<builtin>", 0, 0);

    /** {@code LINE:COL}, the location part of a {@link BadInputException} for a text input. */
    public String lineColumn() {
        return line + ":" + column;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
