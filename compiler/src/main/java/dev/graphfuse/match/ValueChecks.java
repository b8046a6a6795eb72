package dev.graphfuse.match;

import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import java.util.Arrays;
import java.util.List;

/** The matcher's checks of one value: a {@link ValueCheck} on a capture, and a constant operand's values. */
final class ValueChecks {
    private final CompiledPattern pattern;
    private final MatchState<?> state;

    ValueChecks(CompiledPattern pattern, MatchState<?> state) {
        this.pattern = pattern;
        this.state = state;
    }

    /** Whether {@code v} (the capture {@code name}) meets {@code c}; binds the dimension symbols it meets first. */
    boolean check(ValueCheck c, Value v, String name) {
        if (c == null) {
            return true;
        }
        if (v == null) {
            return state.fail(FailureKind.MISSING_OPERAND, () -> "'" + name + "' is an omitted operand");
        }
        Constant constant = null;
        if (c.kind() != ValueCheck.Kind.TENSOR) {
            constant = Constant.of(v);
            if (constant == null) {
                return state.fail(FailureKind.NOT_CONSTANT, () -> "value " + v.name() + " ('" + name
                        + "') is not a constant");
            }
            if (c.kind() == ValueCheck.Kind.SCALAR && constant.count() != 1) {
                Constant cc = constant;
                return state.fail(FailureKind.NOT_SCALAR, () -> "value " + v.name() + " ('" + name + "') has "
                        + cc.count() + " elements, expected a scalar");
            }
        }
        if (c.elementTypes() != null) {
            ElementType et = constant != null ? constant.elementType() : v.elementType();
            if (et == null) {
                return state.fail(FailureKind.TYPE_UNKNOWN, () -> "value " + v.name() + " ('" + name
                        + "') has an unknown element type");
            }
            if (!c.elementTypes().contains(et)) {
                return state.fail(FailureKind.TYPE_MISMATCH, () -> "value " + v.name() + " ('" + name + "') is "
                        + et.shortName() + ", expected " + c.typeNames());
            }
        }
        if (c.dims() != null) {
            Shape s = constant != null ? Shape.of(constant.dims()) : v.shape();
            if (s == null || !s.hasRank()) {
                return state.fail(FailureKind.SHAPE_UNKNOWN, () -> "value " + v.name() + " ('" + name
                        + "') has an unknown shape");
            }
            return checkDims(c, s, v, name);
        }
        return true;
    }

    private boolean checkDims(ValueCheck c, Shape s, Value v, String name) {
        List<ValueCheck.Dim> dims = c.dims();
        int rest = c.restAt();
        int fixed = rest < 0 ? dims.size() : dims.size() - 1;
        if (rest < 0 ? s.rank() != fixed : s.rank() < fixed) {
            return state.fail(FailureKind.RANK_MISMATCH, () -> "value " + v.name() + " ('" + name + "') has rank "
                    + s.rank() + ", expected " + (rest < 0 ? "" : "at least ") + fixed);
        }
        for (int i = 0; i < dims.size(); i++) {
            ValueCheck.Dim dp = dims.get(i);
            if (dp.kind() == ValueCheck.Dim.Kind.REST) {
                continue;
            }
            int axis = rest >= 0 && i > rest ? s.rank() - (dims.size() - i) : i;
            Dim d = s.dim(axis);
            switch (dp.kind()) {
                case SIZE -> {
                    if (!(d instanceof Dim.Fixed f) || f.size() != dp.size()) {
                        return state.fail(FailureKind.SHAPE_MISMATCH, () -> "value " + v.name() + " ('" + name
                                + "') dim " + axis + " is " + d + ", expected " + dp.size());
                    }
                }
                case SYMBOL -> {
                    if (!bindDim(dp.slot(), d, v, name, axis)) {
                        return false;
                    }
                }
                default -> {
                }
            }
        }
        return true;
    }

    private boolean bindDim(int slot, Dim d, Value v, String name, int axis) {
        Object dimValue = d instanceof Dim.Fixed f ? (Object) f.size() : d instanceof Dim.Symbolic sym ? sym.name() : null;
        if (dimValue == null) {
            return state.fail(FailureKind.SHAPE_UNKNOWN, () -> "value " + v.name() + " ('" + name + "') dim " + axis
                    + " is unknown, needed for '" + symbol(slot) + "'");
        }
        Object bound = state.slots[slot];
        if (bound == null) {
            state.bind(slot, dimValue);
        } else if (!bound.equals(dimValue)) {
            return state.fail(FailureKind.SHAPE_MISMATCH, () -> "value " + v.name() + " ('" + name + "') dim " + axis
                    + " is " + dimValue + ", but '" + symbol(slot) + "' is " + bound);
        }
        return true;
    }

    private String symbol(int slot) {
        return pattern.slots().get(slot).name();
    }

    /** Whether {@code v} is a constant whose elements are within tolerance of {@code c}'s. */
    boolean constant(PNode.Const c, Value v) {
        Constant constant = Constant.of(v);
        if (constant == null) {
            return state.fail(FailureKind.NOT_CONSTANT, () -> (v == null ? "an omitted operand" : "value " + v.name())
                    + " is not a constant, expected " + showValues(c));
        }
        long n = constant.count();
        if (!c.list() && n > Constant.MAX_COMPARED_ELEMENTS) {
            return splat(c, v, constant, n);
        }
        double[] actual = constant.values();
        if (actual == null) {
            return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name()
                    + " is too large or not numeric, expected " + showValues(c));
        }
        if (c.list() ? actual.length != c.values().length : actual.length == 0) {
            return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name() + " has " + actual.length
                    + " elements, expected " + showValues(c));
        }
        for (int i = 0; i < actual.length; i++) {
            double want = c.list() ? c.values()[i] : c.values()[0];
            if (!AttributeChecks.close(want, actual[i], c.tolerance())) {
                double got = actual[i];
                return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name() + " is "
                        + (actual.length == 1 ? AttributeChecks.show(got) : Arrays.toString(actual)) + ", expected "
                        + showValues(c));
            }
        }
        return true;
    }

    /** A large constant against one value: every element, read in place, the first difference reported. */
    private boolean splat(PNode.Const c, Value v, Constant constant, long n) {
        if (!constant.numeric() || n > Constant.MAX_SPLAT_ELEMENTS) {
            return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name()
                    + " is too large or not numeric, expected " + showValues(c));
        }
        double want = c.values()[0];
        try {
            for (long i = 0; i < n; i++) {
                double got = constant.get(i);
                if (!AttributeChecks.close(want, got, c.tolerance())) {
                    long at = i;
                    return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name() + " element " + at
                            + " of " + n + " is " + AttributeChecks.show(got) + ", expected " + showValues(c));
                }
            }
        } catch (RuntimeException e) {
            return state.fail(FailureKind.CONSTANT_MISMATCH, () -> "constant " + v.name()
                    + " cannot be read, expected " + showValues(c));
        }
        return true;
    }

    private static String showValues(PNode.Const c) {
        return c.list() ? Arrays.toString(c.values()) : AttributeChecks.show(c.values()[0]);
    }
}
