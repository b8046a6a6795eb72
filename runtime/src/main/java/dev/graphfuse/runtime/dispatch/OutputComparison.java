package dev.graphfuse.runtime.dispatch;

import dev.graphfuse.ir.Tensor;
import java.util.Arrays;

/**
 * How far one output of the optimized model is from the original's: max abs error, relative error
 * max|a − b| / max|a| (relative to the tensor's scale, so a value near zero that is off by one f16 ulp of
 * its neighbours does not dominate), and the verdict against the tolerance of the output's element
 * type: abs ≤ 1e-5 for f32/f64, relative ≤ 2e-3 for f16, ≤ 1e-2 for bf16, exact for integers — or, with
 * a {@link Tolerance} that has atol / rtol, NumPy's allclose element by element ({@code outside}: how many
 * elements are not). Integer outputs are always compared exactly.
 */
public record OutputComparison(String name, String type, long[] shape, double maxAbs, double maxRel, double tolerance,
                               boolean relative, boolean pass, String problem, Tolerance criterion, long outside,
                               Reference reference) {

    /**
     * Both models' errors against an fp32 run of the original (fp16 / bf16 outputs), relative to the reference's
     * largest magnitude. The optimized model passes when its error is within {@link #FACTOR} of the original's own
     * (plus half the type's tolerance, for an original that happens to land closer): it rounds no worse than
     * stock ONNX Runtime does.
     */
    public record Reference(double original, double optimized, boolean pass) {
        public static final double FACTOR = 2;
    }

    /** This comparison, also judged against {@code ref} (the same output of the original run in fp32). */
    public OutputComparison withReference(Tensor want, Tensor got, Tensor ref) {
        if (Double.isNaN(maxAbs) || ref == null || !Arrays.equals(ref.dims(), shape)) {
            return this;
        }
        double scale = 0;
        double eo = 0;
        double eg = 0;
        for (long i = 0; i < ref.elementCount(); i++) {
            double r = ref.getDouble(i);
            scale = Math.max(scale, Math.abs(r));
            eo = Math.max(eo, Math.abs(want.getDouble(i) - r));
            eg = Math.max(eg, Math.abs(got.getDouble(i) - r));
        }
        scale = Math.max(scale, Double.MIN_NORMAL);
        double o = eo / scale;
        double g = eg / scale;
        boolean ok = problem == null && g <= Reference.FACTOR * o + tolerance / 2;
        return new OutputComparison(name, type, shape, maxAbs, maxRel, tolerance, relative, pass || ok, problem, criterion,
                outside, new Reference(o, g, ok));
    }

    /** A comparison that could not be made (no such output, another shape or type). */
    public static OutputComparison failed(String name, String type, long[] shape, String problem) {
        return new OutputComparison(name, type, shape, Double.NaN, Double.NaN, 0, false, false, problem,
                Tolerance.DEFAULT, 0, null);
    }

    public static OutputComparison of(String name, Tensor want, Tensor got) {
        return of(name, want, got, Tolerance.DEFAULT);
    }

    /** As above, judged by {@code t} (its scaled tolerance replaces the floating-point default, or allclose). */
    public static OutputComparison of(String name, Tensor want, Tensor got, Tolerance t) {
        String type = want.elementType().shortName();
        if (!Arrays.equals(want.dims(), got.dims()) || want.elementType() != got.elementType()) {
            return failed(name, type, want.dims(), "expected " + type + Arrays.toString(want.dims()) + ", got "
                    + got.elementType().shortName() + Arrays.toString(got.dims()));
        }
        Double tolerance = t.scaled();
        boolean relative = switch (want.elementType()) {
            case FLOAT16, BFLOAT16 -> true;
            default -> false;
        };
        double tol = switch (want.elementType()) {
            case FLOAT, DOUBLE -> 1e-5;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1e-2;
            default -> 0;
        };
        if (tolerance != null && want.elementType().isFloatingPoint()) {
            tol = tolerance;
        }
        double abs = 0;
        double scale = 0;
        boolean nan = false;
        long outside = 0;
        for (long i = 0; i < want.elementCount(); i++) {
            double a = want.getDouble(i);
            double b = got.getDouble(i);
            if (Double.isNaN(a) != Double.isNaN(b)) {
                nan = true;
                continue;
            }
            if (Double.isNaN(a) || a == b) {
                continue;
            }
            double d = Math.abs(a - b);
            abs = Math.max(abs, d);
            if (d > t.atolOrZero() + t.rtolOrZero() * Math.abs(a)) {
                outside++;
            }
        }
        for (long i = 0; i < want.elementCount(); i++) {
            double a = Math.abs(want.getDouble(i));
            if (!Double.isNaN(a)) {
                scale = Math.max(scale, a);
            }
        }
        double rel = abs == 0 ? 0 : abs / Math.max(scale, Double.MIN_NORMAL);
        boolean pass = !nan && (t.allClose() && want.elementType().isFloatingPoint() ? outside == 0 : (relative ? rel : abs) <= tol);
        return new OutputComparison(name, type, want.dims(), abs, rel, tol, relative, pass,
                nan ? "NaN where the original has none (or the reverse)" : null, t, outside, null);
    }

    @Override
    public String toString() {
        if (problem != null && Double.isNaN(maxAbs)) {
            return name + ": FAIL: " + problem;
        }
        String judged = criterion.allClose() && tolerance != 0
                ? String.format("allclose atol %.0e rtol %.0e: %d element%s outside", criterion.atolOrZero(),
                        criterion.rtolOrZero(), outside, outside == 1 ? "" : "s")
                : String.format("tolerance %s %.0e", relative ? "rel" : "abs", tolerance);
        String ref = reference == null ? "" : String.format("; against the original run in fp32: original %.3g, optimized"
                + " %.3g (%s)", reference.original(), reference.optimized(), reference.pass() ? "within 2× + half the tolerance"
                : "over 2× + half the tolerance");
        return String.format("%s %s%s: max abs %.3g, max rel %.3g (%s)%s: %s%s", name, type,
                Arrays.toString(shape), maxAbs, maxRel, judged, ref, pass ? "ok" : "FAIL",
                problem == null ? "" : " — " + problem);
    }
}
