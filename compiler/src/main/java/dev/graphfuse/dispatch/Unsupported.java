package dev.graphfuse.dispatch;

/** A fused node whose kernels cannot take this call (layout, dtype, attribute); the reason says which. */
public final class Unsupported extends Exception {
    public Unsupported(String reason) {
        super(reason, null, false, false);
    }
}
