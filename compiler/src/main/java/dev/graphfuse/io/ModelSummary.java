package dev.graphfuse.io;

import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code graphfuse inspect} reports about a model. Op counts cover the main graph's own nodes
 * ({@code domain::Op} outside the default domain); nodes inside subgraphs are counted separately.
 */
public record ModelSummary(
        String file,
        long irVersion,
        String producer,
        Map<String, Long> opsets,
        List<Port> inputs,
        List<Port> outputs,
        int nodeCount,
        int subgraphNodeCount,
        Map<String, Integer> opHistogram,
        int initializerCount,
        long initializerBytes,
        long inlineInitializerBytes,
        long externalInitializerBytes,
        Map<String, Long> externalDataFiles,
        List<String> functions) {

    /** A graph input or output with its printed type. */
    public record Port(String name, String type) {
    }

    public static ModelSummary of(String file, Model m) {
        Graph g = m.graph();
        Map<String, Integer> hist = new TreeMap<>();
        for (Node n : g.nodes()) {
            hist.merge(n.qualifiedOpType(), 1, Integer::sum);
        }
        long inline = 0;
        long external = 0;
        Map<String, Long> files = new TreeMap<>();
        int inits = 0;
        for (Value v : g.initializers()) {
            inits++;
            Tensor t = v.initializer();
            if (t == null) {
                continue;
            }
            if (t.data() instanceof TensorData.External e) {
                external += e.length();
                files.merge(e.location(), e.length(), Long::sum);
            } else {
                inline += t.data().byteLength();
            }
        }
        List<String> fns = new ArrayList<>();
        m.functions().forEach(f -> fns.add(f.qualifiedName()));
        String producer = (m.producerName() + " " + m.producerVersion()).trim();
        return new ModelSummary(file, m.irVersion(), producer, new LinkedHashMap<>(m.opsetImports()),
                ports(g.inputs()), ports(g.outputs()), g.nodeCount(), subgraphNodes(g), hist, inits,
                inline + external, inline, external, files, fns);
    }

    private static List<Port> ports(List<Value> values) {
        List<Port> out = new ArrayList<>();
        for (Value v : values) {
            out.add(new Port(v.name(), typeText(v.type())));
        }
        return out;
    }

    private static String typeText(ValueType t) {
        return t == null ? "?" : dev.graphfuse.text.GraphTextWriter.typeText(t);
    }

    private static int subgraphNodes(Graph g) {
        int n = 0;
        for (Node node : g.nodes()) {
            for (Graph sub : node.subgraphs()) {
                n += sub.nodeCount() + subgraphNodes(sub);
            }
        }
        return n;
    }
}
