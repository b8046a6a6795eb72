package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Diagnostic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * One dynamic test per {@code testdata/dsl/<area>/<case>.fuse}: the file is loaded with
 * {@link PatternLoader} and the full text of the {@link BadInputException} (every diagnostic and note, in
 * order) must equal the file's leading {@code // CHECK: } lines. A case without CHECK lines must load
 * cleanly. Files under a folder named {@code lib} are only imported by cases, not cases themselves.
 * The format is described in {@code testdata/dsl/README.md}.
 *
 * <p>{@code -Ddsl.update=true} rewrites the CHECK lines from what the loader reports now (review the
 * diff before committing it).
 */
class DslDiagnosticsTest {
    static final String CHECK = "// CHECK: ";
    private static final Pattern LINE = Pattern.compile("^\\S+:\\d+:\\d+: (error|note): .+");

    static Path casesDir() {
        return TestModels.repoRoot().resolve("testdata").resolve("dsl");
    }

    /** The committed cases, sorted, helper files under {@code lib/} left out. */
    static List<Path> cases() throws IOException {
        try (Stream<Path> s = Files.walk(casesDir())) {
            return s.filter(p -> p.toString().endsWith(".fuse"))
                    .filter(p -> !casesDir().relativize(p).toString().replace('\\', '/').matches("(.*/)?lib/.*"))
                    .sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> diagnostics() throws IOException {
        List<Path> cases = cases();
        assertFalse(cases.isEmpty(), "no cases under " + casesDir());
        boolean update = Boolean.getBoolean("dsl.update");
        return cases.stream().map(p -> DynamicTest.dynamicTest(casesDir().relativize(p).toString(), p.toUri(), () -> {
            if (update) {
                update(p);
            }
            String text = Files.readString(p, StandardCharsets.UTF_8);
            String expected = String.join("\n", checkLines(text));
            String actual = actual(p);
            assertEquals(expected, actual, "diagnostics of " + casesDir().relativize(p));
            for (String line : actual.isEmpty() ? new String[0] : actual.split("\n")) {
                // the file prefix is left out for the case file itself; the rest must be the usual form
                String full = line.matches("^\\d+:\\d+: .*") ? p.getFileName() + ":" + line : line;
                if (!LINE.matcher(full).matches()) {
                    throw new AssertionError("not FILE:LINE:COL: error|note: …: " + line);
                }
            }
        }));
    }

    /** The {@code // CHECK: } lines the file starts with, without the marker. */
    static List<String> checkLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String l = line.stripTrailing();
            if (!l.startsWith(CHECK)) {
                break;
            }
            out.add(l.substring(CHECK.length()));
        }
        return out;
    }

    /**
     * What the loader reports for {@code file}: the BadInputException's text, with the case file's own name
     * left out ({@code 6:12: error: …}) and other files named relative to {@code testdata/dsl}; empty when
     * it loads.
     */
    static String actual(Path file) {
        try {
            new PatternLoader(PredicateRegistry.withBuiltins()).file(file).load();
            return "";
        } catch (BadInputException e) {
            List<String> lines = new ArrayList<>();
            for (Diagnostic d : e.diagnostics()) {
                lines.addAll(List.of(d.toString().split("\n")));
            }
            String self = file.toString() + ":";
            String root = casesDir().toString() + java.io.File.separator;
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                if (l.startsWith(self)) {
                    l = l.substring(self.length());
                } else if (l.startsWith(root)) {
                    l = l.substring(root.length()).replace('\\', '/');
                }
                out.add(l);
            }
            return String.join("\n", out);
        }
    }

    /** Rewrites the CHECK lines until they describe the file they head (their count moves the lines below). */
    private static void update(Path p) throws IOException {
        for (int round = 0; round < 4; round++) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            int end = 0;
            while (end < lines.size() && lines.get(end).startsWith(CHECK)) {
                end++;
            }
            List<String> body = lines.subList(end, lines.size());
            String actual = actual(p);
            List<String> checks = new ArrayList<>();
            if (!actual.isEmpty()) {
                for (String a : actual.split("\n")) {
                    checks.add(CHECK + a);
                }
            }
            List<String> now = new ArrayList<>(checks);
            now.addAll(body);
            String updated = String.join("\n", now);
            if (updated.equals(text)) {
                return;
            }
            Files.writeString(p, updated, StandardCharsets.UTF_8);
        }
    }
}
