package dev.graphfuse.dispatch;

import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order an optimized graph runs in: maximal regions of standard ops (each one ONNX Runtime
 * session) and the fused nodes between them (our kernels). Level of a node = the number of fused
 * nodes on the longest path into it; a fused node is one level above its inputs, a standard node at
 * the level of its highest input. Running, per level, its fused nodes and then all its standard nodes
 * as one region respects every dependency and gives the fewest regions this rule can.
 */
public record ExecutionPlan(List<Step> steps) {

    /** One step: a region of standard nodes with the values it reads and must produce, or a fused node. */
    public sealed interface Step {
    }

    public record Region(int index, List<NodeProto> nodes, List<String> inputs, List<String> outputs) implements Step {
    }

    public record Fused(NodeProto node) implements Step {
    }

    /**
     * @param dispatchable which nodes our kernels run; the others (standard ops, and fused nodes with no
     *                     kernel) go into regions, where ORT runs a fused node through its function body
     */
    public static ExecutionPlan of(GraphProto g, Predicate<NodeProto> dispatchable) {
        Map<String, Integer> level = new HashMap<>();
        List<List<NodeProto>> fusedAt = new ArrayList<>();
        List<List<NodeProto>> regionAt = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            int l = 0;
            for (String in : consumed(n)) {
                l = Math.max(l, level.getOrDefault(in, 0));
            }
            boolean fused = dispatchable.test(n);
            if (fused) {
                l++;
            }
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) {
                    level.put(out, l);
                }
            }
            while (fusedAt.size() <= l) {
                fusedAt.add(new ArrayList<>());
                regionAt.add(new ArrayList<>());
            }
            (fused ? fusedAt : regionAt).get(l).add(n);
        }
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        // who reads each value, by step, to know which region outputs leave their region
        List<Step> steps = new ArrayList<>();
        int regions = 0;
        for (int l = 0; l < fusedAt.size(); l++) {
            fusedAt.get(l).forEach(n -> steps.add(new Fused(n)));
            if (!regionAt.get(l).isEmpty()) {
                steps.add(new Region(regions++, regionAt.get(l), List.of(), List.of()));
            }
        }
        return new ExecutionPlan(withBoundaries(steps, graphOutputs, initializers));
    }

    private static List<Step> withBoundaries(List<Step> steps, Set<String> graphOutputs, Set<String> initializers) {
        Map<String, Integer> lastReader = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            for (NodeProto n : nodes(steps.get(i))) {
                for (String in : consumed(n)) {
                    lastReader.merge(in, i, Math::max);
                }
            }
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof Region r)) {
                out.add(steps.get(i));
                continue;
            }
            Set<String> produced = new HashSet<>();
            Set<String> inputs = new LinkedHashSet<>();
            for (NodeProto n : r.nodes()) {
                for (String in : consumed(n)) {
                    if (!produced.contains(in) && !initializers.contains(in)) {
                        inputs.add(in);
                    }
                }
                n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(produced::add);
            }
            List<String> outputs = new ArrayList<>();
            for (NodeProto n : r.nodes()) {
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty() && (graphOutputs.contains(o) || lastReader.getOrDefault(o, -1) > i)) {
                        outputs.add(o);
                    }
                }
            }
            out.add(new Region(r.index(), r.nodes(), List.copyOf(inputs), outputs));
        }
        return out;
    }

    private static List<NodeProto> nodes(Step s) {
        return switch (s) {
            case Region r -> r.nodes();
            case Fused f -> List.of(f.node());
        };
    }

    /** Every value name a node reads, including names its subgraphs capture from outer scopes. */
    static Set<String> consumed(NodeProto n) {
        Set<String> names = new LinkedHashSet<>();
        n.getInputList().stream().filter(s -> !s.isEmpty()).forEach(names::add);
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) {
                names.addAll(captures(a.getG()));
            }
            for (GraphProto sub : a.getGraphsList()) {
                names.addAll(captures(sub));
            }
        }
        return names;
    }

    private static Set<String> captures(GraphProto g) {
        Set<String> local = new HashSet<>();
        g.getInputList().forEach(v -> local.add(v.getName()));
        g.getInitializerList().forEach(t -> local.add(t.getName()));
        Set<String> outer = new LinkedHashSet<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : consumed(n)) {
                if (!local.contains(in)) {
                    outer.add(in);
                }
            }
            local.addAll(n.getOutputList());
        }
        return outer;
    }

    public long regionCount() {
        return steps.stream().filter(s -> s instanceof Region).count();
    }

    public long fusedCount() {
        return steps.stream().filter(s -> s instanceof Fused).count();
    }
}
