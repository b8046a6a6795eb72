package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/**
 * A scalar literal: an optionally negative number or identifier (inf, nan), or a string.
 *
 * @param sign  the '-' before the value, or null
 * @param text  the literal as written, sign included, for messages
 */
public record Literal(Lexeme sign, Kind kind, Lexeme value, String text, SourceLocation at) {
    public enum Kind { INT, FLOAT, ID, STRING }

    public boolean is(Kind k) {
        return kind == k;
    }
}
