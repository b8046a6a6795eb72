package dev.graphfuse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of the scratch directories benchmarks write their outputs to. */
final class TempDirs {
    private TempDirs() {
    }

    /** Deletes {@code dir} and everything below it, deepest first. */
    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
