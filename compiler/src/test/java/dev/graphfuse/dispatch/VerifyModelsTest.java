package dev.graphfuse.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.runtime.kernels.CpuKernels;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.testing.TestModels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code verify} on every committed export: ORT on the original against our runtime on the optimized
 * model (regions in ORT, every graphfuse node in the CPU kernels — none may fall back), on the
 * reference inputs and on fresh random float inputs, within the per-dtype tolerances.
 */
class VerifyModelsTest {

    @TestFactory
    Stream<DynamicTest> everyExportVerifiesOnTheCpuKernels() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model original = OnnxImporter.read(m.file());
            Model optimized = OnnxImporter.read(m.file());
            new PassManager().run(optimized, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE),
                    PassContext.quiet());
            long fused = optimized.graph().nodes().stream().filter(n -> "graphfuse".equals(n.domain())).count();
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            m.referenceInputs().forEach((name, file) -> inputs.put(name, Npy.read(file, name)));
            long seed = System.nanoTime();
            for (Map<String, Tensor> in : List.of(inputs, ModelInputs.randomFor(original, floatsRandom(inputs, seed), new Random(seed)))) {
                List<String> log = new ArrayList<>();
                Verification.Report r = Verification.run(original, optimized, in, new CpuKernels(), new Fallbacks(true, log::add));
                assertTrue(r.pass(), m.name() + " (seed " + seed + "): " + r.outputs());
                assertEquals(fused, r.stats().kernelCalls, m.name() + ": every graphfuse node runs in a kernel");
                assertEquals(List.of(), log);
                // the shapes the optimized graph declares are the ones ORT computes: outputs land in place
                assertEquals(0, r.stats().pinnedRefused, m.name() + ": a declared output shape was wrong");
            }
        }));
    }

    /** The reference inputs with float tensors replaced by fresh N(0, 1) values (ids and positions kept). */
    private static Map<String, Tensor> floatsRandom(Map<String, Tensor> ref, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        ref.forEach((name, t) -> out.put(name, t.elementType().isFloatingPoint()
                ? ModelInputs.random(name, t.elementType(), t.dims(), rnd) : t));
        return out;
    }
}
