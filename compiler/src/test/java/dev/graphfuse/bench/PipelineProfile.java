package dev.graphfuse.bench;

import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.pass.CompositePass;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-pass wall time of the default pipeline on a {@link SyntheticDecoder}, for finding where
 * {@link PipelineScalingBenchmark}'s time goes; JMH only sees the total. Runs the same work as
 * {@code new PassManager().run(...)} (sub-passes of a composite are timed one by one, the verifier
 * after each top-level pass), and prints medians plus a digest of the output model and statistics,
 * so a speed-up can be checked not to change the result.
 *
 * <p>Run: {@code java -cp <test classpath> dev.graphfuse.bench.PipelineProfile [layers] [runs]}.
 */
public final class PipelineProfile {
    /** Thread CPU time is printed next to wall time: on a shared machine it varies less (GC threads aside). */
    private static final com.sun.management.ThreadMXBean CPU =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private PipelineProfile() {
    }

    public static void main(String[] args) throws Exception {
        int layers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        byte[] onnx = OnnxExporter.toBytes(SyntheticDecoder.build(layers));
        Pipeline pipeline = PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE);
        Map<String, List<Long>> times = new LinkedHashMap<>();
        String digest = null;
        for (int r = 0; r < runs; r++) {
            Model m = SyntheticDecoder.fromBytes(onnx);
            PassContext ctx = PassContext.quiet();
            long total = 0;
            for (Pass top : pipeline.passes()) {
                List<Pass> leaves = top instanceof CompositePass c ? c.passes() : List.of(top);
                for (Pass p : leaves) {
                    total += time(times, p.name(), () -> p.run(m, ctx));
                }
                total += time(times, "verify after " + top.name(), () -> GraphVerifier.verify(m));
            }
            times.computeIfAbsent("TOTAL", k -> new ArrayList<>()).add(total);
            times.computeIfAbsent("cpu TOTAL", k -> new ArrayList<>()).add(
                    times.entrySet().stream().filter(e -> e.getKey().startsWith("cpu ") && !e.getKey().equals("cpu TOTAL"))
                            .mapToLong(e -> e.getValue().getLast()).sum());
            times.computeIfAbsent("alloc TOTAL", k -> new ArrayList<>()).add(
                    times.entrySet().stream().filter(e -> e.getKey().startsWith("alloc ") && !e.getKey().equals("alloc TOTAL"))
                            .mapToLong(e -> e.getValue().getLast()).sum());
            String d = digest(m, ctx);
            if (digest != null && !digest.equals(d)) {
                throw new IllegalStateException("run " + r + " gave another result");
            }
            digest = d;
        }
        int skip = Math.min(runs / 3, 5); // warm-up runs are left out of the medians
        System.out.printf("layers=%d runs=%d (first %d left out), ms: median [min max]%n", layers, runs, skip);
        System.out.printf("  %-26s %24s %24s %10s%n", "", "wall", "thread cpu", "alloc MB");
        for (var e : times.entrySet()) {
            if (e.getKey().startsWith("cpu ") || e.getKey().startsWith("alloc ")) {
                continue;
            }
            List<Long> cpu = times.get("cpu " + e.getKey());
            List<Long> alloc = times.get("alloc " + e.getKey());
            System.out.printf("  %-26s %s %s %10s%n", e.getKey(), summary(e.getValue(), skip),
                    cpu == null ? "" : summary(cpu, skip),
                    alloc == null ? "" : String.format("%.1f", alloc.getLast() / 1e6));
        }
        System.out.println("digest " + digest);
    }

    private static long time(Map<String, List<Long>> times, String name, Runnable work) {
        long a0 = CPU.getCurrentThreadAllocatedBytes();
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        work.run();
        long dt = System.nanoTime() - t0;
        times.computeIfAbsent(name, k -> new ArrayList<>()).add(dt);
        times.computeIfAbsent("cpu " + name, k -> new ArrayList<>()).add(CPU.getCurrentThreadCpuTime() - c0);
        times.computeIfAbsent("alloc " + name, k -> new ArrayList<>()).add(CPU.getCurrentThreadAllocatedBytes() - a0);
        return dt;
    }

    private static String summary(List<Long> times, int skip) {
        long[] ns = times.stream().skip(skip).mapToLong(Long::longValue).sorted().toArray();
        return String.format("%8.1f [%6.1f %6.1f]", ns[ns.length / 2] / 1e6, ns[0] / 1e6, ns[ns.length - 1] / 1e6);
    }

    private static String digest(Model m, PassContext ctx) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(OnnxExporter.toBytes(m));
        for (RuleStats s : ctx.allStats()) {
            sha.update((s.pass() + "/" + s + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(Arrays.copyOf(sha.digest(), 12));
    }
}
