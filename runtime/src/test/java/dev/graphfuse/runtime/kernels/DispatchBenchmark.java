package dev.graphfuse.runtime.kernels;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Host-side cost of dispatching one fused node through java.lang.foreign (issue 6: ≤ 1 µs), for QkNormRope
 * at Qwen3-8B geometry, decode (T = 1): the part graphfuse owns, not the CUDA driver's launch.
 * <ul>
 *   <li>{@code marshal}: the RopeArgs record written into the header's struct (what CudaBackend does per call);</li>
 *   <li>{@code marshalAndDowncall}: that plus the FFM downcall into gf_qk_norm_rope, made with a struct size the
 *   library refuses at its first check, so the call returns without touching CUDA: the round trip through the
 *   binding, on any machine.</li>
 * </ul>
 * The pointers are addresses only (never dereferenced here). Run: {@code bin/bench-dispatch} (needs the
 * native library, i.e. a build with nvcc).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class DispatchBenchmark {
    private final Arena arena = Arena.ofShared();
    private MethodHandle qkNormRope;
    private MemorySegment struct;
    private MemorySegment status;
    private RopeArgs args;

    @Setup
    public void setup() {
        NativeLibrary lib = NativeLibrary.load();
        qkNormRope = lib.ops.get(FusedOp.QK_NORM_ROPE);
        struct = arena.allocate(NativeLayouts.ROPE_ARGS);
        status = MemorySegment.ofAddress(0x7000_0000L);
        long row = 48 * 128;
        MemorySegment qkv = MemorySegment.ofAddress(0x1000_0000L);
        HeadsView q = new HeadsView(qkv, 0, row, row, 128);
        HeadsView k = new HeadsView(qkv, 32 * 128, row, row, 128);
        QkWeights w = new QkWeights(DType.BF16, MemorySegment.ofAddress(0x2000_0000L),
                MemorySegment.ofAddress(0x2000_1000L), 1e-6f, 0f);
        MemorySegment cache = MemorySegment.ofAddress(0x3000_0000L);
        Angles.Table table = new Angles.Table(DType.F32, cache, MemorySegment.ofAddress(0x3000_0000L + 64 * 4), 0, 128, 64);
        Positions pos = Positions.of(DType.I64, MemorySegment.ofAddress(0x4000_0000L), 1, 40960);
        args = new RopeArgs(DType.BF16, 1, 1, 32, 8, 128, 128, false, w, q, q, k, k, table, pos);
    }

    @Benchmark
    public boolean marshal() {
        return ArgsStructs.writeRope(struct, args, status);
    }

    @Benchmark
    public int marshalAndDowncall() throws Throwable {
        ArgsStructs.writeRope(struct, args, status);
        struct.set(JAVA_LONG, NativeOffsets.ROPE_STRUCT_SIZE, 1L); // refused before any CUDA call
        return (int) qkNormRope.invokeExact(struct, MemorySegment.NULL);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }
}
