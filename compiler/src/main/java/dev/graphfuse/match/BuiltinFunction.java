package dev.graphfuse.match;

import java.util.List;
import java.util.stream.Stream;

/** The functions attribute expressions may call, with their arity. */
public enum BuiltinFunction {
    DIM("dim", 2), RANK("rank", 1), LEN("len", 1), NUMEL("numel", 1), INT("int", 1), FLOAT("float", 1),
    // A value's ONNX element type code, as a Cast's `to` spells it: a cast can be held to a value's own type.
    DTYPE("dtype", 1),
    // ONNX often spells "the default" as 0 (RotaryEmbedding's rotary_embedding_dim = 0 is all of head_dim).
    NONZERO_OR("nonzero_or", 2),
    // A capture bound in only some alternatives (an optional Mul by a scale): its value where the match bound
    // it, else the default — the neutral value that the absent op stood for.
    BOUND_OR("bound_or", 2);

    private final String word;
    private final int arity;

    BuiltinFunction(String word, int arity) {
        this.word = word;
        this.arity = arity;
    }

    /** As a pattern spells it. */
    public String word() {
        return word;
    }

    public int arity() {
        return arity;
    }

    /** The function a pattern calls {@code word}, or null. */
    public static BuiltinFunction named(String word) {
        for (BuiltinFunction f : values()) {
            if (f.word.equals(word)) {
                return f;
            }
        }
        return null;
    }

    /** Every function's name, sorted (for "known: …" in messages). */
    public static List<String> words() {
        return Stream.of(values()).map(BuiltinFunction::word).sorted().toList();
    }
}
