package dev.graphfuse.text.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/**
 * An attribute value as written; which form fits is decided by the attribute's kind. Each keeps its
 * source text (without spaces), for messages that show what was found.
 */
public sealed interface AttrValue {
    String text();

    SourceLocation at();

    /** {@code @name}: a reference to an attribute of the enclosing function. */
    record Ref(Name name, String text, SourceLocation at) implements AttrValue {
    }

    record Scalar(Literal literal, String text, SourceLocation at) implements AttrValue {
    }

    record ListOf(List<AttrValue> items, String text, SourceLocation at) implements AttrValue {
        public ListOf {
            items = List.copyOf(items);
        }
    }

    record TensorValue(TensorLiteral tensor, String text, SourceLocation at) implements AttrValue {
    }

    record GraphValue(GraphDecl graph, String text, SourceLocation at) implements AttrValue {
    }

    record TypeValue(TypeExpr type, String text, SourceLocation at) implements AttrValue {
    }
}
