package dev.graphfuse.dsl;

import dev.graphfuse.ir.Attribute;
import java.util.Locale;

/**
 * The static type of an attribute expression: an attribute kind, or {@code number} (an int or a float,
 * known at match time: a constant's contents) or {@code list} (ints or floats).
 */
enum AttrType {
    INT, FLOAT, NUMBER, INTS, FLOATS, LIST, STRING,
    // the other attribute kinds, which an attribute capture may have
    STRINGS, TENSOR, TENSORS, GRAPH, GRAPHS, SPARSE_TENSOR, SPARSE_TENSORS, TYPE, TYPES;

    static AttrType of(Attribute.Kind kind) {
        return valueOf(kind.name());
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    boolean scalar() {
        return this == INT || this == FLOAT || this == NUMBER;
    }

    /** Whether an attribute of kind {@code target} can be set from a value of this type. */
    boolean assignableTo(Attribute.Kind target) {
        return switch (this) {
            case INT -> target == Attribute.Kind.INT || target == Attribute.Kind.FLOAT;
            case INTS -> target == Attribute.Kind.INTS || target == Attribute.Kind.FLOATS;
            case NUMBER -> target == Attribute.Kind.INT || target == Attribute.Kind.FLOAT;
            case LIST -> target == Attribute.Kind.INTS || target == Attribute.Kind.FLOATS;
            default -> name().equals(target.name());
        };
    }

    /** {@code kind} with its article, as messages say it ("an int", "a float"). */
    static String article(String kind) {
        return kind.equals("int") || kind.equals("ints") ? "an " + kind : "a " + kind;
    }
}
