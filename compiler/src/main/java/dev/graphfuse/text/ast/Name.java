package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/** A name: an identifier or keyword as written, or a quoted string (to be decoded). */
public record Name(Lexeme lexeme, boolean quoted) {
    public SourceLocation at() {
        return lexeme.at();
    }
}
