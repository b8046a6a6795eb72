package dev.graphfuse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.dispatch.EndToEndBench;
import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import dev.graphfuse.runtime.dispatch.GraphfuseSession;
import dev.graphfuse.runtime.dispatch.ModelInputs;
import dev.graphfuse.runtime.dispatch.ModelSource;
import dev.graphfuse.runtime.dispatch.SessionOptionsSpec;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.util.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse bench ORIGINAL OPTIMIZED [--tokens 1,512,4096] [--batch N] [--dim NAME=N…] [--cuda-graph]}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time ORIGINAL in stock ONNX Runtime against OPTIMIZED in ONNX Runtime with graphfuse's op library, "
                + "in one process, on the same execution provider and the same random inputs; median and p90 per shape and "
                + "their ratio. Symbolic input dims come from --tokens / --batch / --dim.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ORIGINAL")
    Path original;

    @Parameters(index = "1", paramLabel = "OPTIMIZED")
    Path optimized;

    @Option(names = "--tokens", split = ",", paramLabel = "N", description = "values of the token dim, one row each "
            + "(default: the model's own when it is static)")
    List<Long> tokens = new ArrayList<>();

    @Option(names = "--tokens-dim", paramLabel = "NAME", description = "the symbolic dim --tokens sets (default: the "
            + "second symbolic dim of the first input, else its only one)")
    String tokensDim;

    @Option(names = "--batch", paramLabel = "N", description = "value of the batch dim (the first symbolic dim of the "
            + "first input, when it has two; default 1)")
    Long batch;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "a value for any other symbolic dim (e.g. past=512)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--input-shape", paramLabel = "INPUT=D1xD2…", description = "an input's shape (e.g. past_key_0=1x8x512x128), which sets its symbolic dims")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--cuda-graph", description = "CUDA EP only: enable ORT's CUDA graphs (enable_cuda_graph) in both sessions")
    boolean cudaGraph;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed runs per session and shape (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--iterations", defaultValue = "20", description = "timed runs per session and shape (default ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the random inputs (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--profile", description = "after timing, one profiled run of each session: ORT's kernel time per op "
            + "type, original beside optimized")
    boolean profile;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the rows as JSON (atomically)")
    Path json;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (warmup < 0 || iterations < 1) {
            throw new BadInputException("--iterations", null, "need at least 1 timed run and no negative warm-up");
        }
        Model before = ModelFiles.read(original);
        List<String> symbolic = EndToEndBench.symbolicDims(before, 1);
        Map<String, Long> fixed = new LinkedHashMap<>(ModelInputs.dimValues(before, dims, inputShapes));
        String tokenName = tokensDim != null ? tokensDim : symbolic.size() >= 2 ? symbolic.get(1)
                : symbolic.size() == 1 ? symbolic.get(0) : null;
        String batchName = symbolic.size() >= 2 && (tokensDim == null || !symbolic.get(0).equals(tokensDim)) ? symbolic.get(0) : null;
        if (batchName != null) {
            fixed.putIfAbsent(batchName, batch != null ? batch : 1L);
        } else if (batch != null) {
            throw new BadInputException("--batch", null, "the first input of " + original + " has no symbolic batch dim");
        }
        if (!tokens.isEmpty() && tokenName == null) {
            throw new BadInputException("--tokens", null, "the first input of " + original + " has no symbolic dim; use --dim");
        }
        List<Map<String, Long>> shapes = new ArrayList<>();
        for (long t : tokens.isEmpty() ? List.of(-1L) : tokens) {
            Map<String, Long> s = new LinkedHashMap<>(fixed);
            if (t >= 0) {
                s.put(tokenName, t);
            }
            shapes.add(s);
        }
        Fallbacks fallbacks = runtime.fallbacks(err);
        ExecutionProvider provider = runtime.provider(fallbacks);
        if (cudaGraph && provider != ExecutionProvider.CUDA) {
            throw new BadInputException("--cuda-graph", null, "needs the CUDA execution provider, this run is on " + provider.ortName());
        }
        SessionOptionsSpec spec0 = SessionOptionsSpec.of(provider).withCudaGraph(cudaGraph);
        List<EndToEndBench.Row> rows = new ArrayList<>();
        out.printf("%s vs %s on %s%s, %d warm-up + %d timed runs each, alternating; host inputs and outputs included%n",
                original, optimized, provider.ortName(), cudaGraph ? " with CUDA graphs" : "", warmup, iterations);
        out.printf("%-28s %22s %22s %8s%n", "dims", "original median/p90 µs", "optimized median/p90 µs", "speedup");
        for (Map<String, Long> shape : shapes) {
            Map<String, Tensor> in = ModelInputs.randomFor(before, Map.of(), new Random(seed), shape);
            // a fresh pair per shape: CUDA graphs are captured for one shape
            try (GraphfuseSession a = ModelSource.of(original).open(spec0.withOpLibrary(false));
                 GraphfuseSession b = ModelSource.of(optimized).open(spec0)) {
                EndToEndBench.Row r = EndToEndBench.time(a, b, in, shape, warmup, iterations);
                rows.add(r);
                out.printf("%-28s %22s %22s %7.2f×%n", shape, fmt(r.original()), fmt(r.optimized()), r.speedup());
                out.flush();
            }
            if (profile) {
                printProfile(out, shape, in, spec0);
            }
        }
        if (json != null) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (EndToEndBench.Row r : rows) {
                ObjectNode o = arr.addObject();
                o.put("original", original.toString());
                o.put("optimized", optimized.toString());
                o.put("provider", provider.ortName());
                o.put("cuda_graph", cudaGraph);
                ObjectNode d = o.putObject("dims");
                r.dims().forEach(d::put);
                o.put("original_median_us", r.original().medianMicros());
                o.put("original_p90_us", r.original().p90Micros());
                o.put("optimized_median_us", r.optimized().medianMicros());
                o.put("optimized_p90_us", r.optimized().p90Micros());
                o.put("speedup", r.speedup());
                o.put("runs", r.optimized().runs());
            }
            AtomicFiles.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n");
        }
        return 0;
    }

    /** One warm run, then one profiled run of each model; kernel µs summed per op type, largest first. */
    private void printProfile(PrintWriter out, Map<String, Long> shape, Map<String, Tensor> in, SessionOptionsSpec spec0)
            throws Exception {
        Map<String, long[]> byOp = new java.util.TreeMap<>();
        int side = 0;
        for (ModelSource src : List.of(ModelSource.of(original), ModelSource.of(optimized))) {
            try (GraphfuseSession s = src.open(spec0.withOpLibrary(side == 1).withProfile(true))) {
                s.run(in);
                s.run(in);
                for (dev.graphfuse.runtime.dispatch.NodePlacement p : s.placements()) {
                    byOp.computeIfAbsent(p.opType(), k -> new long[2])[side] += p.micros() / Math.max(1, p.calls());
                }
            }
            side++;
        }
        long[] total = new long[2];
        byOp.values().forEach(v -> {
            total[0] += v[0];
            total[1] += v[1];
        });
        out.printf("  ORT kernel time per op type at %s (µs, one run): original %d, optimized %d%n", shape, total[0], total[1]);
        byOp.entrySet().stream().sorted((a, b) -> Long.compare(Math.max(b.getValue()[0], b.getValue()[1]),
                Math.max(a.getValue()[0], a.getValue()[1]))).limit(16)
                .forEach(e -> out.printf("    %-32s %10d %10d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
    }

    private static String fmt(EndToEndBench.Timing t) {
        return String.format("%.0f / %.0f", t.medianMicros(), t.p90Micros());
    }
}
