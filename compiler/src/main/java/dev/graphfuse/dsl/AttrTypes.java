package dev.graphfuse.dsl;

import dev.graphfuse.dsl.ast.AttrExpr;
import dev.graphfuse.match.BuiltinFunction;
import dev.graphfuse.match.Slot;
import java.util.Set;

/**
 * Type-checks attribute expressions ({@code require} arguments, the replacement's attributes): names
 * must be bound by the matched graph, functions known and called with their arity, operators given numbers.
 */
final class AttrTypes {
    private final Bindings bindings;
    private final Reporter reporter;

    AttrTypes(Bindings bindings, Reporter reporter) {
        this.bindings = bindings;
        this.reporter = reporter;
    }

    /** The static type of {@code e}, or null after an error. */
    AttrType typeOf(AttrExpr e, Set<Integer> matchedSlots) {
        return switch (e) {
            case AttrExpr.Number n -> n.integral() ? AttrType.INT : AttrType.FLOAT;
            case AttrExpr.Text t -> AttrType.STRING;
            case AttrExpr.Negate n -> typeOf(n.operand(), matchedSlots);
            case AttrExpr.Binary b -> {
                AttrType l = typeOf(b.left(), matchedSlots);
                AttrType r = typeOf(b.right(), matchedSlots);
                if (l == null || r == null) {
                    yield null;
                }
                if (!l.scalar() || !r.scalar()) {
                    reporter.error(b.location(), "operator '" + b.op() + "' needs numbers");
                    yield null;
                }
                yield l == AttrType.INT && r == AttrType.INT ? AttrType.INT
                        : l == AttrType.FLOAT || r == AttrType.FLOAT ? AttrType.FLOAT : AttrType.NUMBER;
            }
            case AttrExpr.ListOf l -> listType(l, matchedSlots);
            case AttrExpr.Call c -> {
                BuiltinFunction f = function(c);
                if (f == null) {
                    yield null;
                }
                if (f == BuiltinFunction.BOUND_OR) {
                    yield boundOrType(c, matchedSlots);
                }
                for (AttrExpr a : c.args()) {
                    checkRefs(a, matchedSlots);
                }
                yield f == BuiltinFunction.FLOAT ? AttrType.FLOAT : AttrType.INT;
            }
            case AttrExpr.Ref r -> refType(r, matchedSlots);
        };
    }

    /** bound_or(name, default): the name's number where it is bound, the default's elsewhere. */
    private AttrType boundOrType(AttrExpr.Call c, Set<Integer> matchedSlots) {
        if (!(c.args().get(0) instanceof AttrExpr.Ref)) {
            reporter.error(c.args().get(0).location(), "bound_or takes a name first (a capture that an alternative "
                    + "may leave unbound), then its default");
            return null;
        }
        AttrType a = typeOf(c.args().get(0), matchedSlots);
        AttrType d = typeOf(c.args().get(1), matchedSlots);
        if (a == null || d == null) {
            return null;
        }
        if (!a.scalar() || !d.scalar()) {
            reporter.error(c.location(), "bound_or works on numbers");
            return null;
        }
        return a == AttrType.INT && d == AttrType.INT ? AttrType.INT
                : a == AttrType.FLOAT || d == AttrType.FLOAT ? AttrType.FLOAT : AttrType.NUMBER;
    }

    private AttrType listType(AttrExpr.ListOf l, Set<Integer> matchedSlots) {
        AttrType kind = AttrType.INTS;
        for (AttrExpr x : l.elements()) {
            AttrType k = typeOf(x, matchedSlots);
            if (k == null) {
                return null;
            }
            if (!k.scalar()) {
                reporter.error(x.location(), "list elements must be numbers");
                return null;
            }
            if (k != AttrType.INT) {
                kind = k == AttrType.FLOAT || kind == AttrType.FLOATS ? AttrType.FLOATS : AttrType.LIST;
            }
        }
        return kind;
    }

    private AttrType refType(AttrExpr.Ref r, Set<Integer> matchedSlots) {
        Slot s = bindings.reference(r.name(), r.location(), matchedSlots, "");
        if (s == null) {
            return null;
        }
        return switch (s.kind()) {
            case DIM -> AttrType.INT;
            case ATTR -> s.attrKind() == null ? null : AttrType.of(s.attrKind());
            case NODE -> null;
            case VALUE -> {
                if (!s.constant()) {
                    reporter.error(r.location(), "'" + r.name() + "' is a value computed at run time; constrain it "
                            + "with ': Scalar' or ': Const' to use its contents as an attribute");
                    yield null;
                }
                yield AttrType.NUMBER;
            }
        };
    }

    /** The function {@code c} calls, or null after reporting an unknown one or a wrong argument count. */
    private BuiltinFunction function(AttrExpr.Call c) {
        BuiltinFunction f = BuiltinFunction.named(c.function());
        if (f == null) {
            reporter.error(c.location(), "unknown function '" + c.function() + "' (known: "
                    + String.join(", ", BuiltinFunction.words()) + ")");
            return null;
        }
        if (f.arity() != c.args().size()) {
            reporter.error(c.location(), "'" + c.function() + "' takes " + f.arity()
                    + (f.arity() == 1 ? " argument" : " arguments"));
            return null;
        }
        return f;
    }

    /** Reports the unknown names and functions in {@code e}, whatever its type. */
    void checkRefs(AttrExpr e, Set<Integer> matchedSlots) {
        switch (e) {
            case AttrExpr.Ref r -> bindings.reference(r.name(), r.location(), matchedSlots, "");
            case AttrExpr.Negate n -> checkRefs(n.operand(), matchedSlots);
            case AttrExpr.Binary b -> {
                checkRefs(b.left(), matchedSlots);
                checkRefs(b.right(), matchedSlots);
            }
            case AttrExpr.ListOf l -> l.elements().forEach(x -> checkRefs(x, matchedSlots));
            case AttrExpr.Call c -> {
                function(c);
                c.args().forEach(x -> checkRefs(x, matchedSlots));
            }
            default -> {
            }
        }
    }
}
