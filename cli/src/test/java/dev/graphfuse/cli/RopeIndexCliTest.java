package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code graphfuse rope-index}: requests written by testdata/rope_index/generate_rope_index.py come back as
 * transformers' own response, and bad requests give one {@code FILE: LOCATION: error: WHAT} line, exit 2 and no
 * output.
 */
class RopeIndexCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    static Path dir() {
        return Path.of(System.getProperty("graphfuse.repoRoot", "..")).resolve("testdata/rope_index");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void responseIsTransformersOwn(String name) throws Exception {
        CliTest.Run r = run("rope-index", dir().resolve(name + ".request.json").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals(JSON.readTree(dir().resolve(name + ".response.json").toFile()), JSON.readTree(r.out()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void inputIdsAloneGiveTheSameResponse(String name) throws Exception {
        ObjectNode request = (ObjectNode) JSON.readTree(dir().resolve(name + ".request.json").toFile());
        request.remove("mm_token_type_ids");
        Path file = tmp.resolve(name + ".ids.json");
        Files.writeString(file, JSON.writeValueAsString(request));
        Path out = tmp.resolve("out/" + name + ".json");
        CliTest.Run r = run("rope-index", file.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(JSON.readTree(dir().resolve(name + ".response.json").toFile()), JSON.readTree(out.toFile()));
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("cli_example"), Arguments.of("edge_grids"));
    }

    @Test
    void readsStandardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(dir().resolve("cli_example.request.json"))));
            CliTest.Run r = run("rope-index", "-");
            assertEquals(0, r.code(), r.err());
            assertEquals(JSON.readTree(dir().resolve("cli_example.response.json").toFile()), JSON.readTree(r.out()));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void responseHasOneSequencePerLine() throws Exception {
        // The layout of docs/rope-index.md, filled with transformers' values for the example request.
        JsonNode want = JSON.readTree(dir().resolve("cli_example.response.json").toFile());
        StringBuilder expected = new StringBuilder("{\n  \"position_ids\": [\n");
        for (int axis = 0; axis < 3; axis++) {
            expected.append("    [\n");
            JsonNode rows = want.path("position_ids").get(axis);
            for (int b = 0; b < rows.size(); b++) {
                expected.append("      ").append(rows.get(b).toString().replace(",", ", "))
                        .append(b + 1 < rows.size() ? ",\n" : "\n");
            }
            expected.append(axis < 2 ? "    ],\n" : "    ]\n");
        }
        expected.append("  ],\n  \"rope_deltas\": ").append(want.path("rope_deltas").toString().replace(",", ", "))
                .append("\n}\n");
        CliTest.Run r = run("rope-index", dir().resolve("cli_example.request.json").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(expected.toString(), r.out());
    }

    private void badRequest(String json, String message) throws Exception {
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, json);
        Path out = tmp.resolve("bad.out.json");
        Files.writeString(out, "previous");
        CliTest.Run r = run("rope-index", file.toString(), "-o", out.toString());
        assertEquals(GraphfuseCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(file + message + "\n", r.err());
        assertEquals("", r.out());
        assertEquals("previous", Files.readString(out), "a failed run must leave the old output alone");
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        CliTest.Run toStdout = run("rope-index", file.toString());
        assertEquals(GraphfuseCli.EXIT_BAD_INPUT, toStdout.code());
        assertEquals("", toStdout.out(), "no partial response on standard output");
    }

    @Test
    void malformedJson() throws Exception {
        badRequest("{\n  \"input_ids\": [[1, 2,, 3]]\n}", ":2:23: error: malformed JSON: Unexpected character (',' "
                + "(code 44)): expected a value");
        badRequest("{\"input_ids\": [[1]], \"input_ids\": [[2]]}", ":1:33: error: malformed JSON: Duplicate field 'input_ids'");
    }

    @Test
    void structuralErrorsCarryLineAndColumn() throws Exception {
        badRequest("{\"input_ids\": [[1, 2, 3],\n  [4, 5]]}", ":2:3: error: input_ids[1]: expected 3 values like row 0, got 2");
        badRequest("{\"input_ids\": [[1, 2.5]]}", ":1:20: error: input_ids[0][1]: expected an integer, found the number 2.5");
        badRequest("{\"input_ids\": [[1]], \"image_grid_thw\": [[1, 2]]}",
                ":1:41: error: image_grid_thw[0]: expected 3 values (t, h, w), got 2");
        badRequest("{\"input_ids\": [[1]], \"grids\": []}", ":1:22: error: unknown field 'grids'; expected one of "
                + "input_ids, mm_token_type_ids, attention_mask, image_grid_thw, video_grid_thw, spatial_merge_size, "
                + "image_token_id, video_token_id");
        badRequest("[1, 2]", ":1:1: error: expected a JSON object with input_ids or mm_token_type_ids, found an array");
        badRequest("{\"input_ids\": [[1, 2]], \"attention_mask\": [[1, 1, 1]]}",
                ":1:43: error: attention_mask: expected the shape of input_ids, (1, 2), got (1, 3)");
        badRequest("{\"attention_mask\": [[1]]}", ": error: expected input_ids or mm_token_type_ids in the request");
    }

    @Test
    void semanticErrorsNameTheField() throws Exception {
        badRequest("{\"input_ids\": [[5, 151655, 151655, 151655, 151655, 6]], \"image_grid_thw\": [[1, 4, 4], [1, 2, 2]]}",
                ": image_grid_thw: error: has 2 grids, but input_ids hold 1 image block");
        badRequest("{\"input_ids\": [[5, 151655, 151655, 6]], \"image_grid_thw\": [[1, 3, 4]]}",
                ": image_grid_thw[0]: error: height 3 is not divisible by spatial_merge_size 2 (grid (1, 3, 4))");
        badRequest("{\"mm_token_type_ids\": [[0, 2, 2, 0]], \"video_grid_thw\": [[1, 2, 2]]}",
                ": mm_token_type_ids[0][1..2]: error: video block of 2 tokens, but frame 0 of video_grid_thw[0] = "
                        + "(1, 2, 2) with spatial_merge_size 2 needs (h/m)·(w/m) = 1·1 = 1 (each frame is one block)");
        badRequest("{\"input_ids\": [[5]], \"spatial_merge_size\": 0}",
                ": spatial_merge_size: error: expected an integer ≥ 1, got 0");
    }

    @Test
    void missingFile() {
        CliTest.Run r = run("rope-index", tmp.resolve("nope.json").toString());
        assertEquals(GraphfuseCli.EXIT_BAD_INPUT, r.code());
        assertEquals(tmp.resolve("nope.json") + ": error: no such file\n", r.err());
    }

    @Test
    void helpNamesTheSchema() {
        CliTest.Run r = run("rope-index", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("docs/rope-index.md"), r.out());
        assertTrue(r.out().contains("-o, --output"), r.out());
    }
}
