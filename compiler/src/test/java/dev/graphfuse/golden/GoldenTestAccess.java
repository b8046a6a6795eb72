package dev.graphfuse.golden;

import dev.graphfuse.pass.PassContext;
import dev.graphfuse.text.TextWriterOptions;
import java.io.IOException;
import java.nio.file.Path;

/** What other tests reuse of the golden harness: the case format, the print options, the stats text. */
public final class GoldenTestAccess {
    public static final TextWriterOptions PRINT = GoldenTest.PRINT;

    private GoldenTestAccess() {
    }

    public static String input(Path file) throws IOException {
        return GoldenCase.read(file).input();
    }

    public static String header(Path file, String key) throws IOException {
        return GoldenCase.read(file).headers().get(key);
    }

    public static String stats(PassContext ctx) {
        return GoldenTest.stats(ctx);
    }
}
