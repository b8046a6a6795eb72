package dev.graphfuse.canonicalize;

/**
 * Thrown inside constant evaluation when a node must be left alone; the message is a reason kind
 * (no value names) so rule statistics aggregate it.
 */
final class NotFoldable extends RuntimeException {
    NotFoldable(String reasonKind) {
        super(reasonKind, null, false, false);
    }

    String reasonKind() {
        return getMessage();
    }
}
