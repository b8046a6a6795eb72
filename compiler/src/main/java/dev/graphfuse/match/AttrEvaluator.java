package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates attribute expressions and {@code require} arguments against a match's bindings.
 * Numbers are Long when integral, Double otherwise; a value reference stays a Value until an
 * attribute needs its number.
 */
public final class AttrEvaluator {
    private AttrEvaluator() {
    }

    /** A match-time evaluation problem (a dim that is not static, a division by zero); the match fails with it. */
    public static final class EvaluationException extends RuntimeException {
        public EvaluationException(String message) {
            super(message);
        }
    }

    /** The value of {@code code} under a match's bindings ({@code slots}, by slot index). */
    public static Object evaluate(AttrCode code, Object[] slots) {
        return switch (code) {
            case AttrCode.Literal l -> l.value();
            case AttrCode.SlotRef r -> {
                Object v = r.slot() < 0 ? null : slots[r.slot()];
                if (v == null) {
                    throw new EvaluationException("'" + r.name() + "' is not bound");
                }
                yield v;
            }
            case AttrCode.Negate n -> {
                Object v = number(evaluate(n.operand(), slots));
                yield v instanceof Long l ? (Object) (-l) : (Object) (-(Double) v);
            }
            case AttrCode.Operator b -> arithmetic(b.op(), number(evaluate(b.left(), slots)),
                    number(evaluate(b.right(), slots)));
            case AttrCode.ListOf l -> {
                List<Object> out = new ArrayList<>(l.elements().size());
                for (AttrCode x : l.elements()) {
                    out.add(number(evaluate(x, slots)));
                }
                yield out;
            }
            case AttrCode.Builtin c -> call(c, slots);
        };
    }

    private static Object call(AttrCode.Builtin c, Object[] slots) {
        if (c.function() == BuiltinFunction.BOUND_OR) {
            // the first argument is a name (the compiler checks it); only the branch taken is evaluated
            AttrCode.SlotRef r = (AttrCode.SlotRef) c.args().get(0);
            boolean bound = r.slot() >= 0 && slots[r.slot()] != null;
            return number(evaluate(bound ? r : c.args().get(1), slots));
        }
        List<Object> args = new ArrayList<>(c.args().size());
        for (AttrCode a : c.args()) {
            args.add(evaluate(a, slots));
        }
        return switch (c.function()) {
            case DIM -> {
                Shape s = shapeOf(args.get(0));
                long i = (Long) integer(args.get(1));
                long axis = i < 0 ? s.rank() + i : i;
                if (axis < 0 || axis >= s.rank()) {
                    throw new EvaluationException("dim " + i + " is out of range for rank " + s.rank());
                }
                Dim d = s.dim((int) axis);
                if (!(d instanceof Dim.Fixed f)) {
                    throw new EvaluationException("dim " + i + " of '" + name(args.get(0)) + "' is not static (" + d + ")");
                }
                yield f.size();
            }
            case RANK -> (long) shapeOf(args.get(0)).rank();
            case DTYPE -> {
                if (!(args.get(0) instanceof Value v)) {
                    throw new EvaluationException(args.get(0) + " is not a value");
                }
                if (v.elementType() == null) {
                    throw new EvaluationException("'" + v.name() + "' has an unknown element type");
                }
                yield (long) v.elementType().code();
            }
            case NUMEL -> {
                Shape s = shapeOf(args.get(0));
                if (!s.isStatic()) {
                    throw new EvaluationException("'" + name(args.get(0)) + "' has no static shape");
                }
                yield s.elementCount();
            }
            case LEN -> {
                Object v = args.get(0) instanceof Value val ? constantList(val) : args.get(0);
                if (!(v instanceof List<?> l)) {
                    throw new EvaluationException("len() needs a list");
                }
                yield (long) l.size();
            }
            case INT -> integer(args.get(0));
            case FLOAT -> ((Number) number(args.get(0))).doubleValue();
            case NONZERO_OR -> {
                Object a = number(args.get(0));
                yield ((Number) a).doubleValue() != 0 ? a : number(args.get(1));
            }
            case BOUND_OR -> throw new IllegalStateException("bound_or is evaluated before its arguments");
        };
    }

