package dev.graphfuse.pass;

import java.util.List;
import java.util.Objects;

/** An ordered list of passes; a value, built in code or from a {@code --passes} list. */
public record Pipeline(String name, List<Pass> passes) {
    public Pipeline {
        Objects.requireNonNull(name, "name is null");
        passes = List.copyOf(passes);
    }

    public static Pipeline of(String name, Pass... passes) {
        return new Pipeline(name, List.of(passes));
    }
}
