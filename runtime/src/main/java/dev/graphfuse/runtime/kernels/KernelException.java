package dev.graphfuse.runtime.kernels;

/** A kernel refused its arguments or failed; {@code code} is the library's (or CUDA's) error code. */
public final class KernelException extends RuntimeException {
    public static final int ABI = 10001;
    public static final int INVALID_ARGUMENT = 10002;
    public static final int UNSUPPORTED = 10003;
    public static final int POSITION_RANGE = 10004;
    public static final int NO_DEVICE = 10005;

    private final int code;

    public KernelException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
