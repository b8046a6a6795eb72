package dev.graphfuse.dsl.ast;

/** Where a piece of a .fuse file starts; line and column are 1-based. */
public record SourceLocation(String file, int line, int column) {
    public static final SourceLocation BUILTIN = new SourceLocation("<builtin>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
