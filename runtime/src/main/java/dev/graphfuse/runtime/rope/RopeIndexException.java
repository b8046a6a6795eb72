package dev.graphfuse.runtime.rope;

/**
 * The inputs of a position-id computation do not describe a valid Qwen3-VL batch. The message is one
 * line, {@code FIELD: WHAT}, where FIELD names the input in Hugging Face's terms ({@code input_ids[1][40..103]},
 * {@code image_grid_thw[3]}, {@code attention_mask[2]}, {@code spatial_merge_size}) and WHAT says what was
 * expected, so a caller can report it against its own source (the CLI prefixes the file name).
 */
public final class RopeIndexException extends IllegalArgumentException {
    private final String field;
    private final String detail;

    public RopeIndexException(String field, String detail) {
        super(field + ": " + detail);
        this.field = field;
        this.detail = detail;
    }

    /** The offending input, e.g. {@code video_grid_thw[0]}. */
    public String field() {
        return field;
    }

    /** What is wrong and what was expected, without the field. */
    public String detail() {
        return detail;
    }
}
