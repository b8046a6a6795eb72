package dev.graphfuse.runtime.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where every fallback goes: each one (no library, no GPU, a shape the kernels do not support) is
 * logged with its reason, or — under --no-fallback — becomes a {@link KernelException}. Nothing falls
 * back silently.
 */
public final class Fallbacks {
    private final boolean strict;
    private final Consumer<String> log;
    private final List<String> seen = new ArrayList<>();

    public Fallbacks(boolean strict, Consumer<String> log) {
        this.strict = strict;
        this.log = log;
    }

    /** Logs to stderr. */
    public static Fallbacks toStderr(boolean strict) {
        return new Fallbacks(strict, System.err::println);
    }

    /** Records that {@code what} falls back to {@code to} because of {@code reason}; throws when strict. */
    public void fallBack(String what, String to, String reason) {
        String line = what + ": falling back to " + to + ": " + reason;
        if (strict) {
            throw new KernelException(KernelException.NO_DEVICE, line + " (--no-fallback)");
        }
        seen.add(line);
        log.accept("graphfuse: " + line);
    }

    /** Every fallback logged so far. */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    public boolean strict() {
        return strict;
    }
}
