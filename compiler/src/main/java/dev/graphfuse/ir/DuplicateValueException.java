package dev.graphfuse.ir;

/** Thrown when a value name is defined twice in one graph. */
public final class DuplicateValueException extends IllegalArgumentException {
    private final String valueName;

    public DuplicateValueException(String valueName) {
        super("value '" + valueName + "' is defined more than once");
        this.valueName = valueName;
    }

    public String valueName() {
        return valueName;
    }
}
