package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.ElementType;

/**
 * Checks on a node's constant operands and results shared by the evaluators; each failure is a
 * {@link NotFoldable} naming why, so the node stays as it is.
 */
final class Operands {
    private Operands() {
    }

    /** Fails when a result of shape {@code dims} would exceed {@link ConstantEvaluator#MAX_RESULT_ELEMENTS}. */
    static void checkSize(long[] dims) {
        long n;
        try {
            n = ShapeMath.count(dims);
        } catch (ArithmeticException e) {
            throw new NotFoldable("too-large");
        }
        if (n > ConstantEvaluator.MAX_RESULT_ELEMENTS || n < 0) {
            throw new NotFoldable("too-large");
        }
    }

    static UnpackedConstant required(UnpackedConstant t) {
        if (t == null) {
            throw new NotFoldable("missing-input");
        }
        return t;
    }

    static long[] intsOf(UnpackedConstant t) {
        long[] v = required(t).longsOrNull();
        if (v == null) {
            throw new NotFoldable("bad-operand");
        }
        return v;
    }

    /** Rounds a double to the precision of a float element type. */
    static double round(ElementType t, double v) {
        return t == ElementType.FLOAT ? (double) (float) v : v;
    }

    static long checkRange(ElementType t, long v) {
        if (t == ElementType.INT32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new NotFoldable("overflow");
        }
        return v;
    }

    static void sameType(UnpackedConstant a, UnpackedConstant b) {
        if (a.type != b.type) {
            throw new NotFoldable("mixed-types");
        }
    }

    static long[] broadcastOrFail(long[]... shapes) {
        long[] out = ShapeMath.broadcast(shapes);
        if (out == null) {
            throw new NotFoldable("incompatible-shapes");
        }
        checkSize(out);
        return out;
    }
}
