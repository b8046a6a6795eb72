package dev.graphfuse.match;

import dev.graphfuse.ir.ElementType;
import java.util.List;
import java.util.Set;

/**
 * What a captured value must be ({@code Tensor<f16|f32>[T, H, D]}, {@code Const}, {@code Scalar<f32>}), with
 * dimension symbols resolved to slots.
 *
 * @param kind         TENSOR (any value), CONST (a constant) or SCALAR (a constant with one element)
 * @param elementTypes the element types allowed; null when any is
 * @param typeNames    the allowed types as written ({@code f16|f32}), for messages
 * @param dims         one check per written dimension; null when the rank is not constrained
 * @param restAt       the index in {@code dims} of {@code ...}, or -1
 */
public record ValueCheck(Kind kind, Set<ElementType> elementTypes, String typeNames, List<Dim> dims, int restAt) {
    public enum Kind { TENSOR, CONST, SCALAR }

    public ValueCheck {
        elementTypes = elementTypes == null ? null : Set.copyOf(elementTypes);
        dims = dims == null ? null : List.copyOf(dims);
    }

    /** One written dimension: a size, a symbol's slot (bound on first use), {@code _}, or {@code ...}. */
    public record Dim(Kind kind, long size, int slot) {
        public enum Kind { SIZE, SYMBOL, ANY, REST }
    }
}