    private static String name(Object o) {
        return o instanceof Value v ? v.name() : String.valueOf(o);
    }

    private static Shape shapeOf(Object o) {
        if (!(o instanceof Value v)) {
            throw new EvaluationException(o + " is not a value");
        }
        Constant c = Constant.of(v);
        Shape s = c != null ? Shape.of(c.dims()) : v.shape();
        if (s == null || !s.hasRank()) {
            throw new EvaluationException("'" + v.name() + "' has an unknown shape");
        }
        return s;
    }

    private static Object constantList(Value v) {
        Constant c = Constant.of(v);
        double[] d = c == null ? null : c.values();
        if (d == null) {
            throw new EvaluationException("'" + v.name() + "' is not a readable constant");
        }
        List<Object> out = new ArrayList<>();
        for (double x : d) {
            out.add(c.isIntegral() ? (Object) (long) x : (Object) x);
        }
        return out;
    }

    /** A Long or Double from a number, a scalar constant value or a static dim. */
    public static Object number(Object o) {
        if (o instanceof Long || o instanceof Double) {
            return o;
        }
        if (o instanceof Integer i) {
            return (long) i;
        }
        if (o instanceof Float f) {
            return (double) f;
        }
        if (o instanceof Value v) {
            Constant c = Constant.of(v);
            double[] d = c == null ? null : c.values();
            if (d == null || d.length != 1) {
                throw new EvaluationException("'" + v.name() + "' is not a scalar constant");
            }
            return c.isIntegral() ? (Object) (long) d[0] : (Object) d[0];
        }
        if (o instanceof String s) {
            throw new EvaluationException("dim '" + s + "' is symbolic, not a number");
        }
        throw new EvaluationException(o + " is not a number");
    }

    private static Object integer(Object o) {
        Object n = number(o);
        if (n instanceof Double d) {
            if (d != Math.rint(d)) {
                throw new EvaluationException(d + " is not an integer");
            }
            return (long) (double) d;
        }
        return n;
    }

    private static Object arithmetic(char op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return switch (op) {
                case '+' -> Math.addExact(x, y);
                case '-' -> Math.subtractExact(x, y);
                case '*' -> Math.multiplyExact(x, y);
                case '/' -> {
                    if (y == 0) {
                        throw new EvaluationException("division by zero");
                    }
                    yield x / y;
                }
                case '%' -> {
                    if (y == 0) {
                        throw new EvaluationException("division by zero");
                    }
                    yield x % y;
                }
                default -> throw new EvaluationException("unknown operator " + op);
            };
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        return switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            case '/' -> x / y;
            case '%' -> x % y;
            default -> throw new EvaluationException("unknown operator " + op);
        };
    }

    /** Converts an evaluated value to an attribute of {@code kind} (int, float, ints, floats, string). */
    public static Attribute toAttribute(Attribute.Kind kind, Object value) {
        return switch (kind) {
            case INT -> new Attribute.IntAttr((Long) integer(value));
            case FLOAT -> new Attribute.FloatAttr(((Number) number(value)).floatValue());
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw new EvaluationException(value + " is not a string");
                }
                yield new Attribute.StringAttr(s.getBytes(StandardCharsets.UTF_8));
            }
            case INTS -> {
                List<?> l = list(value);
                long[] out = new long[l.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (Long) integer(l.get(i));
                }
                yield new Attribute.IntsAttr(out);
            }
            case FLOATS -> {
                List<?> l = list(value);
                float[] out = new float[l.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = ((Number) number(l.get(i))).floatValue();
                }
                yield new Attribute.FloatsAttr(out);
            }
            default -> throw new EvaluationException("attributes of kind " + kind.keyword() + " cannot be computed");
        };
    }

    private static List<?> list(Object value) {
        if (value instanceof List<?> l) {
            return l;
        }
        if (value instanceof Value v) {
            return (List<?>) constantList(v);
        }
        throw new EvaluationException(value + " is not a list");
    }
}
