package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.ir.Model;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.kernels.KernelException;
import dev.graphfuse.text.GraphTextReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the graphfuse nodes ran, from ORT's profile: a node on the provider asked for is fine; one on
 * another provider, or with no kernel event of its own (ORT ran something else in its place), is a
 * fallback — logged, or an error under --no-fallback.
 */
class FusedPlacementTest {
    private static final Model MODEL = GraphTextReader.parse("model {\n  ir_version: 10\n  opset \"\": 18\n"
            + "  opset \"graphfuse\": 1\n}\ngraph g (x: f32[2,8]) -> (y: f32[2,8], z: f32[2,8]) {\n"
            + "  init w: f32[8] = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]\n"
            + "  [norm_a] y: f32[2,8] = graphfuse::RmsNorm(x, w) {epsilon: float = 1e-6}\n"
            + "  [norm_b] z: f32[2,8] = graphfuse::RmsNorm(y, w) {epsilon: float = 1e-6}\n}\n", "p.gft", null);

    /** A Chrome-trace profile as ORT writes it: a session event, then node events per run. */
    private static List<NodePlacement> profile(String... nodes) throws Exception {
        StringBuilder b = new StringBuilder("[{\"cat\": \"Session\", \"name\": \"model_run\", \"dur\": 50}");
        for (String n : nodes) {
            String[] f = n.split(":");
            b.append(", {\"cat\": \"Node\", \"name\": \"").append(f[0]).append("_kernel_time\", \"dur\": 7, \"args\": ")
                    .append("{\"op_name\": \"").append(f[1]).append("\", \"provider\": \"").append(f[2]).append("\"}}");
        }
        return GraphfuseSession.parseProfile(new ObjectMapper().readTree(b.append("]").toString()));
    }

    @Test
    void profileEventsBecomeOnePlacementPerNode() throws Exception {
        List<NodePlacement> p = profile("norm_a:RmsNorm:CUDAExecutionProvider", "norm_b:RmsNorm:CUDAExecutionProvider",
                "norm_a:RmsNorm:CUDAExecutionProvider");
        assertEquals(List.of(new NodePlacement("norm_a", "RmsNorm", "CUDAExecutionProvider", 2, 14),
                new NodePlacement("norm_b", "RmsNorm", "CUDAExecutionProvider", 1, 7)), p);
    }

    @Test
    void everyNodeOnTheProviderAskedForIsNoFallback() throws Exception {
        List<String> log = new ArrayList<>();
        FusedPlacement f = FusedPlacement.check(MODEL, profile("norm_a:RmsNorm:CUDAExecutionProvider",
                "norm_b:RmsNorm:CUDAExecutionProvider"), ExecutionProvider.CUDA, new Fallbacks(true, log::add));
        assertEquals(List.of(), f.misplaced());
        assertEquals(Map.of("RmsNorm on CUDAExecutionProvider", 2), f.byOpAndProvider());
        assertEquals("2 graphfuse nodes: RmsNorm on CUDAExecutionProvider ×2", f.summary());
        assertEquals(List.of(), log);
    }

    @Test
    void aNodeOnAnotherProviderOrWithoutItsKernelIsAFallback() throws Exception {
        List<String> log = new ArrayList<>();
        FusedPlacement f = FusedPlacement.check(MODEL, profile("norm_a:RmsNorm:CPUExecutionProvider",
                "norm_b_body:Mul:CUDAExecutionProvider"), ExecutionProvider.CUDA, new Fallbacks(false, log::add));
        assertEquals(List.of("graphfuse.RmsNorm node 'norm_a': ONNX Runtime ran it as RmsNorm on CPUExecutionProvider, not on "
                + "CUDAExecutionProvider", "graphfuse.RmsNorm node 'norm_b': ONNX Runtime ran no graphfuse kernel for it"),
                f.misplaced());
        assertEquals(List.of("graphfuse: graphfuse.RmsNorm node 'norm_a': falling back to CPUExecutionProvider: ONNX Runtime "
                + "ran it as RmsNorm on CPUExecutionProvider, not on CUDAExecutionProvider", "graphfuse: graphfuse.RmsNorm node "
                + "'norm_b': falling back to its function body: ONNX Runtime ran no graphfuse kernel for it"), log);
        KernelException e = assertThrows(KernelException.class, () -> FusedPlacement.check(MODEL,
                profile("norm_a:RmsNorm:CPUExecutionProvider", "norm_b:RmsNorm:CUDAExecutionProvider"), ExecutionProvider.CUDA,
                new Fallbacks(true, l -> { })));
        assertTrue(e.getMessage().endsWith("(--no-fallback)"), e.getMessage());
    }
}
