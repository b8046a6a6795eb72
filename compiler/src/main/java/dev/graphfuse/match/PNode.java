package dev.graphfuse.match;

import dev.graphfuse.dsl.ast.Constraint;
import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/**
 * A compiled value pattern, what the matcher executes. Names are resolved to slots; defs are
 * inlined; each node keeps its source location for {@code explain}.
 */
public sealed interface PNode {
    SourceLocation location();

    /**
     * A value produced by an op of kind {@code op} (output {@code 0}, or {@code outputIndex} under a
     * tuple {@code let}). {@code optional}: the op may be absent and its first operand matched instead.
     * {@code shared}: the node may have users outside the match.
     */
    record Op(OpSignature op, boolean optional, boolean shared, List<PNode> args, boolean restArgs,
              List<AttrCheck> attributes, SourceLocation location) implements PNode {
        public Op {
            args = List.copyOf(args);
            attributes = List.copyOf(attributes);
        }
    }

    /** Output {@code index} of the node bound to {@code nodeSlot}, which {@code op} matches. */
    record Output(int nodeSlot, int index, Op op, SourceLocation location) implements PNode {
    }

    /** Binds {@code slot} on first use (after matching {@code inner}, if any); later uses compare. */
    record Bind(int slot, PNode inner, Constraint constraint, SourceLocation location) implements PNode {
    }

    /** Any value meeting {@code constraint} (may be null), not bound. */
    record Any(Constraint constraint, SourceLocation location) implements PNode {
    }

    /** A constant whose every element is within tolerance of {@code values} (one value repeats). */
    record Const(double[] values, boolean list, double tolerance, SourceLocation location) implements PNode {
    }

    record Alt(List<PNode> alternatives, SourceLocation location) implements PNode {
        public Alt {
            alternatives = List.copyOf(alternatives);
        }
    }

    /** One {@code name = pattern} check on a node's attribute (the schema default when absent). */
    record AttrCheck(String name, OpSignature.AttrSpec spec, Kind kind, Object value, double tolerance, int slot,
                     SourceLocation location) {
        public enum Kind { EQUALS, ANY, CAPTURE }
    }
}
