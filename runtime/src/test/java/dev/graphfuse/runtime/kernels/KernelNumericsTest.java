package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.graphfuse.runtime.kernels.RopeCase.AngleSource;
import dev.graphfuse.runtime.kernels.RopeCase.Layout;
import dev.graphfuse.runtime.kernels.RopeCase.Mrope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every fused op on the selected backend against the float64 reference, on fresh random inputs (the
 * seed changes every run and is printed; -Dgraphfuse.test.seed=N repeats one). Backend: the CPU
 * kernels, or CUDA with -Dgraphfuse.test.backend=cuda (the GPU machine's run; see bin/gpu-test).
 *
 * <p>Tolerance per element, with m = Σ|terms| of the float64 result (so cancellation in a rotation does
 * not shrink it): |out − ref| ≤ 1e-5 · m + 1 ulp of the output type at ref. fp32 math with one rounding
 * stays well inside it; a second rounding to bf16/f16 (rounding the norm before RoPE) does not.
 */
class KernelNumericsTest {
    private static final long SEED = Long.getLong("graphfuse.test.seed", System.nanoTime());
    private static final double REL = 1e-5;

    static KernelBackend backend() {
        return TestBackends.selected();
    }

    @TestFactory
    Stream<DynamicTest> ropeFamily() {
        return ropeCases().stream().map(c -> DynamicTest.dynamicTest(c + " seed " + SEED, () -> checkRope(c)));
    }

    @TestFactory
    Stream<DynamicTest> normFamily() {
        List<NormCase> cases = new ArrayList<>();
        for (DType t : new DType[] {DType.BF16, DType.F16, DType.F32}) {
            cases.add(new NormCase(FusedOp.RMS_NORM, t, t, DType.F32, 7, 128, 0f));
            cases.add(new NormCase(FusedOp.GEMMA_RMS_NORM, t, t, t, 5, 256, 1f));
            cases.add(new NormCase(FusedOp.RMS_NORM_GATED, t, t, t, 9, 128, 0f));
        }
        // HF's fp16 model: fp16 in, fp32 out (the upcast absorbed), odd widths, a long row
        cases.add(new NormCase(FusedOp.RMS_NORM, DType.F16, DType.F32, DType.F16, 3, 3000, 0f));
        cases.add(new NormCase(FusedOp.RMS_NORM, DType.BF16, DType.BF16, DType.BF16, 4097, 64, 0f));
        cases.add(new NormCase(FusedOp.RMS_NORM_GATED, DType.BF16, DType.BF16, DType.F32, 1, 96, 0f));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c + " seed " + SEED, () -> checkNorm(c)));
    }

    static List<RopeCase> ropeCases() {
        List<RopeCase> cases = new ArrayList<>();
        DType[] types = {DType.BF16, DType.F16, DType.F32};
        int i = 0;
        for (int hd : new int[] {64, 128, 256, 16, 80, 96, 320}) { // the last four: the general kernel
            for (DType t : types) {
                for (boolean gptj : new boolean[] {false, true}) {
                    i++;
                    int rot = i % 2 == 0 ? hd : hd / 4 + 2 * (i % 3); // full, and partial rotary (not always a power of 2)
                    Layout layout = i % 3 == 0 ? Layout.SEPARATE : Layout.PACKED;
                    AngleSource src = AngleSource.values()[i % 3];
                    cases.add(new RopeCase(FusedOp.QK_NORM_ROPE, t, t, DType.F32, 1 + i % 2, 7, 4, 2, 2, hd, rot, gptj,
                            layout, src, Mrope.NONE, 0f, 8192));
                }
            }
        }
        for (DType t : types) {
            cases.add(new RopeCase(FusedOp.QK_NORM, t, t, null, 2, 5, 4, 2, 2, 128, 0, false, Layout.PACKED,
                    AngleSource.CACHE, Mrope.NONE, 0f, 1));
            cases.add(new RopeCase(FusedOp.QK_NORM, t, DType.F32, null, 1, 3, 3, 1, 0, 64, 0, false, Layout.SEPARATE,
                    AngleSource.CACHE, Mrope.NONE, 1f, 1));
        }
        // multimodal RoPE: T ≠ H ≠ W positions, interleaved and chunked, from a cache and from inv_freq
        for (Mrope m : new Mrope[] {Mrope.INTERLEAVED, Mrope.CHUNKED}) {
            for (AngleSource src : new AngleSource[] {AngleSource.CACHE, AngleSource.INV_FREQ}) {
                cases.add(new RopeCase(FusedOp.QK_NORM_MROPE, DType.BF16, DType.BF16, DType.F32, 2, 9, 4, 2, 2, 128, 128,
                        false, Layout.PACKED, src, m, 0f, 40960));
                // Qwen3.5: head_dim 256, rot 64, sections over 32 frequencies, no norm
                cases.add(new RopeCase(FusedOp.MROPE, DType.BF16, null, DType.F32, 1, 11, 4, 2, 0, 256, 64, false,
                        Layout.SEPARATE, src, m, 0f, 40960));
            }
        }
        // Qwen3-VL exports today: QkNormRope over per-token tables the graph built from 3-row positions
        cases.add(new RopeCase(FusedOp.QK_NORM_ROPE, DType.F32, DType.F32, DType.F32, 1, 6, 2, 1, 0, 128, 128, false,
                Layout.SEPARATE, AngleSource.PER_TOKEN, Mrope.INTERLEAVED, 0f, 40960));
        cases.add(new RopeCase(FusedOp.QK_NORM_MROPE, DType.BF16, DType.F32, DType.F32, 1, 5, 2, 2, 0, 128, 128, false,
                Layout.SEPARATE, AngleSource.CACHE, Mrope.INTERLEAVED, 1f, 40960));
        // Rope of one tensor, bf16 cos|sin cache, int positions at the end of a 40,960 table
        cases.add(new RopeCase(FusedOp.ROPE, DType.BF16, null, DType.BF16, 1, 13, 3, 0, 0, 64, 64, true,
                Layout.SEPARATE, AngleSource.CACHE, Mrope.NONE, 0f, 40960));
        // Qwen3-8B geometry at T = 1 and T = 4,097 (the token count that is not a multiple of anything)
        for (long t : new long[] {1, 4097}) {
            cases.add(new RopeCase(FusedOp.QK_NORM_ROPE, DType.BF16, DType.BF16, DType.F32, 1, t, 32, 8, 8, 128, 128,
                    false, Layout.PACKED, AngleSource.CACHE, Mrope.NONE, 0f, 40960));
        }
        return cases;
    }

    private static void checkRope(RopeCase c) {
        Random rnd = new Random(SEED ^ c.toString().hashCode());
        try (Arena arena = Arena.ofConfined()) {
            RopeCase.Buffers buf = c.build(arena, rnd);
            RopeArgs a = buf.args();
            // the reference reads the inputs before an in-place kernel overwrites them
            Float64Reference.Result ref = Float64Reference.rope(a);
            backend().rope(c.op(), a);
            compare(c.toString() + " q", a.dtype(), a.qOut(), a, a.numQHeads(), ref.value()[0], ref.magnitude()[0]);
            if (a.numKHeads() > 0) {
                compare(c.toString() + " k", a.dtype(), a.kOut(), a, a.numKHeads(), ref.value()[1], ref.magnitude()[1]);
            }
            if (buf.packed() != null) {
                assertVUntouched(c, buf);
            }
        }
    }

    private static void compare(String what, DType t, HeadsView out, RopeArgs a, int heads, double[] ref, double[] mag) {
        int hd = a.headDim();
        double worst = 0;
        for (long b = 0; b < a.batch(); b++) {
            for (long s = 0; s < a.seq(); s++) {
                for (int h = 0; h < heads; h++) {
                    long at = out.offset() + b * out.batchStride() + s * out.seqStride() + h * out.headStride();
                    int base = Math.toIntExact(((b * a.seq() + s) * heads + h) * hd);
                    for (int i = 0; i < hd; i++) {
                        double got = t.readFloat(out.data(), at + i);
                        double want = ref[base + i];
                        double tol = REL * mag[base + i] + ulp(t, want);
                        if (!(Math.abs(got - want) <= tol)) {
                            fail(what + ": token (" + b + "," + s + ") head " + h + " dim " + i + ": got " + got
                                    + ", float64 reference " + want + ", tolerance " + tol + " (seed " + SEED + ")");
                        }
                        worst = Math.max(worst, Math.abs(got - want) / tol);
                    }
                }
            }
        }
        assertTrue(worst <= 1, what);
    }

    private static void assertVUntouched(RopeCase c, RopeCase.Buffers buf) {
        long row = (long) (c.nq() + c.nk() + c.nv()) * c.hd();
        long vStart = (long) (c.nq() + c.nk()) * c.hd() * c.dtype().bytes();
        long vBytes = (long) c.nv() * c.hd() * c.dtype().bytes();
        for (long t = 0; t < c.batch() * c.seq(); t++) {
            long at = t * row * c.dtype().bytes() + vStart;
            assertEquals(-1L, buf.packed().asSlice(at, vBytes).mismatch(buf.packedBefore().asSlice(at, vBytes)),
                    c + ": V of token " + t + " changed");
        }
    }

    private static void checkNorm(NormCase c) {
        Random rnd = new Random(SEED ^ c.toString().hashCode());
        try (Arena arena = Arena.ofConfined()) {
            NormArgs a = c.build(arena, rnd);
            Float64Reference.Result ref = Float64Reference.norm(a);
            backend().norm(c.op(), a);
            double[] want = ref.value()[0];
            for (long r = 0; r < a.rows(); r++) {
                for (int i = 0; i < a.n(); i++) {
                    double got = a.outDtype().readFloat(a.out().data(), a.out().offset() + r * a.out().rowStride() + i);
                    int at = Math.toIntExact(r * a.n() + i);
                    double tol = REL * ref.magnitude()[0][at] + ulp(a.outDtype(), want[at]);
                    if (!(Math.abs(got - want[at]) <= tol)) {
                        fail(c + ": row " + r + " col " + i + ": got " + got + ", float64 reference " + want[at]
                                + ", tolerance " + tol + " (seed " + SEED + ")");
                    }
                }
            }
        }
    }

    /** One unit in the last place of the output type at v (the spacing a correct single rounding may miss by). */
    static double ulp(DType t, double v) {
        float f = (float) Math.abs(v);
        return switch (t) {
            case F32 -> Math.ulp(f);
            case BF16 -> Math.max(Math.ulp(f) * 65536.0, Math.ulp(Float.MIN_NORMAL) * 65536.0);
            case F16 -> Math.max(Math.ulp(f) * 8192.0, 0x1p-24);
            default -> throw new IllegalArgumentException(t.toString());
        };
    }

    record NormCase(FusedOp op, DType dtype, DType outDtype, DType weightDtype, long rows, int n, float weightOffset) {
        NormArgs build(Arena arena, Random rnd) {
            MemorySegment x = RopeCase.random(arena, dtype, rows * n, rnd, 3f);
            MemorySegment z = op == FusedOp.RMS_NORM_GATED ? RopeCase.random(arena, dtype, rows * n, rnd, 2f) : null;
            MemorySegment w = RopeCase.random(arena, weightDtype, n, rnd, 0.5f);
            MemorySegment out = arena.allocate(rows * n * outDtype.bytes());
            return new NormArgs(dtype, outDtype, weightDtype, rows, n, 1e-6f, weightOffset, RowsView.contiguous(x, n),
                    z == null ? null : RowsView.contiguous(z, n), RowsView.contiguous(out, n), w);
        }

        @Override
        public String toString() {
            return op + " " + dtype + "->" + outDtype + " w" + weightDtype + " rows" + rows + " n" + n;
        }
    }
}
