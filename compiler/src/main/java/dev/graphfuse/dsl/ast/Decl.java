package dev.graphfuse.dsl.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/** A top-level declaration of a .fuse file. */
public sealed interface Decl {
    SourceLocation location();

    String doc();

    record Import(String path, SourceLocation location, String doc) implements Decl {
    }

    /**
     * An op signature, declared once per op kind: its inputs and outputs (optional {@code ?},
     * variadic {@code ...}), whether its two inputs commute, and its attribute schema.
     */
    record Op(String domain, String name, List<Port> inputs, List<Port> outputs, boolean commutative,
              List<AttrDecl> attributes, SourceLocation location, String doc) implements Decl {
        public Op {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            attributes = List.copyOf(attributes);
        }
    }

    /** {@code type}: the port's type variable (null: any element type). */
    record Port(String name, String type, boolean optional, boolean variadic, SourceLocation location) {
    }

    /**
     * {@code name: kind}, optional with {@code ?} or a default. {@code location} is the name's;
     * {@code kindLocation} and {@code defaultLocation} (null without a default) point at those tokens.
     */
    record AttrDecl(String name, String kind, boolean optional, Object defaultValue, SourceLocation location,
                    SourceLocation kindLocation, SourceLocation defaultLocation) {
    }

    /** A predicate implemented in Java and registered by name. */
    record Predicate(String name, List<String> params, SourceLocation location, String doc) implements Decl {
        public Predicate {
            params = List.copyOf(params);
        }
    }

    /** A reusable, parameterised sub-pattern: {@code def rms_norm(x, w, eps) { let …; return …; }}. */
    record Def(String name, List<String> params, List<Let> lets, Expr result, SourceLocation location,
               String doc) implements Decl {
        public Def {
            params = List.copyOf(params);
            lets = List.copyOf(lets);
        }
    }

    record Pattern(String name, Integer benefit, List<Let> lets, List<Require> requires, Replace replace,
                   SourceLocation location, String doc) implements Decl {
        public Pattern {
            lets = List.copyOf(lets);
            requires = List.copyOf(requires);
        }
    }

    /** {@code let x = e;} or {@code let (a, _, b) = MultiOutputOp(…);} ({@code null} name = {@code _}). */
    record Let(List<String> names, Expr value, SourceLocation location) {
        public Let {
            names = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(names));
        }
    }

    record Require(String predicate, boolean negated, List<AttrExpr> args, SourceLocation location) {
        public Require {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code replace roots with domain.Op(inputs) {attr = expr}}; a {@code null} input is {@code _} (omitted).
     * {@code rootLocations} and {@code inputLocations} run parallel to {@code roots} and {@code inputs}.
     */
    record Replace(List<String> roots, String domain, String op, List<String> inputs, List<AttrAssign> attributes,
                   SourceLocation location, SourceLocation opLocation, List<SourceLocation> rootLocations,
                   List<SourceLocation> inputLocations) {
        public Replace {
            roots = List.copyOf(roots);
            inputs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(inputs));
            attributes = List.copyOf(attributes);
            rootLocations = List.copyOf(rootLocations);
            inputLocations = List.copyOf(inputLocations);
        }
    }

    record AttrAssign(String name, AttrExpr value, SourceLocation location) {
    }
}
