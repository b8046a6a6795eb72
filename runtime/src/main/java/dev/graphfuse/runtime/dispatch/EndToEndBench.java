package dev.graphfuse.runtime.dispatch;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graphfuse.ir.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Times whole-model runs of two ONNX Runtime sessions on the same inputs: the original export in stock ORT
 * and the optimized one with graphfuse's op library, same execution provider. Runs alternate between the
 * two sessions, so drift of clocks and caches hits both alike. A run is {@code OrtSession.run} from host
 * inputs to host outputs (ORT Java has no device-resident I/O), the same for both sides.
 */
public final class EndToEndBench {
    private EndToEndBench() {
    }

    /** Median and 90th percentile of one side, µs. */
    public record Timing(double medianMicros, double p90Micros, int runs) {
        static Timing of(long[] nanos) {
            long[] s = nanos.clone();
            Arrays.sort(s);
            return new Timing(s[(s.length - 1) / 2] / 1e3, s[Math.min(s.length - 1, (int) Math.ceil(0.9 * s.length) - 1)] / 1e3,
                    s.length);
        }
    }

    /** One shape: both timings and original / optimized (above 1: the optimized model is faster). */
    public record Row(Map<String, Long> dims, Timing original, Timing optimized) {
        public double speedup() {
            return original.medianMicros() / optimized.medianMicros();
        }
    }

    public static Row time(GraphfuseSession original, GraphfuseSession optimized, Map<String, Tensor> inputs,
                           Map<String, Long> dims, int warmup, int iterations) throws OrtException {
        Map<String, OnnxTensor> a = original.feed(inputs);
        Map<String, OnnxTensor> b = optimized.feed(inputs);
        try {
            for (int i = 0; i < warmup; i++) {
                runOnce(original.ortSession(), a);
                runOnce(optimized.ortSession(), b);
            }
            long[] ta = new long[iterations];
            long[] tb = new long[iterations];
            for (int i = 0; i < iterations; i++) {
                ta[i] = runOnce(original.ortSession(), a);
                tb[i] = runOnce(optimized.ortSession(), b);
            }
            return new Row(Map.copyOf(dims), Timing.of(ta), Timing.of(tb));
        } finally {
            a.values().forEach(OnnxTensor::close);
            b.values().forEach(OnnxTensor::close);
        }
    }

    private static long runOnce(OrtSession s, Map<String, OnnxTensor> feed) throws OrtException {
        long t0 = System.nanoTime();
        try (OrtSession.Result r = s.run(feed)) {
            return System.nanoTime() - t0 + (r.size() < 0 ? 1 : 0);
        }
    }

    /** Names of the symbolic dims of the model's first {@code inputs} inputs, in order of first appearance. */
    public static List<String> symbolicDims(dev.graphfuse.ir.Model m, int inputs) {
        return m.graph().inputs().stream().filter(v -> !v.isInitializer()).limit(inputs)
                .filter(v -> v.type() instanceof dev.graphfuse.ir.ValueType.TensorType tt && tt.shape() != null
                        && tt.shape().hasRank())
                .flatMap(v -> ((dev.graphfuse.ir.ValueType.TensorType) v.type()).shape().dims().stream())
                .filter(d -> d instanceof dev.graphfuse.ir.Dim.Symbolic).map(Object::toString).distinct().toList();
    }
}
