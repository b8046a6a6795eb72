package dev.graphfuse.pass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What passes share while a pipeline runs: per-rule statistics, a log for remarks, and the
 * policy for fallbacks. A fallback (a pass choosing a weaker path than it was asked for) is always
 * logged with its reason; with {@code strict} it is an error instead.
 */
public final class PassContext {
    private final Map<String, RuleStats> stats = new LinkedHashMap<>();
    private final List<String> remarks = new ArrayList<>();
    private final Consumer<String> log;
    private final boolean strict;

    public PassContext(Consumer<String> log, boolean strict) {
        this.log = Objects.requireNonNull(log, "log is null");
        this.strict = strict;
    }

    /** A context that logs nowhere and never fails on fallbacks; for tests and embedding. */
    public static PassContext quiet() {
        return new PassContext(s -> { }, false);
    }

    public boolean strict() {
        return strict;
    }

    /** The statistics of {@code rule} in {@code pass}, created on first use. */
    public RuleStats stats(String pass, String rule) {
        return stats.computeIfAbsent(pass + "/" + rule, k -> new RuleStats(pass, rule));
    }

    /** Every rule's statistics, in first-use order. */
    public List<RuleStats> allStats() {
        return List.copyOf(stats.values());
    }

    /** Something a user may want to know (a pass skipped, a pattern that never fired). */
    public void remark(String message) {
        remarks.add(message);
        log.accept("remark: " + message);
    }

    public List<String> remarks() {
        return Collections.unmodifiableList(remarks);
    }

    /**
     * Reports that {@code what} falls back for {@code reason}: logged as a warning, or thrown as a
     * {@link FallbackException} under {@code --strict}.
     */
    public void fallback(String what, String reason) {
        String message = what + ": " + reason;
        if (strict) {
            throw new FallbackException(message);
        }
        remarks.add("fallback: " + message);
        log.accept("warning: fallback: " + message);
    }
}
