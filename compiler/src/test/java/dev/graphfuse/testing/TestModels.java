package dev.graphfuse.testing;

import static dev.graphfuse.testing.MiniJson.array;
import static dev.graphfuse.testing.MiniJson.object;
import static dev.graphfuse.testing.MiniJson.text;

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

    /** One committed model; {@code json} is its manifest entry as {@link MiniJson} reads it. */
    public record Entry(String name, Path file, String dtype, Map<String, Object> json) {
        /** Reference input files by input name. */
        public Map<String, Path> referenceInputs() {
            return files(object(object(json, "reference"), "inputs"));
        }

        /** Reference output files by output name. */
        public Map<String, Path> referenceOutputs() {
            return files(object(object(json, "reference"), "outputs"));
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Path> files(Map<String, Object> node) {
            Map<String, Path> out = new LinkedHashMap<>();
            node.forEach((k, v) -> out.put(k, modelsDir().resolve(text((Map<String, Object>) v, "file"))));
            return out;
        }

        /** Op counts of the main graph as the generator computed them with the onnx package. */
        public Map<String, Integer> opHistogram() {
            Map<String, Integer> out = new LinkedHashMap<>();
            object(json, "op_histogram").forEach((k, v) -> out.put(k, ((Number) v).intValue()));
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

    @SuppressWarnings("unchecked")
    public static List<Entry> all() {
        try {
            Map<String, Object> root = (Map<String, Object>) MiniJson.parse(
                    Files.readString(modelsDir().resolve("manifest.json")));
            List<Entry> out = new ArrayList<>();
            for (Object o : array(root, "models")) {
                Map<String, Object> m = (Map<String, Object>) o;
                out.add(new Entry(text(m, "name"), modelsDir().resolve(text(m, "file")), text(m, "dtype"), m));
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
