package dev.graphfuse.match;

/** A native predicate got an argument of the wrong kind for this match; the match fails with the message. */
public final class PredicateArgumentException extends RuntimeException {
    public PredicateArgumentException(String message) {
        super(message);
    }
}
