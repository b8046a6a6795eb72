package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graphfuse.runtime.kernels.RopeCase.AngleSource;
import dev.graphfuse.runtime.kernels.RopeCase.Layout;
import dev.graphfuse.runtime.kernels.RopeCase.Mrope;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad arguments are refused with one message naming what was expected, and nothing is written. */
class KernelArgumentsTest {
    private final KernelBackend backend = TestBackends.selected();

    private static RopeCase mrope() {
        return new RopeCase(FusedOp.QK_NORM_MROPE, DType.BF16, DType.BF16, DType.F32, 1, 4, 2, 1, 1, 64, 64, false,
                Layout.PACKED, AngleSource.CACHE, Mrope.INTERLEAVED, 0f, 100);
    }

    @Test
    void positionOutsideTheTableIsAnErrorAndItsTokenIsNotWritten() {
        try (Arena arena = Arena.ofConfined()) {
            RopeCase.Buffers buf = mrope().build(arena, new Random(1));
            RopeArgs a = buf.args();
            // the H row of the last token points one past the table
            a.positions().data().setAtIndex(ValueLayout.JAVA_LONG, a.positions().axisStride() + 3, 100L);
            KernelException e = assertThrows(KernelException.class, () -> backend.rope(FusedOp.QK_NORM_MROPE, a));
            assertEquals(KernelException.POSITION_RANGE, e.code());
            // the CPU kernels check every position first; a GPU skips the bad token: either way it is untouched
            long row = (2L + 1 + 1) * 64 * 2;
            assertEquals(-1L, buf.packed().asSlice(3 * row, row).mismatch(buf.packedBefore().asSlice(3 * row, row)),
                    "the token with the bad position was written");
        }
    }

    @Test
    void negativePositionIsAnError() {
        try (Arena arena = Arena.ofConfined()) {
            RopeArgs a = mrope().build(arena, new Random(2)).args();
            a.positions().data().setAtIndex(ValueLayout.JAVA_LONG, 0, -1L);
            assertEquals(KernelException.POSITION_RANGE,
                    assertThrows(KernelException.class, () -> backend.rope(FusedOp.QK_NORM_MROPE, a)).code());
        }
    }

    @Test
    void argumentsOfAnotherOpAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            RopeArgs a = mrope().build(arena, new Random(3)).args();
            assertRefused("QkNormRope: QkNormRope takes 0 or 1 position rows, not 3", FusedOp.QK_NORM_ROPE, a);
            assertRefused("MRope: MRope takes no norm weights", FusedOp.MROPE, a);
            assertRefused("QkNorm: QkNorm has rotary_dim 0, got 64", FusedOp.QK_NORM, a);
        }
    }

    @Test
    void geometryErrorsNameWhatWasExpected() {
        try (Arena arena = Arena.ofConfined()) {
            RopeArgs a = mrope().build(arena, new Random(4)).args();
            assertRefused("QkNormMRope: rotary_dim must be even and <= head_dim 64, got 66",
                    FusedOp.QK_NORM_MROPE, withRot(a, 66));
            Positions p = a.positions();
            Positions badSection = new Positions(p.dtype(), p.data(), 3, p.axisStride(), p.batchStride(), p.seqStride(),
                    p.maxPosition(), new int[] {10, 10, 10}, true);
            assertRefused("QkNormMRope: mrope_section [10, 10, 10] must sum to rotary_dim / 2 = 32",
                    FusedOp.QK_NORM_MROPE, withPositions(a, badSection));
            Angles.Table t = (Angles.Table) a.angles();
            assertRefused("QkNormMRope: cos/sin width must be rotary_dim / 2 = 32 or rotary_dim = 64, got 48",
                    FusedOp.QK_NORM_MROPE, withAngles(a, new Angles.Table(t.dtype(), t.cos(), t.sin(), 0, 64, 48)));
            assertRefused("QkNormMRope: cos/sin must be f32, f16 or bf16, got I64",
                    FusedOp.QK_NORM_MROPE, withAngles(a, new Angles.Table(DType.I64, t.cos(), t.sin(), 0, 64, 32)));
        }
    }

    @Test
    void normErrors() {
        MemorySegment m = MemorySegment.ofArray(new float[8]);
        RowsView v = RowsView.contiguous(m, 4);
        NormArgs gemmaWithoutOffset = new NormArgs(DType.F32, DType.F32, DType.F32, 2, 4, 1e-6f, 0f, v, null, v, m);
        KernelException e = assertThrows(KernelException.class,
                () -> backend.norm(FusedOp.GEMMA_RMS_NORM, gemmaWithoutOffset));
        assertEquals("GemmaRmsNorm: GemmaRmsNorm has weight_offset 1", e.getMessage());
        NormArgs gatedWithoutZ = new NormArgs(DType.F32, DType.F32, DType.F32, 2, 4, 1e-6f, 0f, v, null, v, m);
        assertEquals("RmsNormGated: RmsNormGated needs the gate z", assertThrows(KernelException.class,
                () -> backend.norm(FusedOp.RMS_NORM_GATED, gatedWithoutZ)).getMessage());
    }

    private void assertRefused(String message, FusedOp op, RopeArgs a) {
        KernelException e = assertThrows(KernelException.class, () -> backend.rope(op, a));
        assertEquals(KernelException.INVALID_ARGUMENT, e.code());
        assertEquals(message, e.getMessage());
    }

    private static RopeArgs withRot(RopeArgs a, int rot) {
        return new RopeArgs(a.dtype(), a.batch(), a.seq(), a.numQHeads(), a.numKHeads(), a.headDim(), rot,
                a.interleaved(), a.norm(), a.q(), a.qOut(), a.k(), a.kOut(), a.angles(), a.positions());
    }

    private static RopeArgs withPositions(RopeArgs a, Positions p) {
        return new RopeArgs(a.dtype(), a.batch(), a.seq(), a.numQHeads(), a.numKHeads(), a.headDim(), a.rotaryDim(),
                a.interleaved(), a.norm(), a.q(), a.qOut(), a.k(), a.kOut(), a.angles(), p);
    }

    private static RopeArgs withAngles(RopeArgs a, Angles angles) {
        return new RopeArgs(a.dtype(), a.batch(), a.seq(), a.numQHeads(), a.numKHeads(), a.headDim(), a.rotaryDim(),
                a.interleaved(), a.norm(), a.q(), a.qOut(), a.k(), a.kOut(), angles, a.positions());
    }
}
