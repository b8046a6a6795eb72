package dev.graphfuse.dsl.ast;

import dev.graphfuse.diag.SourceLocation;
import java.util.List;

/**
 * A constraint on a captured value: {@code Tensor<f16|f32>[T, H, D]}, {@code Const}, {@code Scalar<f32>}.
 *
 * @param kind        TENSOR (any value), CONST (a constant) or SCALAR (a constant with one element)
 * @param elementTypes allowed element types by short name; empty means any
 * @param dims        dimension patterns (null: rank not constrained)
 * @param elementTypeLocations where each of {@code elementTypes} is written
 * @param shapeLocation where the shape's {@code [} is (null without a shape)
 */
public record Constraint(Kind kind, List<String> elementTypes, List<DimPattern> dims, SourceLocation location,
                         List<SourceLocation> elementTypeLocations, SourceLocation shapeLocation) {
    public enum Kind { TENSOR, CONST, SCALAR }

    public Constraint {
        elementTypes = List.copyOf(elementTypes);
        dims = dims == null ? null : List.copyOf(dims);
        elementTypeLocations = List.copyOf(elementTypeLocations);
    }

    /** One dimension: a size, a symbol bound on first use, {@code _}, or {@code ...} (any number of dims). */
    public record DimPattern(Long size, String symbol, boolean rest, SourceLocation location) {
    }
}
