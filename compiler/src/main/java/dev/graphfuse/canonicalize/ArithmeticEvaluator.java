package dev.graphfuse.canonicalize;

import static dev.graphfuse.canonicalize.Operands.broadcastOrFail;
import static dev.graphfuse.canonicalize.Operands.checkRange;
import static dev.graphfuse.canonicalize.Operands.checkSize;
import static dev.graphfuse.canonicalize.Operands.required;
import static dev.graphfuse.canonicalize.Operands.round;
import static dev.graphfuse.canonicalize.Operands.sameType;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Node;

/**
 * The arithmetic ops of {@link ConstantEvaluator} (Cast, Neg, Add, Sub, Mul, Div, Equal, Where,
 * Range): where numbers are computed, and so where ONNX Runtime's float32 and integer semantics
 * must be matched exactly.
 */
final class ArithmeticEvaluator {
    private ArithmeticEvaluator() {
    }

    static UnpackedConstant cast(UnpackedConstant x, Node n) {
        ElementType to = ElementType.fromCode((int) n.intAttribute("to", -1));
        if (to == null || !UnpackedConstant.supports(to)) {
            throw new NotFoldable("unsupported-type");
        }
        UnpackedConstant r = UnpackedConstant.allocate(to, x.dims);
        for (int i = 0; i < x.count(); i++) {
            if (x.isReal()) {
                double v = x.getDouble(i);
                if (UnpackedConstant.isReal(to)) {
                    r.setDouble(i, round(to, v));
                } else if (to == ElementType.BOOL) {
                    r.setLong(i, v != 0 || Double.isNaN(v) ? 1 : 0);
                } else {
                    // float → int truncates toward zero; NaN, infinities and out-of-range values are undefined
                    if (Double.isNaN(v) || v >= 0x1p63 || v < -0x1p63) {
                        throw new NotFoldable("float-to-int-out-of-range");
                    }
                    r.setLong(i, checkRange(to, (long) v));
                }
            } else {
                long v = x.getLong(i);
                if (to == ElementType.FLOAT) {
                    r.setDouble(i, (float) v);   // long → float rounds once, as a C++ static_cast does
                } else if (to == ElementType.DOUBLE) {
                    r.setDouble(i, (double) v);
                } else if (to == ElementType.BOOL) {
                    r.setLong(i, v != 0 ? 1 : 0);
                } else {
                    r.setLong(i, checkRange(to, v));
                }
            }
        }
        return r;
    }

    static UnpackedConstant neg(UnpackedConstant x) {
        if (x.type == ElementType.BOOL) {
            throw new NotFoldable("unsupported-type");
        }
        UnpackedConstant r = UnpackedConstant.allocate(x.type, x.dims);
        for (int i = 0; i < x.count(); i++) {
            if (x.isReal()) {
                r.setDouble(i, -x.getDouble(i));
            } else {
                r.setLong(i, checkRange(x.type, Math.negateExact(x.getLong(i))));
            }
        }
        return r;
    }

    static UnpackedConstant binary(String op, UnpackedConstant a, UnpackedConstant b) {
        sameType(required(a), required(b));
        boolean compare = op.equals("Equal");
        if (a.type == ElementType.BOOL && !compare) {
            throw new NotFoldable("unsupported-type");
        }
        long[] out = broadcastOrFail(a.dims, b.dims);
        UnpackedConstant r = UnpackedConstant.allocate(compare ? ElementType.BOOL : a.type, out);
        for (int i = 0; i < r.count(); i++) {
            int ia = ShapeMath.broadcastSource(i, out, a.dims);
            int ib = ShapeMath.broadcastSource(i, out, b.dims);
            if (a.isReal()) {
                double x = a.getDouble(ia);
                double y = b.getDouble(ib);
                if (compare) {
                    r.setLong(i, x == y ? 1 : 0);
                    continue;
                }
                // float32 +-*/ done in double and rounded once equal the float32 operation: double has
                // more than twice float's significand bits, so the double rounding is innocuous
                double v = switch (op) {
                    case "Add" -> x + y;
                    case "Sub" -> x - y;
                    case "Mul" -> x * y;
                    default -> x / y;
                };
                r.setDouble(i, round(a.type, v));
            } else {
                long x = a.getLong(ia);
                long y = b.getLong(ib);
                long v = switch (op) {
                    case "Equal" -> x == y ? 1 : 0;
                    case "Add" -> Math.addExact(x, y);
                    case "Sub" -> Math.subtractExact(x, y);
                    case "Mul" -> Math.multiplyExact(x, y);
                    default -> divide(x, y);
                };
                r.setLong(i, compare ? v : checkRange(a.type, v));
            }
        }
        return r;
    }

