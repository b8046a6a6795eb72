package dev.graphfuse.runtime.bench;

import dev.graphfuse.runtime.rope.MropePositions;
import dev.graphfuse.runtime.rope.Qwen3VlRopeIndex;
import dev.graphfuse.runtime.rope.ReferenceCases;
import dev.graphfuse.runtime.rope.RopeIndexInput;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Qwen3VlRopeIndex} on a committed reference case — the same inputs bin/bench-rope-index hands to
 * transformers. {@code compute} allocates its result as transformers does; {@code computeInto} reuses the
 * caller's arrays, as a decode loop would. Run: {@code bin/bench-rope-index} (both sides and the ratio) or
 * {@code bin/bench-rope-index --java-only}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RopeIndexBenchmark {
    @Param({"b4_s8192_16img_4vid"})
    public String referenceCase;

    private Qwen3VlRopeIndex ropeIndex;
    private RopeIndexInput fromIds;
    private RopeIndexInput fromTypes;
    private long[] positions;
    private long[] deltas;

    @Setup
    public void setup() {
        ReferenceCases.Case c = ReferenceCases.named(referenceCase);
        ropeIndex = c.ropeIndex();
        fromIds = c.fromInputIds();
        fromTypes = c.fromTokenTypes();
        positions = new long[c.positionIds().length];
        deltas = new long[c.batch()];
        // A benchmark of a wrong answer is worthless: check against transformers before timing.
        MropePositions p = ropeIndex.compute(fromIds);
        if (!Arrays.equals(p.positionIds(), c.positionIds()) || !Arrays.equals(p.ropeDeltas(), c.ropeDeltas())) {
            throw new IllegalStateException(referenceCase + ": result differs from transformers' reference");
        }
    }

    @Benchmark
    public MropePositions compute() {
        return ropeIndex.compute(fromIds);
    }

    @Benchmark
    public long[] computeInto() {
        ropeIndex.computeInto(fromIds, positions, deltas);
        return positions;
    }

    @Benchmark
    public MropePositions computeFromTokenTypes() {
        return ropeIndex.compute(fromTypes);
    }
}
