package dev.graphfuse.match;

import java.util.List;

/**
 * An attribute expression compiled for match time ({@code num_heads = H}, {@code dim(q, -1) / 2}): names
 * are slot indices and functions are {@link BuiltinFunction}s, so evaluating it walks this tree only.
 */
public sealed interface AttrCode {
    /** A Long, a Double or a String. */
    record Literal(Object value) implements AttrCode {
    }

    /** What slot {@code slot} is bound to; {@code name} is for the message when it is not bound (-1: never is). */
    record SlotRef(int slot, String name) implements AttrCode {
    }

    record Negate(AttrCode operand) implements AttrCode {
    }

    /** One of {@code + - * / %}. */
    record Operator(char op, AttrCode left, AttrCode right) implements AttrCode {
    }

    record ListOf(List<AttrCode> elements) implements AttrCode {
        public ListOf {
            elements = List.copyOf(elements);
        }
    }

    record Builtin(BuiltinFunction function, List<AttrCode> args) implements AttrCode {
        public Builtin {
            args = List.copyOf(args);
        }
    }
}
