package dev.graphfuse.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.kernels.FusedOp;
import dev.graphfuse.runtime.kernels.KernelBackend;
import dev.graphfuse.runtime.kernels.KernelException;
import dev.graphfuse.runtime.kernels.NormArgs;
import dev.graphfuse.runtime.kernels.RopeArgs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A device that refuses a shape (as the CUDA library does for a head_dim it has no kernel for) makes the
 * executor run that node in the CPU kernels, with one logged line naming the node and the device's reason
 * — or, under --no-fallback, fail with that reason. Nothing falls back silently.
 */
class DeviceFallbackTest {
    private static final Path MODELS = Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/models");

    /** Takes norms, refuses every rope-family op the way the native library reports GF_ERR_UNSUPPORTED. */
    private static final class PickyDevice implements KernelBackend {
        int refused;

        @Override
        public String name() {
            return "picky-device";
        }

        @Override
        public void rope(FusedOp op, RopeArgs args) {
            refused++;
            throw new KernelException(KernelException.UNSUPPORTED, op.symbol() + ": graphfuse: unsupported (no kernel "
                    + "for this dtype or head_dim) (code 10003)");
        }

        @Override
        public void norm(FusedOp op, NormArgs args) {
            new dev.graphfuse.runtime.kernels.CpuKernels().norm(op, args);
        }
    }

    private static Model optimized() {
        Model m = OnnxImporter.read(MODELS.resolve("vllm_attn_dynamo_op18_f32.onnx"));
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), PassContext.quiet());
        return m;
    }

    private static Map<String, Tensor> inputs() {
        return Map.of("hidden_states", Npy.read(MODELS.resolve("vllm_attn_dynamo_op18_f32.in.hidden_states.npy"), "hidden_states"),
                "positions", Npy.read(MODELS.resolve("vllm_attn_dynamo_op18_f32.in.positions.npy"), "positions"));
    }

    @Test
    void refusedShapeRunsOnTheCpuKernelsAndIsLogged() throws Exception {
        List<String> log = new ArrayList<>();
        PickyDevice device = new PickyDevice();
        Model original = OnnxImporter.read(MODELS.resolve("vllm_attn_dynamo_op18_f32.onnx"));
        Verification.Report r = Verification.run(original, optimized(), inputs(), device, new Fallbacks(false, log::add));
        assertTrue(r.pass(), r.outputs().toString());
        assertEquals(1, device.refused);
        assertEquals(1, r.stats().cpuFallbacks);
        assertEquals(1, r.stats().kernelCalls);
        assertEquals(1, log.size(), log.toString());
        assertTrue(log.get(0).matches("graphfuse: node \\S+ \\(graphfuse.QkNormRope\\) on picky-device: falling back to "
                + "the CPU kernels: gf_qk_norm_rope: graphfuse: unsupported .*"), log.get(0));
    }

    @Test
    void noFallbackMakesTheRefusalAnError() {
        Model original = OnnxImporter.read(MODELS.resolve("vllm_attn_dynamo_op18_f32.onnx"));
        KernelException e = assertThrows(KernelException.class, () -> Verification.run(original, optimized(), inputs(),
                new PickyDevice(), new Fallbacks(true, l -> { })));
        assertTrue(e.getMessage().endsWith("(--no-fallback)"), e.getMessage());
    }
}
