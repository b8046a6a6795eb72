package dev.graphfuse.runtime.dispatch;

import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where the graphfuse nodes of a profiled run ran. A graphfuse node on another EP than the one asked for,
 * or one that did not run as a kernel of its own (ORT ran something else in its place), is a fallback:
 * logged with its reason, an error under --no-fallback.
 */
public record FusedPlacement(int fusedNodes, Map<String, Integer> byOpAndProvider, List<String> misplaced) {

    public static FusedPlacement check(Model model, List<NodePlacement> placements, ExecutionProvider want,
                                       dev.graphfuse.runtime.kernels.Fallbacks fallbacks) {
        Map<String, NodePlacement> byNode = placements.stream()
                .collect(Collectors.toMap(NodePlacement::node, Function.identity(), (a, b) -> a));
        Map<String, Integer> counts = new TreeMap<>();
        List<Node> fused = graphfuseNodes(model);
        List<String> misplaced = new java.util.ArrayList<>();
        for (Node n : fused) {
            NodePlacement p = byNode.get(n.name());
            String where = p == null ? "no kernel of its own" : p.provider();
            counts.merge(n.opType() + " on " + where, 1, Integer::sum);
            if (p == null || !p.provider().equals(want.ortName()) || !p.opType().equals(n.opType())) {
                String line = "graphfuse." + n.opType() + " node '" + n.name() + "'";
                String reason = p == null ? "ONNX Runtime ran no graphfuse kernel for it"
                        : "ONNX Runtime ran it as " + p.opType() + " on " + p.provider() + ", not on " + want.ortName();
                misplaced.add(line + ": " + reason);
                fallbacks.fallBack(line, p == null ? "its function body" : p.provider(), reason);
            }
        }
        return new FusedPlacement(fused.size(), counts, misplaced);
    }

    /** The graphfuse nodes of a model. */
    public static List<Node> graphfuseNodes(Model m) {
        return m.graph().nodes().stream().filter(n -> "graphfuse".equals(n.domain())).toList();
    }

    /** "7 graphfuse nodes: QkNormRope on CUDAExecutionProvider ×2, RmsNorm on CUDAExecutionProvider ×5". */
    public String summary() {
        return fusedNodes + " graphfuse nodes" + (byOpAndProvider.isEmpty() ? "" : ": " + byOpAndProvider.entrySet().stream()
                .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
    }
}