    /**
     * ONNX Runtime divides integers like C++ (truncating toward zero), and the ONNX reference
     * implementation did floor division until it was changed to match. The two agree whenever the
     * division is exact or the operands have the same sign, so only those cases are folded.
     */
    private static long divide(long x, long y) {
        if (y == 0) {
            throw new NotFoldable("division-by-zero");
        }
        if (x % y != 0 && (x < 0) != (y < 0)) {
            throw new NotFoldable("inexact-negative-division");
        }
        if (x == Long.MIN_VALUE && y == -1) {
            throw new NotFoldable("overflow");
        }
        return x / y;
    }

    static UnpackedConstant where(UnpackedConstant c, UnpackedConstant x, UnpackedConstant y) {
        sameType(required(x), required(y));
        if (required(c).type != ElementType.BOOL) {
            throw new NotFoldable("bad-operand");
        }
        long[] out = broadcastOrFail(c.dims, x.dims, y.dims);
        UnpackedConstant r = UnpackedConstant.allocate(x.type, out);
        for (int i = 0; i < r.count(); i++) {
            boolean pick = c.getLong(ShapeMath.broadcastSource(i, out, c.dims)) != 0;
            UnpackedConstant src = pick ? x : y;
            r.set(i, src, ShapeMath.broadcastSource(i, out, src.dims));
        }
        return r;
    }

    static UnpackedConstant range(UnpackedConstant start, UnpackedConstant limit, UnpackedConstant delta) {
        sameType(required(start), required(limit));
        sameType(start, required(delta));
        if (start.count() != 1 || limit.count() != 1 || delta.count() != 1 || start.type == ElementType.BOOL) {
            throw new NotFoldable("bad-operand");
        }
        if (start.isReal()) {
            // ONNX Runtime accumulates (v += delta), the reference computes start + i * delta; they
            // agree when every value is an integer small enough to be exact in the element type
            double s = start.getDouble(0);
            double l = limit.getDouble(0);
            double d = delta.getDouble(0);
            if (d == 0 || !exactInteger(s) || !exactInteger(l) || !exactInteger(d)) {
                throw new NotFoldable("inexact-float-range");
            }
            long n = Math.max(0, (long) Math.ceil((l - s) / d));
            checkSize(new long[]{n});
            double[] v = new double[(int) n];
            for (int i = 0; i < n; i++) {
                v[i] = s + i * d;
                if (!exactInteger(v[i])) {
                    throw new NotFoldable("inexact-float-range");
                }
            }
            return UnpackedConstant.ofDoubles(start.type, new long[]{n}, v);
        }
        long s = start.getLong(0);
        long l = limit.getLong(0);
        long d = delta.getLong(0);
        if (d == 0) {
            throw new NotFoldable("bad-operand");
        }
        long n = d > 0 ? (l > s ? ShapeMath.ceilDiv(Math.subtractExact(l, s), d) : 0)
                : (s > l ? ShapeMath.ceilDiv(Math.subtractExact(s, l), -d) : 0);
        checkSize(new long[]{n});
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = checkRange(start.type, s + i * d);
        }
        return UnpackedConstant.ofLongs(start.type, new long[]{n}, v);
    }

    private static boolean exactInteger(double v) {
        return v == Math.rint(v) && Math.abs(v) <= (1 << 24);
    }
}
