package dev.graphfuse.dispatch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.kernels.KernelBackend;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code verify}: stock ONNX Runtime on the original model against graphfuse's runtime (ORT regions +
 * our kernels) on the optimized one, same inputs, every output compared.
 */
public final class Verification {
    private Verification() {
    }

    public record Report(List<OutputComparison> outputs, Executor.Stats stats, ExecutionPlan plan) {
        public boolean pass() {
            return outputs.stream().allMatch(OutputComparison::pass);
        }
    }

    public static Report run(Model original, Model optimized, Map<String, Tensor> inputs, KernelBackend backend,
                             Fallbacks fallbacks) throws OrtException {
        Map<String, Tensor> want = runOrt(original, inputs);
        Map<String, HostTensor> hostIn = new LinkedHashMap<>();
        inputs.forEach((k, v) -> hostIn.put(k, HostTensor.of(v)));
        List<OutputComparison> cmp = new ArrayList<>();
        try (Executor ex = new Executor(optimized, backend, fallbacks)) {
            Map<String, HostTensor> got = ex.run(hostIn);
            for (Map.Entry<String, Tensor> e : want.entrySet()) {
                HostTensor g = got.get(e.getKey());
                cmp.add(g == null
                        ? new OutputComparison(e.getKey(), e.getValue().elementType().shortName(), e.getValue().dims(),
                                Double.NaN, Double.NaN, 0, false, false, "the optimized model has no such output")
                        : OutputComparison.of(e.getKey(), e.getValue(), g.toTensor(e.getKey())));
            }
            return new Report(cmp, ex.stats(), ex.plan());
        }
    }

    /** The whole model in one ORT session (fused nodes, if any, through their function bodies). */
    public static Map<String, Tensor> runOrt(Model model, Map<String, Tensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(OnnxExporter.toBytes(model), opts)) {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                HostTensor h = HostTensor.of(e.getValue());
                feed.put(e.getKey(), OnnxTensor.createTensor(env, h.data().order(ByteOrder.nativeOrder()), h.shape(),
                        OrtTypes.javaType(h.type())));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result r = s.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    byte[] bytes = new byte[Math.toIntExact(t.getByteBuffer().remaining())];
                    t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN).get(bytes);
                    out.put(e.getKey(), Tensor.of(e.getKey(), OrtTypes.elementOf(t), t.getInfo().getShape(), bytes));
                }
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }
}
