package dev.graphfuse.golden;

import dev.graphfuse.diag.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One golden case file ({@code NAME.test}): {@code # key: value} headers, then {@code --- input} (a graph in
 * the text format; or, with {@code # model: FILE.onnx}, none), {@code --- expected} (absent when the case
 * expects the graph unchanged) and {@code --- stats}. Headers: {@code passes} (required, comma separated),
 * {@code patterns} (.fuse files, relative to the case, run as the pass {@code patterns}), {@code model} (an
 * ONNX or text model file, relative to the case), {@code expect: unchanged}. Other {@code #} lines are prose.
 */
public record GoldenCase(Path file, List<String> headerLines, Map<String, String> headers, String input,
                         String expected, String stats) {
    static final String INPUT = "--- input";
    static final String EXPECTED = "--- expected";
    static final String STATS = "--- stats";
    private static final Set<String> KEYS = Set.of("passes", "patterns", "model", "expect");

    /** Reads and checks a case; every problem is one {@code FILE:LINE:COL: error: …} (exit 2 in the CLI). */
    public static GoldenCase read(Path file) {
        return read(file, false);
    }

    /**
     * As {@link #read(Path)}; {@code forUpdate} accepts a case whose expectations are not written yet (no
     * {@code --- expected} or {@code --- stats}): {@code update} writes them.
     */
    public static GoldenCase read(Path file, boolean forUpdate) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file.toString(), null, "no such file");
        } catch (IOException e) {
            throw new BadInputException(file.toString(), null, "cannot read: " + e.getMessage());
        }
        List<String> header = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String at = (i + 1) + ":1";
            if (line.startsWith("--- ")) {
                if (!line.equals(INPUT) && !line.equals(EXPECTED) && !line.equals(STATS)) {
                    throw new BadInputException(file.toString(), at, "unknown section '" + line + "' (expected '" + INPUT
                            + "', '" + EXPECTED + "' or '" + STATS + "')");
                }
                if (sections.containsKey(line)) {
                    throw new BadInputException(file.toString(), at, "second '" + line + "' section");
                }
                current = new StringBuilder();
                sections.put(line, current);
                continue;
            }
            if (current != null) {
                current.append(line).append('\n');
                continue;
            }
            header.add(line);
            if (line.startsWith("# ") && line.indexOf(':') > 2 && line.substring(2, line.indexOf(':')).matches("[a-z]+")) {
                String key = line.substring(2, line.indexOf(':'));
                if (!KEYS.contains(key)) {
                    continue; // prose that happens to start with "word:"
                }
                if (headers.containsKey(key)) {
                    throw new BadInputException(file.toString(), at, "second '# " + key + ":' header");
                }
                headers.put(key, line.substring(line.indexOf(':') + 1).strip());
            } else if (!line.isBlank() && !line.startsWith("#")) {
                throw new BadInputException(file.toString(), at, "expected a '# key: value' header, a '#' comment or '"
                        + INPUT + "', got '" + line + "'");
            }
        }
        String end = lines.length + ":1";
        if (headers.getOrDefault("passes", "").isBlank()) {
            throw new BadInputException(file.toString(), "1:1", "no '# passes:' header (e.g. '# passes: canonicalize,raise,fuse')");
        }
        String expect = headers.get("expect");
        if (expect != null && !expect.equals("unchanged")) {
            throw new BadInputException(file.toString(), "1:1", "'# expect:' must be 'unchanged', got '" + expect + "'");
        }
        boolean model = headers.containsKey("model");
        if (model == sections.containsKey(INPUT)) {
            throw new BadInputException(file.toString(), end, model ? "a case with '# model:' has no '" + INPUT + "' section"
                    : "no '" + INPUT + "' section and no '# model:' header");
        }
        if (!sections.containsKey(STATS) && !forUpdate) {
            throw new BadInputException(file.toString(), end, "no '" + STATS + "' section (run `graphfuse golden update` to "
                    + "write it)");
        }
        if ("unchanged".equals(expect) ? sections.containsKey(EXPECTED) : !sections.containsKey(EXPECTED) && !forUpdate) {
            throw new BadInputException(file.toString(), end, "unchanged".equals(expect)
                    ? "'# expect: unchanged' and an '" + EXPECTED + "' section" : "no '" + EXPECTED + "' section");
        }
        return new GoldenCase(file, header, headers, trim(sections.get(INPUT)), trim(sections.get(EXPECTED)),
                trim(sections.get(STATS)));
    }

    private static String trim(StringBuilder sb) {
        return sb == null ? null : sb.toString().strip() + "\n";
    }

    public boolean expectsUnchanged() {
        return "unchanged".equals(headers.get("expect"));
    }

    public List<String> passes() {
        return List.of(headers.get("passes").split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The .fuse files of {@code # patterns:}, resolved against the case's folder. */
    public List<Path> patternFiles() {
        String p = headers.get("patterns");
        return p == null ? List.of() : List.of(p.split(",")).stream().map(s -> dir().resolve(s.strip())).toList();
    }

    /** The model file of {@code # model:}, or null for an inline input. */
    public Path modelFile() {
        String m = headers.get("model");
        return m == null ? null : dir().resolve(m);
    }

    Path dir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** The case with its expectations replaced by what the run produced. */
    public String render(String actualOutput, String actualStats) {
        List<String> head = new ArrayList<>(headerLines);
        while (!head.isEmpty() && head.get(head.size() - 1).isBlank()) {
            head.remove(head.size() - 1);
        }
        StringBuilder sb = new StringBuilder();
        head.forEach(h -> sb.append(h).append('\n'));
        if (input != null) {
            sb.append(INPUT).append('\n').append(input);
        }
        if (!expectsUnchanged()) {
            sb.append(EXPECTED).append('\n').append(actualOutput);
        }
        return sb.append(STATS).append('\n').append(actualStats).toString();
    }
}
