package dev.graphfuse.ir;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a graph that must be acyclic has a cycle; names nodes on it. */
public final class GraphCycleException extends IllegalStateException {
    private final transient List<Node> cycle;

    public GraphCycleException(List<Node> cycle) {
        super("graph has a cycle through " + (cycle.isEmpty() ? "unknown nodes"
                : cycle.stream().limit(6).map(Node::toString).collect(Collectors.joining(", "))
                + (cycle.size() > 6 ? ", …" : "")));
        this.cycle = List.copyOf(cycle);
    }

    public List<Node> cycle() {
        return cycle;
    }
}
