package dev.graphfuse.match;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The matcher's checks of a node's attributes ({@code Op {axis = -1, eps = e}}), and how values compare. */
final class AttributeChecks {
    private final CompiledPattern pattern;
    private final MatchState<?> state;

    AttributeChecks(CompiledPattern pattern, MatchState<?> state) {
        this.pattern = pattern;
        this.state = state;
    }

    /** Whether {@code n}'s attributes meet {@code op}'s checks; binds the attribute captures met first. */
    boolean check(PNode.Op op, Node n) {
        for (PNode.AttrCheck check : op.attributes()) {
            Object actual = attributeValue(n, check);
            switch (check.kind()) {
                case ANY -> {
                    if (actual == null) {
                        return absent(n, check);
                    }
                }
                case EQUALS -> {
                    if (!same(check.value(), actual, check.tolerance())) {
                        return state.fail(FailureKind.ATTRIBUTE_MISMATCH, () -> "node " + n.name() + ": attribute '"
                                + check.name() + "' is " + show(actual) + ", expected " + show(check.value()));
                    }
                }
                case CAPTURE -> {
                    if (actual == null) {
                        return absent(n, check);
                    }
                    Object bound = state.slots[check.slot()];
                    if (bound == null) {
                        state.bind(check.slot(), actual);
                    } else if (!same(bound, actual, 0)) {
                        String name = pattern.slots().get(check.slot()).name();
                        return state.fail(FailureKind.CAPTURE_MISMATCH, () -> "node " + n.name() + ": attribute '"
                                + check.name() + "' is " + show(actual) + ", but '" + name + "' is " + show(bound));
                    }
                }
            }
        }
        return true;
    }

    private boolean absent(Node n, PNode.AttrCheck check) {
        return state.fail(FailureKind.ATTRIBUTE_ABSENT, () -> "node " + n.name() + ": attribute '" + check.name()
                + "' is absent");
    }

    /** The node's attribute as a plain Java value (Long, Double, String, List), or the schema default. */
    private static Object attributeValue(Node n, PNode.AttrCheck check) {
        Attribute a = n.attribute(check.name());
        if (a == null) {
            return check.spec() == null ? null : check.spec().defaultValue();
        }
        return plain(a);
    }

    private static Object plain(Attribute a) {
        return switch (a) {
            case Attribute.IntAttr i -> i.value();
            case Attribute.FloatAttr f -> (double) f.value();
            case Attribute.StringAttr s -> new String(s.value(), StandardCharsets.UTF_8);
            case Attribute.IntsAttr is -> {
                List<Long> l = new ArrayList<>(is.values().length);
                for (long x : is.values()) {
                    l.add(x);
                }
                yield l;
            }
            case Attribute.FloatsAttr fs -> {
                List<Double> l = new ArrayList<>(fs.values().length);
                for (float x : fs.values()) {
                    l.add((double) x);
                }
                yield l;
            }
            default -> a;
        };
    }

    private static boolean same(Object want, Object actual, double tolerance) {
        if (want == null || actual == null) {
            return want == actual;
        }
        if (want instanceof Number w && actual instanceof Number a) {
            return close(w.doubleValue(), a.doubleValue(), tolerance);
        }
        if (want instanceof List<?> w && actual instanceof List<?> a) {
            if (w.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!same(w.get(i), a.get(i), tolerance)) {
                    return false;
                }
            }
            return true;
        }
        return want.equals(actual);
    }

    /** tolerance < 0: the default, relative 1e-5 or absolute 1e-8; otherwise absolute. */
    static boolean close(double want, double actual, double tolerance) {
        if (want == actual) {
            return true;
        }
        if (tolerance >= 0) {
            return Math.abs(want - actual) <= tolerance;
        }
        return Math.abs(want - actual) <= Math.max(1e-8, 1e-5 * Math.abs(want));
    }

    /** A bound or expected value in a failure reason. */
    static String show(Object o) {
        if (o instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d);
        }
        return o instanceof String s ? "\"" + s + "\"" : String.valueOf(o);
    }
}
