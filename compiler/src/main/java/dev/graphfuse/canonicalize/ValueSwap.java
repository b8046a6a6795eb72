package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Replacing a node's output by a new definition under the same name. Keeping the name keeps
 * value_info annotations and subgraph captures (which refer by name) valid.
 */
final class ValueSwap {
    private ValueSwap() {
    }

    /** Replaces single-output {@code n} by an initializer holding {@code data}, named as its output. */
    static Value toInitializer(Graph g, Node n, Tensor data) {
        Value old = n.output();
        Value init = g.addInitializer(data.withName(g.freshName(old.name() + "_folded")));
        takeOver(g, n, old, init);
        return init;
    }

    /**
     * Points every use of {@code old} (output of {@code n}) at {@code replacement}, removes {@code n}
     * and gives {@code replacement} the old name, graph-output slots and annotations.
     */
    static void takeOver(Graph g, Node n, Value old, Value replacement) {
        old.replaceAllUsesWith(replacement);
        String doc = old.docString();
        Map<String, String> metadata = new LinkedHashMap<>(old.metadata());
        g.swapNames(old, replacement);
        g.removeNode(n);
        if (replacement.docString().isEmpty()) {
            replacement.setDocString(doc);
        }
        metadata.forEach(replacement.metadata()::putIfAbsent);
    }
}
