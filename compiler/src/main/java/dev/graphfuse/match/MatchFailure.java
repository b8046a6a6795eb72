package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import java.util.function.Supplier;

/**
 * Why a pattern did not match at an anchor. The reason is built only when asked for ({@code explain},
 * remarks); statistics use {@code kind}, which has no value names so it aggregates.
 *
 * @param progress how many pattern ops had matched when it failed; explain reports the deepest failure
 */
public record MatchFailure(Node anchor, String kind, int progress, Supplier<String> reasonSupplier) {
    public String reason() {
        return reasonSupplier.get();
    }
}
