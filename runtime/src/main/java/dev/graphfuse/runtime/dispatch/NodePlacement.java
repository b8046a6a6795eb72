package dev.graphfuse.runtime.dispatch;

/**
 * Where one node ran during a profiled run: its op type and the execution provider ORT gave it, how often
 * it ran and the kernel time ORT measured (µs, summed over calls).
 */
public record NodePlacement(String node, String opType, String provider, int calls, long micros) {
}
