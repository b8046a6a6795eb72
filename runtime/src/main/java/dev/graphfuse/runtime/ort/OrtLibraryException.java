package dev.graphfuse.runtime.ort;

/** The ONNX Runtime op library or the execution provider asked for is not there; the message says what is missing. */
public final class OrtLibraryException extends RuntimeException {
    public OrtLibraryException(String message) {
        super(message);
    }
}
