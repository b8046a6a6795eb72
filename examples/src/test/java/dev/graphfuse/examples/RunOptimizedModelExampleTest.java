package dev.graphfuse.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunOptimizedModelExampleTest {
    private static final Path MODELS = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");
    private static final String AUTO_FALLBACK = "graphfuse: --device auto: falling back to ONNX Runtime's CPU execution provider: ";

    @ParameterizedTest
    @CsvSource({
            // HF Qwen3, 2 layers: per layer QkNormRope + 2 RmsNorm, then the final RmsNorm
            "qwen3_dynamo_op18_f32.onnx, logits, 7",
            // Qwen3-VL text model with 3-row MRoPE positions as a second input: QkNormMRope per layer
            "qwen3vl_text_dynamo_op18_f32.onnx, last_hidden_state, 7",
    })
    void optimizedModelMatchesTheExporterOutputWithEveryFusedNodeInAGraphfuseKernel(String file, String output,
                                                                                    long fusedNodes) throws Exception {
        Path model = MODELS.resolve(file);
        List<String> log = new ArrayList<>();
        RunOptimizedModelExample.Result r = RunOptimizedModelExample.run(model, log::add);

        // the pipeline fused what it should and the optimized graph is smaller
        assertEquals(fusedNodes, r.graphfuseNodes(), r.toString());
        assertTrue(r.nodesAfter() < r.nodesBefore(), r.nodesBefore() + " → " + r.nodesAfter());

        // every graphfuse node ran as graphfuse's own kernel on the session's provider, none misplaced
        assertEquals(fusedNodes, r.placement().fusedNodes());
        assertEquals(List.of(), r.placement().misplaced());
        assertEquals(fusedNodes, r.placement().byOpAndProvider().entrySet().stream()
                .filter(e -> e.getKey().endsWith(" on " + r.provider().ortName())).mapToInt(e -> e.getValue()).sum(),
                r.placement().summary());

        // within 1e-4 of PyTorch's recorded output, same shape
        assertEquals(1, r.outputs().size());
        RunOptimizedModelExample.OutputCheck c = r.outputs().get(0);
        assertEquals(output, c.name());
        long[] want = Npy.read(RunOptimizedModelExample.sibling(model, "out", output), output).dims();
        assertArrayEquals(want, c.shape());
        assertTrue(c.maxAbsError() <= 1e-4, output + ": max abs error " + c.maxAbsError());

        // the provider: CUDA with no fallback, or the CPU with exactly one logged reason
        assertEquals(r.fallbacks().stream().map(l -> "graphfuse: " + l).toList(), log, "Fallbacks.seen() is what was logged");
        if (r.provider() == ExecutionProvider.CUDA) {
            assertEquals(List.of(), log);
        } else {
            assertEquals(1, log.size(), log.toString());
            String line = log.get(0);
            assertTrue(line.startsWith(AUTO_FALLBACK), line);
            assertFalse(line.substring(AUTO_FALLBACK.length()).isBlank(), "the fallback names its reason");
        }
    }

    @ParameterizedTest
    @CsvSource({"qwen3_dynamo_op18_f32.onnx, input_ids", "qwen3vl_text_dynamo_op18_f32.onnx, position_ids"})
    void inputsAreFoundByTheTestdataNaming(String file, String input) {
        Path model = MODELS.resolve(file);
        Model m = ModelFiles.read(model);
        assertTrue(m.graph().inputs().stream().anyMatch(v -> v.name().equals(input)));
        assertTrue(RunOptimizedModelExample.sibling(model, "in", input).toFile().isFile());
    }
}
