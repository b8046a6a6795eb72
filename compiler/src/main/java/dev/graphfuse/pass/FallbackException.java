package dev.graphfuse.pass;

/** A fallback that {@code --strict} turned into an error. */
public final class FallbackException extends RuntimeException {
    public FallbackException(String message) {
        super(message + " (an error because of --strict)");
    }
}
