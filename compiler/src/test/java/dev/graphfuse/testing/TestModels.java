package dev.graphfuse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The committed test models and what their generator recorded about them (testdata/models/manifest.json). */
public final class TestModels {
    private TestModels() {
    }

    /** One committed model. */
    public record Entry(String name, Path file, String dtype, JsonNode json) {
        /** Reference input files by input name. */
        public Map<String, Path> referenceInputs() {
            return files(json.path("reference").path("inputs"));
        }

        /** Reference output files by output name. */
        public Map<String, Path> referenceOutputs() {
            return files(json.path("reference").path("outputs"));
        }

        private Map<String, Path> files(JsonNode node) {
            Map<String, Path> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> out.put(e.getKey(), modelsDir().resolve(e.getValue().path("file").asText())));
            return out;
        }

        /** Op counts of the main graph as the generator computed them with the onnx package. */
        public Map<String, Integer> opHistogram() {
            Map<String, Integer> out = new LinkedHashMap<>();
            json.path("op_histogram").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asInt()));
            return out;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static Path repoRoot() {
        String prop = System.getProperty("graphfuse.repoRoot");
        if (prop != null && Files.isDirectory(Path.of(prop, "testdata", "models"))) {
            return Path.of(prop);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata").resolve("models"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find testdata/models above " + Path.of("").toAbsolutePath());
    }

    public static Path modelsDir() {
        return repoRoot().resolve("testdata").resolve("models");
    }

    public static List<Entry> all() {
        try {
            JsonNode root = new ObjectMapper().readTree(modelsDir().resolve("manifest.json").toFile());
            List<Entry> out = new ArrayList<>();
            for (JsonNode m : root.path("models")) {
                out.add(new Entry(m.path("name").asText(), modelsDir().resolve(m.path("file").asText()),
                        m.path("dtype").asText(), m));
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("manifest lists no models");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
