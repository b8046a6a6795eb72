package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;

/**
 * A name a pattern binds: a value, an attribute, a symbolic dimension, or (hidden) the node of a
 * tuple {@code let}. {@code attrKind}: an attribute's kind, once known. {@code constant}: the value is
 * constrained to be a constant, so its number may be used as an attribute.
 */
public record Slot(int index, String name, Kind kind, Attribute.Kind attrKind, boolean constant) {
    public enum Kind { VALUE, ATTR, DIM, NODE }
}
