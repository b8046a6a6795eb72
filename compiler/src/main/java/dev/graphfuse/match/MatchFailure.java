package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import java.util.function.Supplier;

/**
 * Why a pattern did not match at an anchor. The reason is built only when asked for ({@code explain},
 * remarks); statistics use {@code label}, which has no value names so it aggregates.
 *
 * @param <P>      the phantom type of the matcher's plans, so a failure is a {@code MatchResult<P>}
 * @param label    {@code kind}'s label, or for a failed {@code require} the predicate's ({@code predicate:InRange})
 * @param progress how many pattern ops had matched when it failed (one more when every op had matched
 *                 and a requirement or a structural check failed); explain reports the deepest failure
 * @param complete every op of the pattern had matched; a requirement or a structural check failed
 */
public record MatchFailure<P>(Node anchor, FailureKind kind, String label, int progress, boolean complete,
                           Supplier<String> reasonSupplier) implements MatchResult<P> {
    public String reason() {
        return reasonSupplier.get();
    }
}
