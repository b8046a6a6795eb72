package dev.graphfuse.match;

import java.util.HashMap;
import java.util.Map;

/**
 * Why a pattern did not match at an anchor, as a category that aggregates across anchors (statistics,
 * remarks). Each kind has the label statistics and {@code explain --json} print.
 */
public enum FailureKind {
    OP_MISMATCH("op-mismatch", true),
    OUTPUT_MISMATCH("output-mismatch", true),
    NO_OUTPUT("no-output", true),
    NO_CANDIDATE("no-candidate", true),
    MISSING_OPERAND("missing-operand", true),
    // an absent attribute is another form of the op (a QkNormRope without the head transpose), not a refused constraint
    ATTRIBUTE_ABSENT("attribute-absent", true),
    ARITY_MISMATCH("arity-mismatch", false),
    ATTRIBUTE_MISMATCH("attribute-mismatch", false),
    CAPTURE_MISMATCH("capture-mismatch", false),
    NOT_CONSTANT("not-constant", false),
    NOT_SCALAR("not-scalar", false),
    TYPE_UNKNOWN("type-unknown", false),
    TYPE_MISMATCH("type-mismatch", false),
    SHAPE_UNKNOWN("shape-unknown", false),
    RANK_MISMATCH("rank-mismatch", false),
    SHAPE_MISMATCH("shape-mismatch", false),
    CONSTANT_MISMATCH("constant-mismatch", false),
    /** A {@code require} did not hold; its label names the predicate ({@code predicate:InRange}). */
    PREDICATE("predicate", false),
    GRAPH_OUTPUT("graph-output", false),
    USERS_OUTSIDE_MATCH("users-outside-match", false),
    CYCLE("cycle", false),
    STEP_BUDGET("step-budget", false),
    ATTRIBUTE_EVALUATION("attribute-evaluation", false),
    TYPE_CLASH("type", false),
    FUNCTION_BODY("function-body", false);

    private static final Map<String, FailureKind> BY_LABEL = new HashMap<>();

    static {
        for (FailureKind k : values()) {
            BY_LABEL.put(k.label, k);
        }
    }

    private final String label;
    private final boolean structural;

    FailureKind(String label, boolean structural) {
        this.label = label;
        this.structural = structural;
    }

    public String label() {
        return label;
    }

    /** The label of a failed {@code require Name(…)}. */
    public static String predicateLabel(String predicate) {
        return PREDICATE.label + ":" + predicate;
    }

    /**
     * The model lacks the pattern's structure here (a Gemma norm looked for in a Qwen3): not a near miss,
     * so a pattern that only ever fails this way is not worth a remark.
     */
    public boolean structural() {
        return structural;
    }

    /** The kind a statistics label stands for, or null for a label no pattern produces (a Java pass's own). */
    public static FailureKind ofLabel(String label) {
        int colon = label.indexOf(':');
        return BY_LABEL.get(colon < 0 ? label : label.substring(0, colon));
    }
}
