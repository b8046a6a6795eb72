package dev.graphfuse.match;

import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.Value;
import java.util.List;

/**
 * A {@link NativePredicate}'s arguments as the kinds it needs. A wrong kind throws
 * {@link PredicateArgumentException}, which fails the match (not the pass) with its message.
 */
public final class PredicateArgs {
    private PredicateArgs() {
    }

    /** A value argument; anything else fails the match (not the pass) with a message. */
    public static Value value(Object o) {
        if (o instanceof Value v) {
            return v;
        }
        throw new PredicateArgumentException(describe(o) + " is not a value");
    }

    public static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof Value v) {
            Constant c = Constant.of(v);
            double[] d = c == null ? null : c.values();
            if (d != null && d.length == 1) {
                return d[0];
            }
            throw new PredicateArgumentException("'" + v.name() + "' is not a scalar constant");
        }
        if (o instanceof Dim.Fixed f) {
            return f.size();
        }
        throw new PredicateArgumentException(describe(o) + " is not a number");
    }

    public static long[] longs(Object o) {
        if (o instanceof Value v) {
            Constant c = Constant.of(v);
            double[] d = c == null ? null : c.values();
            if (d == null) {
                return null;
            }
            long[] out = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (long) d[i];
            }
            return out;
        }
        if (o instanceof List<?> l) {
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) number(l.get(i));
            }
            return out;
        }
        if (o instanceof Number n) {
            return new long[] {n.longValue()};
        }
        return null;
    }

    /** How a message names an argument: a value by its name, quoted; anything else as it prints. */
    public static String describe(Object o) {
        return o instanceof Value v ? "'" + v.name() + "'" : String.valueOf(o);
    }
}
