package dev.graphfuse.match;

/**
 * What matching a pattern at one anchor gives: a {@link Match}, or a {@link MatchFailure} that says why not.
 *
 * @param <P> what the matcher's acceptor hands on with a match
 */
public sealed interface MatchResult<P> permits Match, MatchFailure {
}
