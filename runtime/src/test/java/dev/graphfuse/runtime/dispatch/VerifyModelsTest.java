package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
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
 * {@code verify} on every committed export, on ONNX Runtime's CPU execution provider: the original in stock
 * ORT against the optimized model in ORT with graphfuse's op library, on the reference inputs and on fresh
 * random float inputs, within the per-dtype tolerances. ORT's profile must show every graphfuse node run
 * by graphfuse's kernel (op type and provider), none through its function body; and the optimized model
 * without the library (ORT runs the function bodies) must agree too.
 */
class VerifyModelsTest {

    @TestFactory
    Stream<DynamicTest> everyExportVerifiesWithTheOpLibraryOnTheCpuProvider() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model original = OnnxImporter.read(m.file());
            Model optimized = OnnxImporter.read(m.file());
            new PassManager().run(optimized, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE),
                    PassContext.quiet());
            int fused = FusedPlacement.graphfuseNodes(optimized).size();
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            m.referenceInputs().forEach((name, file) -> inputs.put(name, Npy.read(file, name)));
            long seed = System.nanoTime();
            for (Map<String, Tensor> in : List.of(inputs, ModelInputs.randomFor(original, floatsRandom(inputs, seed), new Random(seed)))) {
                List<String> log = new ArrayList<>();
                Verification.Report r = Verification.run(ModelSource.of(m.file()), ModelSource.of(optimized), optimized, in,
                        ExecutionProvider.CPU, new Fallbacks(true, log::add));
                assertTrue(r.pass(), m.name() + " (seed " + seed + "): " + r.outputs());
                assertEquals(fused, r.placement().fusedNodes());
                assertEquals(List.of(), r.placement().misplaced(), m.name());
                assertEquals(fused, r.placement().byOpAndProvider().entrySet().stream()
                        .filter(e -> e.getKey().endsWith(" on CPUExecutionProvider")).mapToInt(Map.Entry::getValue).sum(),
                        r.placement().summary());
                assertEquals(List.of(), log);

                Map<String, Tensor> bodies;
                try (GraphfuseSession s = ModelSource.of(optimized).open(
                        SessionOptionsSpec.of(ExecutionProvider.CPU).withOpLibrary(false))) {
                    bodies = s.run(in);
                }
                try (GraphfuseSession s = ModelSource.of(optimized).open(SessionOptionsSpec.of(ExecutionProvider.CPU))) {
                    Map<String, Tensor> ours = s.run(in);
                    for (Map.Entry<String, Tensor> e : bodies.entrySet()) {
                        OutputComparison c = OutputComparison.of(e.getKey(), e.getValue(), ours.get(e.getKey()));
                        assertTrue(c.pass(), m.name() + ": graphfuse kernels vs function bodies: " + c);
                    }
                }
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
