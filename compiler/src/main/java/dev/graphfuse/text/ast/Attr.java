package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/** {@code name: kind = value} in an attribute block; the kind keyword is checked by the reader. */
public record Attr(Name name, Lexeme kind, AttrValue value, SourceLocation at) {
}
