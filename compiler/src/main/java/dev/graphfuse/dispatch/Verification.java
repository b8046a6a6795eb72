package dev.graphfuse.dispatch;

import ai.onnxruntime.OrtException;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.kernels.Fallbacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code verify}: the original model in ONNX Runtime without graphfuse against the optimized model in ONNX
 * Runtime with graphfuse's op library, on the same execution provider and the same inputs, every output
 * compared; and where every graphfuse node ran.
 */
public final class Verification {
    private Verification() {
    }

    public record Report(List<OutputComparison> outputs, ExecutionProvider provider, FusedPlacement placement) {
        public boolean pass() {
            return outputs.stream().allMatch(OutputComparison::pass);
        }
    }

    public static Report run(ModelSource original, ModelSource optimized, Model optimizedIr, Map<String, Tensor> inputs,
                             ExecutionProvider provider, Fallbacks fallbacks) throws OrtException {
        return run(original, optimized, optimizedIr, inputs, provider, fallbacks, Tolerance.DEFAULT);
    }

    /** As above, every output judged by {@code tolerance}. */
    public static Report run(ModelSource original, ModelSource optimized, Model optimizedIr, Map<String, Tensor> inputs,
                             ExecutionProvider provider, Fallbacks fallbacks, Tolerance tolerance) throws OrtException {
        // fp32 products in fp32 on both sides: with TF32 a one-ulp difference upstream becomes 1e-3 downstream
        SessionOptionsSpec spec = SessionOptionsSpec.of(provider).withTf32(false);
        Map<String, Tensor> want;
        try (GraphfuseSession s = original.open(spec.withOpLibrary(false))) {
            want = s.run(inputs);
        }
        Map<String, Tensor> got;
        FusedPlacement placement;
        try (GraphfuseSession s = optimized.open(spec.withProfile(true))) {
            got = s.run(inputs);
            placement = FusedPlacement.check(optimizedIr, s.placements(), provider, fallbacks);
        }
        List<OutputComparison> cmp = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : want.entrySet()) {
            Tensor g = got.get(e.getKey());
            cmp.add(g == null
                    ? OutputComparison.failed(e.getKey(), e.getValue().elementType().shortName(), e.getValue().dims(),
                            "the optimized model has no such output")
                    : OutputComparison.of(e.getKey(), e.getValue(), g, tolerance));
        }
        return new Report(cmp, provider, placement);
    }
}
