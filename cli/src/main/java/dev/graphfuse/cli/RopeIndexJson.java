package dev.graphfuse.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.diag.Quote;
import dev.graphfuse.runtime.rope.MropePositions;
import dev.graphfuse.runtime.rope.Qwen3VlRopeIndex;
import dev.graphfuse.runtime.rope.RopeIndexInput;
import dev.graphfuse.runtime.rope.TokenKind;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON request and response of {@code graphfuse rope-index} (schema in docs/rope-index.md). Arrays
 * are read with a streaming parser straight into long arrays, so every structural error carries the line
 * and column of the offending token.
 */
final class RopeIndexJson {
    static final List<String> FIELDS = List.of("input_ids", "mm_token_type_ids", "attention_mask", "image_grid_thw",
            "video_grid_thw", "spatial_merge_size", "image_token_id", "video_token_id");

    /** A parsed request: the configuration and the batch. */
    record Request(Qwen3VlRopeIndex ropeIndex, RopeIndexInput input) {
    }

    /** A parsed array: values in row-major order, its shape and where it started. */
    private record Table(long[] values, int rows, int cols, JsonLocation at) {
    }

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final String file;
    private final JsonParser p;

    private RopeIndexJson(String file, JsonParser p) {
        this.file = file;
        this.p = p;
    }

