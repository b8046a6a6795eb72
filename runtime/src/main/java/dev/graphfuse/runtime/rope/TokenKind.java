package dev.graphfuse.runtime.rope;

/** What the token array of a {@link RopeIndexInput} holds. */
public enum TokenKind {
    /** Vocabulary ids; a token is an image or video token when it equals the configured pad id. */
    INPUT_IDS("input_ids"),
    /** Hugging Face's {@code mm_token_type_ids}: 0 text, 1 image, 2 video; any other value is an error. */
    TOKEN_TYPES("mm_token_type_ids");

    private final String field;

    TokenKind(String field) {
        this.field = field;
    }

    /** The Hugging Face argument name, used in error messages. */
    public String field() {
        return field;
    }
}
