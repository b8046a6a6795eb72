package dev.graphfuse.ir;

/**
 * Shared {@link Dim.Fixed} instances for small sizes. A 100k-node model spells a few dozen distinct
 * sizes in some 300k dims; sharing them keeps that many objects out of every copy the collector makes
 * of a freshly imported model. Dims are immutable records, so sharing changes no result.
 */
final class FixedDims {
    private static final Dim.Fixed[] SMALL = new Dim.Fixed[1025];

    static {
        for (int i = 0; i < SMALL.length; i++) {
            SMALL[i] = new Dim.Fixed(i);
        }
    }

    private FixedDims() {
    }

    static Dim.Fixed of(long size) {
        return size >= 0 && size < SMALL.length ? SMALL[(int) size] : new Dim.Fixed(size);
    }
}
