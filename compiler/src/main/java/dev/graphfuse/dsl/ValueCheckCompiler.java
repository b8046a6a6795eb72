package dev.graphfuse.dsl;

import dev.graphfuse.dsl.ast.Constraint;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.match.Slot;
import dev.graphfuse.match.ValueCheck;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Checks a written constraint ({@code Tensor<f16|f32>[T, D]}) and compiles it to a {@link ValueCheck}. */
final class ValueCheckCompiler {
    private final Bindings bindings;
    private final Reporter reporter;

    ValueCheckCompiler(Bindings bindings, Reporter reporter) {
        this.bindings = bindings;
        this.reporter = reporter;
    }

    /** The check {@code c} states (null for none); its dimension symbols are bound in {@code scope}. */
    ValueCheck compile(Scope scope, Constraint c) {
        if (c == null) {
            return null;
        }
        for (int i = 0; i < c.elementTypes().size(); i++) {
            String t = c.elementTypes().get(i);
            if (ElementType.fromShortName(t) == null) {
                reporter.error(c.elementTypeLocations().get(i), "unknown element type '" + t
                        + "' (use f32, f16, bf16, f64, i64, i32, …)");
            }
        }
        if (c.kind() == Constraint.Kind.SCALAR && c.dims() != null) {
            reporter.error(c.shapeLocation(), "a Scalar has no dimensions to constrain");
            return build(c, null, -1);
        }
        if (c.dims() == null) {
            return build(c, null, -1);
        }
        List<ValueCheck.Dim> dims = new ArrayList<>();
        int restAt = -1;
        for (Constraint.DimPattern d : c.dims()) {
            if (d.rest() && restAt >= 0) {
                reporter.error(d.location(), "a shape may contain '...' only once");
            }
            if (d.rest()) {
                restAt = dims.size();
                dims.add(new ValueCheck.Dim(ValueCheck.Dim.Kind.REST, 0, -1));
            } else if (d.size() != null) {
                dims.add(new ValueCheck.Dim(ValueCheck.Dim.Kind.SIZE, d.size(), -1));
            } else if (d.symbol() != null) {
                Slot s = bindings.named(scope, d.symbol(), Slot.Kind.DIM, null, d.location());
                dims.add(new ValueCheck.Dim(ValueCheck.Dim.Kind.SYMBOL, 0, s.index()));
            } else {
                dims.add(new ValueCheck.Dim(ValueCheck.Dim.Kind.ANY, 0, -1));
            }
        }
        return build(c, dims, restAt);
    }

    private static ValueCheck build(Constraint c, List<ValueCheck.Dim> dims, int restAt) {
        ValueCheck.Kind kind = switch (c.kind()) {
            case TENSOR -> ValueCheck.Kind.TENSOR;
            case CONST -> ValueCheck.Kind.CONST;
            case SCALAR -> ValueCheck.Kind.SCALAR;
        };
        Set<ElementType> types = null;
        if (!c.elementTypes().isEmpty()) {
            types = EnumSet.noneOf(ElementType.class);
            for (String t : c.elementTypes()) {
                // names are case-insensitive, as the load-time check reads them ('F32' is f32)
                ElementType et = ElementType.fromShortName(t);
                if (et != null) {
                    types.add(et);
                }
            }
        }
        return new ValueCheck(kind, types, String.join("|", c.elementTypes()), dims, restAt);
    }
}
