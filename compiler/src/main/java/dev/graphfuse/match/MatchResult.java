package dev.graphfuse.match;

/** What matching a pattern at one anchor gives: a {@link Match}, or a {@link MatchFailure} that says why not. */
public sealed interface MatchResult permits Match, MatchFailure {
}
