package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Native predicates by name. {@link #withBuiltins()} holds the general ones the pattern library
 * uses and those of every {@link PredicateProvider}; a caller registers its own before loading the
 * .fuse files that declare them.
 */
public final class PredicateRegistry {
    private final Map<String, NativePredicate> predicates = new LinkedHashMap<>();

    public static PredicateRegistry withBuiltins() {
        PredicateRegistry r = new PredicateRegistry();
        r.register("InRange", PredicateRegistry::inRange);
        r.register("LastAxis", PredicateRegistry::lastAxis);
        r.register("ReducesLastAxis", PredicateRegistry::reducesLastAxis);
        r.register("Equal", args -> Objects.equals(norm(args.get(0)), norm(args.get(1))) ? null
                : PredicateArgs.describe(args.get(0)) + " differs from " + PredicateArgs.describe(args.get(1)));
        r.register("IsEven", args -> PredicateArgs.number(args.get(0)) % 2 == 0 ? null : PredicateArgs.describe(args.get(0)) + " is odd");
        r.register("HasRank", args -> {
            Value v = PredicateArgs.value(args.get(0));
            Shape s = v.shape();
            long want = (long) PredicateArgs.number(args.get(1));
            return s != null && s.hasRank() && s.rank() == want ? null
                    : "'" + v.name() + "' has rank " + (s == null || !s.hasRank() ? "unknown" : s.rank()) + ", not " + want;
        });
        r.register("KeepsLastAxis", PredicateRegistry::keepsLastAxis);
        r.register("SameElementType", args -> {
            Value a = PredicateArgs.value(args.get(0));
            Value b = PredicateArgs.value(args.get(1));
            return a.elementType() != null && a.elementType() == b.elementType() ? null
                    : "'" + a.name() + "' and '" + b.name() + "' have different or unknown element types";
        });
        r.register("SameShape", args -> {
            Value a = PredicateArgs.value(args.get(0));
            Value b = PredicateArgs.value(args.get(1));
            return a.shape() != null && a.shape().hasRank() && a.shape().equals(b.shape()) ? null
                    : "'" + a.name() + "' and '" + b.name() + "' have different or unknown shapes";
        });
        // Model-specific predicates live beside their patterns, not here: each provider on the class path adds its own.
        for (PredicateProvider p : ServiceLoader.load(PredicateProvider.class, PredicateRegistry.class.getClassLoader())) {
            p.registerInto(r);
        }
        return r;
    }

    public PredicateRegistry register(String name, NativePredicate predicate) {
        predicates.put(Objects.requireNonNull(name, "name is null"), Objects.requireNonNull(predicate, "predicate is null"));
        return this;
    }

    public NativePredicate get(String name) {
        return predicates.get(name);
    }

    public Set<String> names() {
        return predicates.keySet();
    }

    // ---- builtins ----

    private static String inRange(List<Object> args) {
        double v = PredicateArgs.number(args.get(0));
        double lo = PredicateArgs.number(args.get(1));
        double hi = PredicateArgs.number(args.get(2));
        return v >= lo && v <= hi ? null : PredicateArgs.describe(args.get(0)) + " = " + v + " is outside [" + lo + ", " + hi + "]";
    }

    /** {@code axes} (a constant value, a list or a number) names exactly the last axis of {@code x}. */
    private static String lastAxis(List<Object> args) {
        long[] axes = PredicateArgs.longs(args.get(0));
        Value x = PredicateArgs.value(args.get(1));
        return lastAxisOf(axes, x);
    }

    private static String lastAxisOf(long[] axes, Value x) {
        if (axes == null || axes.length != 1) {
            return "axes are not a single constant axis";
        }
        if (axes[0] == -1) {
            return null;
        }
        Shape s = x.shape();
        if (s != null && s.hasRank() && axes[0] == s.rank() - 1) {
            return null;
        }
        return "axis " + axes[0] + " is not the last axis of '" + x.name() + "'"
                + (s == null || !s.hasRank() ? " (rank unknown)" : " (rank " + s.rank() + ")");
    }

    /** {@code perm} is a permutation of 0..n-1 (n ≥ 1) that maps the last axis to itself. */
    private static String keepsLastAxis(List<Object> args) {
        long[] perm = PredicateArgs.longs(args.get(0));
        if (perm == null || perm.length == 0) {
            return "the transpose has no explicit perm (it reverses every axis)";
        }
        boolean[] seen = new boolean[perm.length];
        for (long p : perm) {
            if (p < 0 || p >= perm.length || seen[(int) p]) {
                return "perm " + java.util.Arrays.toString(perm) + " is not a permutation";
            }
            seen[(int) p] = true;
        }
        return perm[perm.length - 1] == perm.length - 1 ? null
                : "perm " + java.util.Arrays.toString(perm) + " moves the last axis";
    }

    /**
     * {@code r} is produced by a Reduce op over exactly the last axis of its input with keepdims=1,
     * whether the exporter wrote axes as an attribute (opset < 18) or as an input.
     */
    private static String reducesLastAxis(List<Object> args) {
        Value r = PredicateArgs.value(args.get(0));
        Node n = r.producer();
        if (n == null || !n.opType().startsWith("Reduce")) {
            return "'" + r.name() + "' is not produced by a Reduce op";
        }
        if (n.intAttribute("keepdims", 1) != 1) {
            return "node " + n.name() + " does not keep the reduced dimension";
        }
        long[] axes = null;
        Attribute a = n.attribute("axes");
        if (a instanceof Attribute.IntsAttr ints) {
            axes = ints.values();
        } else if (n.inputCount() > 1 && n.input(1) != null) {
            axes = PredicateArgs.longs(n.input(1));
        }
        String why = lastAxisOf(axes, n.input(0));
        return why == null ? null : "node " + n.name() + ": " + why;
    }

    private static Object norm(Object o) {
        if (o instanceof Value v) {
            Constant c = Constant.of(v);
            double[] d = c == null ? null : c.values();
            return d != null && d.length == 1 ? (Object) d[0] : v;
        }
        return o instanceof Number n ? (Object) n.doubleValue() : o;
    }
}
