package dev.graphfuse.match;

import dev.graphfuse.diag.SourceLocation;

/**
 * A name a pattern binds: a value, an attribute, a symbolic dimension, or (hidden) the node of a
 * tuple {@code let}. {@code constant}: the value is constrained to be a constant, so its number may
 * be used as an attribute.
 */
public record Slot(int index, String name, Kind kind, String attrKind, boolean constant, SourceLocation location) {
    public enum Kind { VALUE, ATTR, DIM, NODE }
}
