package dev.graphfuse.runtime.rope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The transformers-generated cases in testdata/rope_index (see its README and generator). */
public final class ReferenceCases {
    /** One case: inputs as transformers received them, its outputs, and the manifest entry. */
    public record Case(String name, int batch, int seqLen, int spatialMergeSize, long[] inputIds, long[] tokenTypes,
            long[] attentionMask, long[] imageGridThw, long[] videoGridThw, long[] positionIds, long[] ropeDeltas,
            JsonNode json) {
        public RopeIndexInput fromInputIds() {
            return RopeIndexInput.ofInputIds(batch, seqLen, inputIds, attentionMask, imageGridThw, videoGridThw);
        }

        public RopeIndexInput fromTokenTypes() {
            return RopeIndexInput.ofTokenTypes(batch, seqLen, tokenTypes, attentionMask, imageGridThw, videoGridThw);
        }

        public Qwen3VlRopeIndex ropeIndex() {
            return new Qwen3VlRopeIndex(spatialMergeSize, Qwen3VlRopeIndex.IMAGE_TOKEN_ID, Qwen3VlRopeIndex.VIDEO_TOKEN_ID);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private ReferenceCases() {
    }

    public static Path dir() {
        String root = System.getProperty("graphfuse.repoRoot");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = base; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("testdata/rope_index"))) {
                return p.resolve("testdata/rope_index");
            }
        }
        throw new IllegalStateException("testdata/rope_index not found above " + base);
    }

    public static JsonNode manifest() {
        try {
            return new ObjectMapper().readTree(dir().resolve("manifest.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Case> all() {
        List<Case> out = new ArrayList<>();
        manifest().path("cases").forEach(c -> out.add(load(c)));
        return out;
    }

    public static Case named(String name) {
        for (JsonNode c : manifest().path("cases")) {
            if (c.path("name").asText().equals(name)) {
                return load(c);
            }
        }
        throw new IllegalArgumentException("no reference case " + name);
    }

    private static Case load(JsonNode c) {
        Map<String, Npz.Array> a;
        try {
            a = Npz.read(dir().resolve(c.path("file").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Npz.Array ids = a.get("input_ids");
        return new Case(c.path("name").asText(), ids.dim(0), ids.dim(1), c.path("spatial_merge_size").asInt(),
                ids.values(), a.get("mm_token_type_ids").values(), values(a, "attention_mask"),
                values(a, "image_grid_thw"), values(a, "video_grid_thw"), a.get("position_ids").values(),
                a.get("rope_deltas").values(), c);
    }

    private static long[] values(Map<String, Npz.Array> a, String name) {
        Npz.Array x = a.get(name);
        return x == null ? null : x.values();
    }
}
