package dev.graphfuse.dsl.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** An attribute value computed at rewrite time from captures ({@code num_heads = H}, {@code dim(q, -1) / 2}). */
public sealed interface AttrExpr {
    SourceLocation location();

    record Number(double value, boolean integral, SourceLocation location) implements AttrExpr {
    }

    record Text(String value, SourceLocation location) implements AttrExpr {
    }

    record Ref(String name, SourceLocation location) implements AttrExpr {
    }

    record Negate(AttrExpr operand, SourceLocation location) implements AttrExpr {
    }

    record Binary(char op, AttrExpr left, AttrExpr right, SourceLocation location) implements AttrExpr {
    }

    record ListOf(List<AttrExpr> elements, SourceLocation location) implements AttrExpr {
        public ListOf {
            elements = List.copyOf(elements);
        }
    }

    /** A built-in function such as {@code dim(x, i)}, {@code rank(x)}, {@code len(l)}. */
    record Call(String function, List<AttrExpr> args, SourceLocation location) implements AttrExpr {
        public Call {
            args = List.copyOf(args);
        }
    }
}
