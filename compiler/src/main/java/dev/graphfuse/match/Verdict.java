package dev.graphfuse.match;

import java.util.function.Supplier;

/**
 * A {@link Matcher.Acceptor}'s answer for a structurally complete match: accepted, with what it worked
 * out (which the {@link Match} then carries), or rejected, so the matcher backtracks.
 *
 * @param <P> what an accepted match carries
 */
public sealed interface Verdict<P> {
    record Accepted<P>(P plan) implements Verdict<P> {
    }

    record Rejected<P>(FailureKind kind, Supplier<String> reason) implements Verdict<P> {
    }
}
