package dev.graphfuse.runtime.rope;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Element-wise equality with transformers' get_rope_index on every committed reference case. */
class Qwen3VlRopeIndexReferenceTest {
    private static final List<ReferenceCases.Case> CASES = ReferenceCases.all();

    @Test
    void everyCaseOfTheManifestIsLoaded() {
        assertEquals(ReferenceCases.manifest().path("cases").size(), CASES.size());
        assertEquals(9, CASES.size(), "lmms-engine's six cases plus edge_grids, merge4 and cli_example");
    }

    @TestFactory
    Stream<DynamicTest> fromInputIds() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            MropePositions p = c.ropeIndex().compute(c.fromInputIds());
            assertSame(c, p);
        }));
    }

    @TestFactory
    Stream<DynamicTest> fromTokenTypes() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            MropePositions p = c.ropeIndex().compute(c.fromTokenTypes());
            assertSame(c, p);
        }));
    }

    @TestFactory
    Stream<DynamicTest> computeIntoOverwritesReusedArrays() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            long[] positions = new long[c.positionIds().length];
            long[] deltas = new long[c.ropeDeltas().length];
            Arrays.fill(positions, -7);
            Arrays.fill(deltas, -7);
            c.ropeIndex().computeInto(c.fromInputIds(), positions, deltas);
            assertSame(c, new MropePositions(c.batch(), c.seqLen(), positions, deltas));
        }));
    }

    @Test
    void theManifestsSummaryAgreesWithTheArrays() {
        for (ReferenceCases.Case c : CASES) {
            long max = Arrays.stream(c.positionIds()).max().orElseThrow();
            assertEquals(c.json().path("max_position").asLong(), max, c.name());
            assertEquals(c.json().path("images").asInt(), c.imageGridThw() == null ? 0 : c.imageGridThw().length / 3);
        }
    }

    private static void assertSame(ReferenceCases.Case c, MropePositions p) {
        assertEquals(c.batch(), p.batch());
        assertEquals(c.seqLen(), p.seqLen());
        long[] want = c.positionIds();
        long[] got = p.positionIds();
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            if (want[i] != got[i]) {
                int plane = c.batch() * c.seqLen();
                int axis = i / plane;
                int b = i % plane / c.seqLen();
                int s = i % c.seqLen();
                int mismatches = 0;
                for (int j = i; j < want.length; j++) {
                    mismatches += want[j] != got[j] ? 1 : 0;
                }
                fail(c.name() + ": position_ids[" + axis + "][" + b + "][" + s + "] = " + got[i] + ", transformers has "
                        + want[i] + " (" + mismatches + " mismatches in all)");
            }
        }
        assertArrayEquals(c.ropeDeltas(), p.ropeDeltas(), c.name() + ": rope_deltas");
    }
}
