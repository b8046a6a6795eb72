package dev.graphfuse.runtime.dispatch;

/**
 * What `verify` accepts as equal. By default each floating-point output is judged against its element type's
 * tolerance (see {@link OutputComparison}); {@code scaled} replaces that number, same measure. With
 * {@code atol} or {@code rtol} the verdict is NumPy's {@code allclose} instead, element by element:
 * {@code |a − b| ≤ atol + rtol·|a|} (a the original's value; the one not given is 0).
 */
public record Tolerance(Double scaled, Double atol, Double rtol) {
    public static final Tolerance DEFAULT = new Tolerance(null, null, null);

    public static Tolerance scaled(Double scaled) {
        return new Tolerance(scaled, null, null);
    }

    public boolean allClose() {
        return atol != null || rtol != null;
    }

    public double atolOrZero() {
        return atol == null ? 0 : atol;
    }

    public double rtolOrZero() {
        return rtol == null ? 0 : rtol;
    }
}
