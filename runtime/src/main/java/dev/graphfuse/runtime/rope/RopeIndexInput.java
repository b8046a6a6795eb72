package dev.graphfuse.runtime.rope;

/**
 * One batch for {@link Qwen3VlRopeIndex}, in Hugging Face's layout and dtypes: {@code tokens} is the
 * row-major {@code (batch, seqLen)} {@code input_ids} or {@code mm_token_type_ids} (see {@link TokenKind});
 * {@code attentionMask} is {@code (batch, seqLen)} with any non-zero value meaning "attended", or null for
 * all attended; {@code imageGridThw} and {@code videoGridThw} are row-major {@code (n, 3)} {@code (t, h, w)}
 * grids in order of appearance across the batch, or null for none. Arrays are referenced, not copied.
 *
 * <p>The constructor checks shapes only; what the values mean (grids against blocks) is checked by the
 * computation, which knows where in the sequence a mismatch shows.
 */
public record RopeIndexInput(TokenKind kind, int batch, int seqLen, long[] tokens, long[] attentionMask,
        long[] imageGridThw, long[] videoGridThw) {
    /** Position ids are one Java array of {@code 3 · batch · seqLen} longs. */
    static final long MAX_POSITIONS = Integer.MAX_VALUE - 8;

    public RopeIndexInput {
        if (kind == null || tokens == null) {
            throw new NullPointerException(kind == null ? "kind is null" : "tokens is null");
        }
        if (batch < 0 || seqLen < 0) {
            throw new RopeIndexException(kind.field(), "batch and seq_len must be ≥ 0, got " + batch + " × " + seqLen);
        }
        if (3L * batch * seqLen > MAX_POSITIONS) {
            throw new RopeIndexException(kind.field(), "batch " + batch + " × seq_len " + seqLen
                    + " is too large: 3 × batch × seq_len position ids must fit one Java array");
        }
        int n = batch * seqLen;
        if (tokens.length != n) {
            throw new RopeIndexException(kind.field(), "expected batch " + batch + " × seq_len " + seqLen + " = " + n
                    + " values, got " + tokens.length);
        }
        if (attentionMask != null && attentionMask.length != n) {
            throw new RopeIndexException("attention_mask", "expected the shape of " + kind.field() + ", batch "
                    + batch + " × seq_len " + seqLen + " = " + n + " values, got " + attentionMask.length);
        }
        checkTriples("image_grid_thw", imageGridThw);
        checkTriples("video_grid_thw", videoGridThw);
    }

    /** Vocabulary ids, as a tokenizer returns them. */
    public static RopeIndexInput ofInputIds(int batch, int seqLen, long[] inputIds, long[] attentionMask,
            long[] imageGridThw, long[] videoGridThw) {
        return new RopeIndexInput(TokenKind.INPUT_IDS, batch, seqLen, inputIds, attentionMask, imageGridThw, videoGridThw);
    }

    /** {@code mm_token_type_ids}, as the Hugging Face processor returns them (what transformers 5.17+ reads). */
    public static RopeIndexInput ofTokenTypes(int batch, int seqLen, long[] mmTokenTypeIds, long[] attentionMask,
            long[] imageGridThw, long[] videoGridThw) {
        return new RopeIndexInput(TokenKind.TOKEN_TYPES, batch, seqLen, mmTokenTypeIds, attentionMask, imageGridThw,
                videoGridThw);
    }

    private static void checkTriples(String field, long[] grid) {
        if (grid != null && grid.length % 3 != 0) {
            throw new RopeIndexException(field, "expected (t, h, w) triples, got " + grid.length + " values");
        }
    }
}
