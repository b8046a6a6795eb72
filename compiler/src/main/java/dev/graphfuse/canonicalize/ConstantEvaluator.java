package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Node;
import java.util.List;
import java.util.Set;

/**
 * Computes what one ONNX node produces from constant inputs, with ONNX Runtime's float32 and
 * integer semantics, so a folded model computes what the original did. Where ONNX implementations
 * have disagreed (integer division of operands with different signs, float Range accumulation) or
 * the result is undefined (overflow, NaN to int), it throws {@link NotFoldable} rather than pick one.
 * The ops live by concern: {@link ArithmeticEvaluator} computes numbers, {@link LayoutEvaluator}
 * moves elements, {@link Operands} checks what both take and give.
 */
final class ConstantEvaluator {
    /** Folded results larger than this stay as nodes: folding must not blow up the model. */
    static final long MAX_RESULT_ELEMENTS = 1024;

    /** Ops whose result depends only on their input data (Shape and Size are folded from types). */
    static final Set<String> DATA_OPS = Set.of("Gather", "Slice", "Concat", "Unsqueeze", "Squeeze", "Reshape",
            "Cast", "Identity", "Add", "Sub", "Mul", "Div", "Neg", "Equal", "Where", "Range", "ConstantOfShape",
            "Expand");

    private ConstantEvaluator() {
    }

    /** The single output of {@code n} given its inputs ({@code null} for an omitted one). */
    static UnpackedConstant evaluate(Node n, List<UnpackedConstant> in) {
        try {
            UnpackedConstant out = switch (n.opType()) {
                case "Identity" -> Operands.required(in.get(0));
                case "Cast" -> ArithmeticEvaluator.cast(Operands.required(in.get(0)), n);
                case "Neg" -> ArithmeticEvaluator.neg(Operands.required(in.get(0)));
                case "Add", "Sub", "Mul", "Div", "Equal" -> ArithmeticEvaluator.binary(n.opType(), in.get(0), in.get(1));
                case "Where" -> ArithmeticEvaluator.where(in.get(0), in.get(1), in.get(2));
                case "Gather" -> LayoutEvaluator.gather(in.get(0), in.get(1), n.intAttribute("axis", 0));
                case "Slice" -> LayoutEvaluator.slice(n, in);
                case "Concat" -> LayoutEvaluator.concat(n, in);
                case "Unsqueeze" -> LayoutEvaluator.unsqueeze(n, in);
                case "Squeeze" -> LayoutEvaluator.squeeze(n, in);
                case "Reshape" -> LayoutEvaluator.reshape(n, in);
                case "Range" -> ArithmeticEvaluator.range(in.get(0), in.get(1), in.get(2));
                case "ConstantOfShape" -> LayoutEvaluator.constantOfShape(n, in.get(0));
                case "Expand" -> LayoutEvaluator.expand(in.get(0), in.get(1));
                default -> throw new NotFoldable("unsupported-op");
            };
            Operands.checkSize(out.dims);
            return out;
        } catch (ArithmeticException e) {
            throw new NotFoldable("overflow");
        } catch (IndexOutOfBoundsException e) {
            throw new NotFoldable("missing-input");
        }
    }
}
