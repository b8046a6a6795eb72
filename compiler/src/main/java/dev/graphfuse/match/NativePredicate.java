package dev.graphfuse.match;

import java.util.List;

/**
 * A {@code require} condition written in Java, registered by name and declared in a .fuse file
 * with {@code predicate Name(params);}. Arguments arrive as bound: {@link dev.graphfuse.ir.Value}
 * for values, {@code Long}/{@code Double} for numbers and dims, {@code List} for lists, {@code String}.
 */
@FunctionalInterface
public interface NativePredicate {
    /** Null when the condition holds; otherwise why not, in words a user can act on. */
    String check(List<Object> args);
}
