package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.Ort;
import dev.graphfuse.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed export, optimized with the default pipeline, still runs in stock ONNX Runtime Java
 * (fused nodes execute through their function bodies) and computes the same outputs: on the
 * reference inputs and on fresh random float inputs, max abs diff ≤ 1e-5 for f32 models, ≤ 2e-3
 * relative for f16.
 */
class OptimizedModelsRunTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> optimizedModelsComputeTheSameOutputs() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model model = OnnxImporter.read(m.file());
            PassRegistry r = PassRegistry.standard();
            PassContext ctx = PassContext.quiet();
            new PassManager().run(model, r.pipeline(PassRegistry.DEFAULT_PIPELINE), ctx);
            assertEquals(java.util.List.of(), GraphVerifier.problems(model));
            Path out = tmp.resolve(m.name()).resolve(m.file().getFileName());
            java.nio.file.Files.createDirectories(out.getParent());
            OnnxExporter.write(model, out);

            Map<String, Tensor> inputs = new LinkedHashMap<>();
            m.referenceInputs().forEach((name, file) -> inputs.put(name, Npy.read(file, name)));
            compare(m.dtype(), Ort.run(m.file(), inputs), Ort.run(out, inputs));
            Map<String, Tensor> random = randomize(inputs, new Random(m.name().hashCode()));
            if (!random.equals(inputs)) {
                compare(m.dtype(), Ort.run(m.file(), random), Ort.run(out, random));
            }
        }));
    }

    /** Float inputs replaced by fresh normal samples; integer inputs (ids, positions) kept. */
    private static Map<String, Tensor> randomize(Map<String, Tensor> inputs, Random rnd) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        inputs.forEach((name, t) -> {
            if (t.elementType() != ElementType.FLOAT) {
                out.put(name, t);
                return;
            }
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.elementCount() * 4)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < t.elementCount(); i++) {
                b.putFloat((float) rnd.nextGaussian());
            }
            out.put(name, Tensor.of(name, ElementType.FLOAT, t.dims(), b.array()));
        });
        return out;
    }

    private static void compare(String dtype, Map<String, Tensor> before, Map<String, Tensor> after) {
        assertEquals(before.keySet(), after.keySet());
        boolean half = "float16".equals(dtype) || "f16".equals(dtype);
        for (String name : before.keySet()) {
            Tensor a = before.get(name);
            Tensor b = after.get(name);
            assertArrayEquals(a.dims(), b.dims(), "shape of " + name);
            double worst = 0;
            for (long i = 0; i < a.elementCount(); i++) {
                double x = a.getDouble(i);
                double y = b.getDouble(i);
                double err = half ? Math.abs(x - y) / Math.max(1e-3, Math.abs(x)) : Math.abs(x - y);
                worst = Math.max(worst, err);
            }
            double tol = half ? 2e-3 : 1e-5;
            assertTrue(worst <= tol, name + ": max " + (half ? "relative" : "abs") + " diff " + worst + " > " + tol);
        }
    }
}
