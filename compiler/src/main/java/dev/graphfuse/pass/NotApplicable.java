package dev.graphfuse.pass;

import java.util.Optional;

/** Why a pass does not apply to a model; a value, so callers decide whether it is an error. */
public record NotApplicable(String pass, String reason) {
    public static Optional<NotApplicable> when(boolean condition, String pass, String reason) {
        return condition ? Optional.of(new NotApplicable(pass, reason)) : Optional.empty();
    }

    @Override
    public String toString() {
        return pass + " not applicable: " + reason;
    }
}
