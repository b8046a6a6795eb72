package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/ops.md documents the ops the pattern library declares, as declared: each op's signature line is the
 * line of ops/graphfuse.fuse, and its attribute table lists the same attributes, in order, with the same
 * kind and default ("required" where there is none, "absent …" for an optional one). A default changed in
 * the declaration and not in the docs fails here.
 */
class OpsDocTest {
    private static final String OPS = "dev/graphfuse/patterns/ops/graphfuse.fuse";

    @Test
    void everyDeclaredOpIsDocumentedWithItsSignatureAndAttributes() throws IOException {
        Map<String, String> declared = new LinkedHashMap<>();
        for (String line : declarationSource().split("\n")) {
            if (line.startsWith("op graphfuse.")) {
                declared.put(opName(line), line.trim());
            }
        }
        List<String> doc = Files.readAllLines(TestModels.repoRoot().resolve("docs/ops.md"));
        Map<String, String> documented = new LinkedHashMap<>();
        Map<String, List<String>> tables = new LinkedHashMap<>();
        String current = null;
        for (String line : doc) {
            if (line.startsWith("op graphfuse.")) {
                current = opName(line);
                documented.put(current, line.trim());
                tables.put(current, new ArrayList<>());
            } else if (current != null && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                tables.get(current).add(cells[1].trim().replace("`", "") + " " + cells[2].trim() + " "
                        + defaultText(cells[3].trim()));
            } else if (line.startsWith("## ")) {
                current = null;
            }
        }
        assertEquals(declared, documented, "op signatures in docs/ops.md");
        for (Map.Entry<String, String> e : declared.entrySet()) {
            assertEquals(attributeRows(e.getValue()), tables.get(e.getKey()), e.getKey() + "'s attribute table");
        }
    }

    private static String declarationSource() throws IOException {
        try (InputStream in = OpsDocTest.class.getClassLoader().getResourceAsStream(OPS)) {
            assertNotNull(in, OPS);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String opName(String line) {
        return line.substring("op graphfuse.".length(), line.indexOf('('));
    }

    /** "name kind default" per attribute of a declaration line, default "required" or "absent". */
    private static List<String> attributeRows(String decl) {
        String body = decl.substring(decl.lastIndexOf('{') + 1, decl.lastIndexOf('}'));
        List<String> rows = new ArrayList<>();
        if (body.isBlank()) {
            return rows;
        }
        for (String attr : body.split(",\\s*")) {
            String[] nameRest = attr.split(":\\s*", 2);
            String rest = nameRest[1];
            String kind;
            String dflt;
            if (rest.contains("=")) {
                kind = rest.substring(0, rest.indexOf('=')).trim();
                dflt = rest.substring(rest.indexOf('=') + 1).trim().replace("\"", "");
            } else if (rest.endsWith("?")) {
                kind = rest.substring(0, rest.length() - 1).trim();
                dflt = "absent";
            } else {
                kind = rest.trim();
                dflt = "required";
            }
            rows.add(nameRest[0].trim() + " " + kind + " " + dflt);
        }
        return rows;
    }

    /** A table's default cell: "required", "absent (why)" → "absent", a quoted or plain value as it stands. */
    private static String defaultText(String cell) {
        String c = cell.replace("`", "").replace("\"", "");
        return c.startsWith("absent") ? "absent" : c;
    }
}
