package dev.graphfuse.dsl.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** A value pattern. */
public sealed interface Expr {
    SourceLocation location();

    /** {@code [shared] Op?(args…) {attr = …}}; also a call of a {@code def}, resolved by the binder. */
    record Call(String opName, boolean optional, boolean shared, List<Expr> args, boolean restArgs,
                List<AttrItem> attributes, SourceLocation location) implements Expr {
        public Call {
            args = List.copyOf(args);
            attributes = List.copyOf(attributes);
        }
    }

    /** A named value: bound on first use, the same value on every later use. */
    record Capture(String name, Constraint constraint, SourceLocation location) implements Expr {
    }

    /** {@code _}: any value, not bound. */
    record Wildcard(Constraint constraint, SourceLocation location) implements Expr {
    }

    /** A constant operand: every element within {@code tolerance} of the listed values (a scalar repeats). */
    record Literal(List<Double> values, boolean list, Double tolerance, SourceLocation location) implements Expr {
        public Literal {
            values = List.copyOf(values);
        }
    }

    /** {@code a | b}: the first alternative that lets the whole pattern match. */
    record Alternatives(List<Expr> alternatives, SourceLocation location) implements Expr {
        public Alternatives {
            alternatives = List.copyOf(alternatives);
        }
    }

    /** {@code name = pattern} inside an op's attribute braces. */
    record AttrItem(String name, AttrPattern pattern, SourceLocation location) {
    }
}
