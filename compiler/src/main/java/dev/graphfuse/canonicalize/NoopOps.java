package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;

/**
 * Nodes whose output is one of their inputs, bit for bit, besides the views: dynamo without its
 * optimizer writes {@code copy_} as CastLike to the type the value already has and keeps
 * {@code cos · attention_scaling} with a scaling of 1, and patterns should not have to spell either.
 */
final class NoopOps {
    private NoopOps() {
    }

    /** CastLike(x, like) where x already has like's element type. */
    static boolean isCastLikeNoop(Node n, StaticTypes types) {
        if (n.inputCount() != 2) {
            return false;
        }
        ElementType from = types.elementType(n.input(0));
        return from != null && from == types.elementType(n.input(1));
    }

    /**
     * The operand of Mul(x, 1) that is the result, or null: the other operand is a constant one of the
     * same element type that does not broadcast x to a larger shape (one element, rank ≤ x's rank).
     * x · 1 is x exactly in IEEE arithmetic, NaN and infinities included.
     */
    static Value mulByOneKept(Node n, StaticTypes types) {
        if (n.inputCount() != 2 || n.input(0) == null || n.input(1) == null) {
            return null;
        }
        for (int one = 0; one < 2; one++) {
            Value x = n.input(1 - one);
            Tensor t = n.input(one).constant();
            long[] xd = types.dims(x);
            if (t == null || xd == null || t.elementType() != types.elementType(x) || t.elementCount() != 1
                    || t.dims().length > xd.length) {
                continue;
            }
            if (t.getDouble(0) == 1.0) {
                return x;
            }
        }
        return null;
    }
}
