package dev.graphfuse.text.ast;

/** One dimension of a shape as written. */
public sealed interface DimExpr {
    /** A number; {@code sign} is the '-' before it, or null; {@code text} as written, for messages. */
    record Fixed(Lexeme sign, Lexeme value, String text) implements DimExpr {
    }

    /** A symbolic dimension (an empty name reads as unknown). */
    record Symbolic(Name name) implements DimExpr {
    }

    /** {@code ?}. */
    record Unknown() implements DimExpr {
    }
}
