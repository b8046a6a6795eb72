package dev.graphfuse.match;

import java.util.List;

/** A compiled value pattern, what the matcher executes. Names are resolved to slots; defs are inlined. */
public sealed interface PNode {
    /**
     * A value produced by an op of kind {@code op} (output {@code 0}, or {@code outputIndex} under a
     * tuple {@code let}). {@code optional}: the op may be absent and its first operand matched instead.
     * {@code shared}: the node may have users outside the match.
     */
    record Op(OpSignature op, boolean optional, boolean shared, List<PNode> args, boolean restArgs,
              List<AttrCheck> attributes) implements PNode {
        public Op {
            args = List.copyOf(args);
            attributes = List.copyOf(attributes);
        }
    }

    /** Output {@code index} of the node bound to {@code nodeSlot}, which {@code op} matches. */
    record Output(int nodeSlot, int index, Op op) implements PNode {
    }

    /** Binds {@code slot} on first use (after matching {@code inner}, if any); later uses compare. */
    record Bind(int slot, PNode inner, ValueCheck check) implements PNode {
    }

    /** Any value meeting {@code check} (may be null), not bound. */
    record Any(ValueCheck check) implements PNode {
    }

    /** A constant whose every element is within tolerance of {@code values} (one value repeats). */
    record Const(double[] values, boolean list, double tolerance) implements PNode {
    }

    record Alt(List<PNode> alternatives) implements PNode {
        public Alt {
            alternatives = List.copyOf(alternatives);
        }
    }

    /** One {@code name = pattern} check on a node's attribute (the schema default when absent). */
    record AttrCheck(String name, OpSignature.AttrSpec spec, Kind kind, Object value, double tolerance, int slot) {
        public enum Kind { EQUALS, ANY, CAPTURE }
    }
}
