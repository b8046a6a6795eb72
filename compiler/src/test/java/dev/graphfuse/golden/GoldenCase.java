package dev.graphfuse.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code testdata/golden/<suite>/<case>.test} file: {@code # key: value} headers (passes,
 * patterns, expect), then {@code --- input}, {@code --- expected} (absent when the case expects the
 * graph unchanged) and {@code --- stats} sections.
 */
record GoldenCase(Path file, List<String> headerLines, Map<String, String> headers, String input, String expected,
                  String stats) {
    static final String INPUT = "--- input";
    static final String EXPECTED = "--- expected";
    static final String STATS = "--- stats";

    static GoldenCase read(Path file) throws IOException {
        String text = Files.readString(file);
        List<String> header = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : text.split("\n", -1)) {
            if (line.equals(INPUT) || line.equals(EXPECTED) || line.equals(STATS)) {
                current = new StringBuilder();
                sections.put(line, current);
                continue;
            }
            if (current == null) {
                header.add(line);
                if (line.startsWith("# ") && line.indexOf(':') > 2) {
                    int colon = line.indexOf(':');
                    String key = line.substring(2, colon).strip();
                    if (key.matches("[a-z]+")) {
                        headers.put(key, line.substring(colon + 1).strip());
                    }
                }
                continue;
            }
            current.append(line).append('\n');
        }
        if (!sections.containsKey(INPUT)) {
            throw new IOException(file + ": no '" + INPUT + "' section");
        }
        return new GoldenCase(file, header, headers, trim(sections.get(INPUT)), trim(sections.get(EXPECTED)),
                trim(sections.get(STATS)));
    }

    private static String trim(StringBuilder sb) {
        return sb == null ? null : sb.toString().strip() + "\n";
    }

    boolean expectsUnchanged() {
        return "unchanged".equals(headers.get("expect"));
    }

    /** The file with the expected and stats sections replaced by {@code actual}'s. */
    String render(String actualOutput, String actualStats) {
        StringBuilder sb = new StringBuilder();
        while (!headerLines.isEmpty() && headerLines.get(headerLines.size() - 1).isBlank()) {
            headerLines.remove(headerLines.size() - 1);
        }
        for (String h : headerLines) {
            sb.append(h).append('\n');
        }
        sb.append(INPUT).append('\n').append(input);
        if (!expectsUnchanged()) {
            sb.append(EXPECTED).append('\n').append(actualOutput);
        }
        sb.append(STATS).append('\n').append(actualStats);
        return sb.toString();
    }
}
