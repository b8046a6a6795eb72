package dev.graphfuse.ir;

/** One use of a value: input slot {@code inputIndex} of {@code node}. */
public record Use(Node node, int inputIndex) {
}
