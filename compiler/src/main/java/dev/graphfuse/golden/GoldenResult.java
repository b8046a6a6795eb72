package dev.graphfuse.golden;

import java.nio.file.Path;

/**
 * What one golden case did: {@code matches}, or the case file as the run would write it ({@code actual}) and
 * a unified diff against the file; {@code changedUnchanged} when a case that says {@code expect: unchanged}
 * saw its graph changed (the diff is then input against result, and no update can accept it: the case
 * itself must be edited); and, when the result depended on the order of the input's nodes, why.
 */
public record GoldenResult(Path file, boolean matches, String actual, String diff, boolean changedUnchanged,
                           String nondeterminism) {
    public boolean ok() {
        return matches && nondeterminism == null;
    }

    /** Whether {@code update} may write {@link #actual()} into the case. */
    public boolean updatable() {
        return !changedUnchanged && nondeterminism == null;
    }
}
