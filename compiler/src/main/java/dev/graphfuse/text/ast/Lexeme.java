package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;

/**
 * One token as written: a string keeps its quotes and escapes, a number its digits. The reader
 * decodes them, so that what is malformed is reported in the order the IR is built.
 */
public record Lexeme(String text, SourceLocation at) {
}
