package dev.graphfuse.testing;

/** Seeds for the seeded fuzz tests: printed as hex so a failure can be replayed exactly. */
public final class FuzzSeeds {
    private FuzzSeeds() {
    }

    /** Decimal, or hex with 0x as printed (all 64 bits). */
    public static long parse(String s) {
        String t = s.trim();
        return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
    }

    /** Independent, reproducible per-iteration seeds (the SplitMix64 finalizer). */
    public static long iteration(long base, long i) {
        long z = base + (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
