package dev.graphfuse.runtime.dispatch;

import ai.onnxruntime.OrtException;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.transform.Fp32Promotion;
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

    /**
     * {@code referenceSkipped}: why fp16 / bf16 outputs were judged by the tolerance alone, without the fp32
     * reference run (the fp32 copy too large to hold, an op without an fp32 kernel); null when it ran or did
     * not apply.
     */
    public record Report(List<OutputComparison> outputs, ExecutionProvider provider, FusedPlacement placement,
                         String referenceSkipped) {
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
        return run(original, null, optimized, optimizedIr, inputs, provider, fallbacks, tolerance);
    }

    /**
     * As above; with {@code originalIr} and the default tolerance, fp16 / bf16 outputs are also judged against
     * the original run in fp32 ({@link OutputComparison#withReference}).
     */
    public static Report run(ModelSource original, Model originalIr, ModelSource optimized, Model optimizedIr,
                             Map<String, Tensor> inputs, ExecutionProvider provider, Fallbacks fallbacks, Tolerance tolerance)
            throws OrtException {
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
        boolean halfOutputs = want.values().stream().anyMatch(t -> t.elementType() == dev.graphfuse.ir.ElementType.FLOAT16
                || t.elementType() == dev.graphfuse.ir.ElementType.BFLOAT16);
        Reference reference = originalIr != null && halfOutputs && tolerance.equals(Tolerance.DEFAULT)
                ? fp32Reference(originalIr, inputs, spec) : new Reference(Map.of(), null);
        Map<String, Tensor> ref = reference.outputs();
        List<OutputComparison> cmp = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : want.entrySet()) {
            Tensor g = got.get(e.getKey());
            cmp.add(g == null
                    ? OutputComparison.failed(e.getKey(), e.getValue().elementType().shortName(), e.getValue().dims(),
                            "the optimized model has no such output")
                    : OutputComparison.of(e.getKey(), e.getValue(), g, tolerance)
                            .withReference(e.getValue(), g, ref.get(e.getKey())));
        }
        return new Report(cmp, provider, placement, reference.skipped());
    }

    private record Reference(Map<String, Tensor> outputs, String skipped) {
    }

    /** The original's outputs computed in fp32 (fp16 / bf16 inputs widened), or why that cannot be done. */
    private static Reference fp32Reference(Model originalIr, Map<String, Tensor> inputs, SessionOptionsSpec spec) {
        byte[] promoted;
        try {
            promoted = OnnxExporter.toBytes(Fp32Promotion.promote(originalIr));
        } catch (UnsupportedOperationException tooLarge) {
            return new Reference(Map.of(), tooLarge.getMessage());
        }
        Map<String, Tensor> in32 = new java.util.LinkedHashMap<>();
        inputs.forEach((name, t) -> in32.put(name, widen(t)));
        try (GraphfuseSession s = GraphfuseSession.open(promoted, spec.withOpLibrary(false))) {
            return new Reference(s.run(in32), null);
        } catch (OrtException notRunnable) {
            // an op without an fp32 kernel, a graph that pins fp16 elsewhere: judged by the tolerance alone
            return new Reference(Map.of(), "the fp32 copy did not run in ONNX Runtime: " + notRunnable.getMessage());
        }
    }

    private static Tensor widen(Tensor t) {
        if (t.elementType() != dev.graphfuse.ir.ElementType.FLOAT16 && t.elementType() != dev.graphfuse.ir.ElementType.BFLOAT16) {
            return t;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.toIntExact(4 * t.elementCount())).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < t.elementCount(); i++) {
            b.putFloat((float) t.getDouble(i));
        }
        return Tensor.of(t.name(), dev.graphfuse.ir.ElementType.FLOAT, t.dims(), b.array());
    }
}