    static Request read(String file, byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return new RopeIndexJson(file, p).request();
        } catch (JsonParseException e) {
            String msg = e.getOriginalMessage();
            int cut = msg.indexOf('\n');
            throw new BadInputException(file, location(e.getLocation()), "malformed JSON: "
                    + (cut < 0 ? msg : msg.substring(0, cut)), e);
        } catch (IOException e) {
            throw new BadInputException(file, null, "cannot read: " + e.getMessage(), e);
        }
    }

    private Request request() throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw error("expected a JSON object with input_ids or mm_token_type_ids, found " + found());
        }
        Table ids = null;
        Table types = null;
        Table mask = null;
        Table images = null;
        Table videos = null;
        Long merge = null;
        Long imageId = null;
        Long videoId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!FIELDS.contains(name)) {
                throw error("unknown field " + Quote.quote(name) + "; expected one of " + String.join(", ", FIELDS));
            }
            p.nextToken();
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                continue;   // null is Hugging Face's None: the same as leaving the field out
            }
            switch (name) {
                case "input_ids" -> ids = table(name, -1);
                case "mm_token_type_ids" -> types = table(name, -1);
                case "attention_mask" -> mask = table(name, -1);
                case "image_grid_thw" -> images = table(name, 3);
                case "video_grid_thw" -> videos = table(name, 3);
                case "spatial_merge_size" -> merge = integer(name, -1, -1);
                case "image_token_id" -> imageId = integer(name, -1, -1);
                default -> videoId = integer(name, -1, -1);
            }
        }
        if (p.nextToken() != null) {
            throw error("expected the end of the input after the request object, found " + found());
        }
        Table tokens = types != null ? types : ids;
        if (tokens == null) {
            throw new BadInputException(file, null, "expected input_ids or mm_token_type_ids in the request");
        }
        String tokensField = types != null ? "mm_token_type_ids" : "input_ids";
        if (types != null && ids != null) {
            sameShape("input_ids", ids, tokensField, types);
        }
        if (mask != null) {
            sameShape("attention_mask", mask, tokensField, tokens);
        }
        if (merge != null && (merge < 1 || merge > Integer.MAX_VALUE)) {
            throw new BadInputException(file, "spatial_merge_size", "expected an integer ≥ 1, got " + merge);
        }
        // Semantic checks (grids against blocks, merge size) belong to the runtime: its RopeIndexException
        // names the field, and the command reports it against this file.
        Qwen3VlRopeIndex index = new Qwen3VlRopeIndex(
                merge == null ? Qwen3VlRopeIndex.SPATIAL_MERGE_SIZE : merge.intValue(),
                imageId == null ? Qwen3VlRopeIndex.IMAGE_TOKEN_ID : imageId,
                videoId == null ? Qwen3VlRopeIndex.VIDEO_TOKEN_ID : videoId);
        RopeIndexInput input = new RopeIndexInput(types != null ? TokenKind.TOKEN_TYPES : TokenKind.INPUT_IDS,
                tokens.rows(), tokens.cols(), tokens.values(), mask == null ? null : mask.values(),
                images == null ? null : images.values(), videos == null ? null : videos.values());
        return new Request(index, input);
    }

    private void sameShape(String field, Table t, String reference, Table ref) {
        if (t.rows() != ref.rows() || t.cols() != ref.cols()) {
            throw new BadInputException(file, location(t.at()), field + ": expected the shape of " + reference + ", ("
                    + ref.rows() + ", " + ref.cols() + "), got (" + t.rows() + ", " + t.cols() + ")");
        }
    }

    /** A 2-D array of integers with equal row lengths ({@code cols} fixed when ≥ 0). */
    private Table table(String field, int cols) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw error(field + ": expected an array of rows, found " + found());
        }
        long[] values = new long[256];
        int n = 0;
        int rows = 0;
        int width = cols;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw error(field + "[" + rows + "]: expected " + (cols == 3 ? "a [t, h, w] row" : "a row of integers")
                        + ", found " + found());
            }
            JsonLocation rowAt = p.currentTokenLocation();
            int start = n;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (n == values.length) {
                    values = Arrays.copyOf(values, values.length * 2);
                }
                values[n] = integer(field, rows, n - start);
                n++;
            }
            int len = n - start;
            if (width < 0) {
                width = len;
            } else if (len != width) {
                throw new BadInputException(file, location(rowAt), field + "[" + rows + "]: expected " + width
                        + " values" + (cols == 3 ? " (t, h, w)" : " like row 0") + ", got " + len);
            }
            rows++;
        }
        return new Table(Arrays.copyOf(values, n), rows, Math.max(width, 0), at);
    }

    /** An integer; {@code row}/{@code col} ≥ 0 only name the element in a message (no per-value strings). */
    private long integer(String field, int row, int col) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error(element(field, row, col) + ": expected an integer, found " + found());
        }
        try {
            return p.getLongValue();
        } catch (InputCoercionException e) {
            throw error(element(field, row, col) + ": integer " + p.getText() + " is out of range");
        }
    }

    private static String element(String field, int row, int col) {
        return row < 0 ? field : field + "[" + row + "][" + col + "]";
    }

    private String found() throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "the string " + Quote.excerpt(p.getText());
            case VALUE_NUMBER_FLOAT -> "the number " + p.getText();
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> p.getText();
            default -> Quote.excerpt(p.getText());
        };
    }

    private BadInputException error(String detail) {
        return new BadInputException(file, location(p.currentTokenLocation()), detail);
    }

    private static String location(JsonLocation at) {
        return at.getLineNr() + ":" + at.getColumnNr();
    }

    /** The response: position_ids (3, B, S) with one sequence row per line, rope_deltas (B, 1) as transformers has it. */
    static String write(MropePositions r) {
        int b = r.batch();
        int s = r.seqLen();
        long[] pos = r.positionIds();
        StringBuilder sb = new StringBuilder(pos.length * 6 + 64);
        sb.append("{\n  \"position_ids\": [");
        for (int axis = 0; axis < 3; axis++) {
            sb.append(axis == 0 ? "\n    [" : ",\n    [");
            for (int row = 0; row < b; row++) {
                sb.append(row == 0 ? "\n      [" : ",\n      [");
                int base = (axis * b + row) * s;
                for (int k = 0; k < s; k++) {
                    if (k > 0) {
                        sb.append(", ");
                    }
                    sb.append(pos[base + k]);
                }
                sb.append(']');
            }
            sb.append(b == 0 ? "]" : "\n    ]");
        }
        sb.append("\n  ],\n  \"rope_deltas\": [");
        for (int row = 0; row < b; row++) {
            sb.append(row == 0 ? "[" : ", [").append(r.ropeDeltas()[row]).append(']');
        }
        return sb.append("]\n}\n").toString();
    }
}
