package dev.graphfuse.cli;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.ir.Model;
import dev.graphfuse.match.FailureKind;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.util.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse optimize IN -o OUT [--passes …] [--patterns FILE…] [--stats] [--json]}. */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Run a pass pipeline (default canonicalize,raise,fuse,tables) and write the result atomically. "
                + "Fused nodes carry model-local function bodies, so the output runs in stock ONNX Runtime.")
final class OptimizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "an .onnx model or a graphfuse text file")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "output file; .onnx or text by extension (external tensors go to OUT.data)")
    Path output;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--stats", description = "print candidates/matched/rewritten/rejected per pattern")
    boolean stats;

    @Option(names = "--json", description = "print a JSON report instead of text")
    boolean json;

    @Option(names = "--keep-data", description = "an .onnx OUT refers to the weights already in its folder (the input's "
            + "OUT-folder .data files) where they are, instead of copying them into OUT.data: for large models, nothing "
            + "of the weights is read or written. OUT then needs those files beside it")
    boolean keepData;

    @Option(names = "--strict", description = "treat every fallback (a skipped pass, a pass that did not converge) "
            + "as an error")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PassRegistry registry = pipeline.registry();
        Pipeline p = pipeline.pipeline(registry, pipeline.pipelineNames(), spec.commandLine());
        AtomicFiles.checkTarget(output); // a bad -o fails before the model is read and optimized
        Model m = ModelFiles.read(input);
        int before = m.graph().nodeCount();
        PassContext ctx = new PassContext(line -> err.println(line), strict);
        long start = System.nanoTime();
        new PassManager().run(m, p, ctx);
        double ms = (System.nanoTime() - start) / 1e6;
        remarkSilentPatterns(ctx, registry);
        long kept = 0;
        if (keepData && ModelFormat.of(output) == ModelFormat.ONNX) {
            kept = dev.graphfuse.onnx.OnnxExporter.write(m, output, true);
        } else {
            ModelFiles.write(m, output, ModelFormat.of(output));
        }
        int after = m.graph().nodeCount();
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("input", input.toString());
            r.put("output", output.toString());
            r.put("passes", pipeline.pipelineNames());
            r.put("nodes_before", before);
            r.put("nodes_after", after);
            r.put("milliseconds", Math.round(ms * 10) / 10.0);
            r.put("kept_data_bytes", kept);
            r.put("fused", fusedCounts(ctx, registry));
            List<Map<String, Object>> s = new ArrayList<>();
            ctx.allStats().forEach(x -> s.add(x.toMap()));
            r.put("stats", s);
            r.put("remarks", ctx.remarks());
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        if (stats) {
            String pass = null;
            for (RuleStats s : ctx.allStats()) {
                if (!s.pass().equals(pass)) {
                    pass = s.pass();
                    out.println(pass + ":");
                }
                out.println("  " + s);
            }
        }
        Map<String, Long> fused = fusedCounts(ctx, registry);
        out.printf("%s: %d → %d nodes in %.1f ms (%s)%n", input, before, after, ms,
                fused.isEmpty() ? "no pattern fired" : String.join(", ",
                        fused.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue()).toList()));
        out.println("wrote " + output + (kept > 0 ? String.format(" (%,d bytes of weights left where they are)", kept) : ""));
        return 0;
    }

    /** Rewrites by pattern (Java passes' rule counts are in --stats). */
    private static Map<String, Long> fusedCounts(PassContext ctx, PassRegistry registry) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (RuleStats s : ctx.allStats()) {
            if (s.rewritten() > 0 && registry.library().pattern(s.rule()) != null) {
                m.merge(s.rule(), s.rewritten(), Long::sum);
            }
        }
        return m;
    }

    /**
     * Some candidate got far enough to fail on a constraint (eps, a capture, a predicate, escaping
     * users, a cycle): the structure is there and the fusion was refused. A library pattern for an
     * architecture the model does not have fails on op kinds only, and saying so for every pattern
     * would bury the remarks that matter.
     */
    private static boolean nearMiss(RuleStats s) {
        return s.rejected().keySet().stream().map(FailureKind::ofLabel).anyMatch(k -> k == null || !k.structural());
    }

    /** The peers' most reported bug is a fusion that silently did not apply: say so, with the reason. */
    static void remarkSilentPatterns(PassContext ctx, PassRegistry registry) {
        // Patterns are often spellings of one op (RaiseRopeNeox, RaiseRopeNeoxHalves): when one spelling
        // fired, the others not firing is expected, not news.
        java.util.Set<String> producedOps = new java.util.HashSet<>();
        for (RuleStats s : ctx.allStats()) {
            var p = registry.library().pattern(s.rule());
            if (p != null && s.rewritten() > 0) {
                producedOps.add(p.replacement().op().qualifiedName());
            }
        }
        for (RuleStats s : ctx.allStats()) {
            var p = registry.library().pattern(s.rule());
            if (p != null && s.candidates() > 0 && s.rewritten() == 0 && !s.rejected().isEmpty()
                    && !producedOps.contains(p.replacement().op().qualifiedName()) && nearMiss(s)) {
                var top = s.rejected().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
                ctx.remark(s.pass() + "/" + s.rule() + " did not fire on any of " + s.candidates()
                        + " candidates (most often: " + top.getKey() + "); run `graphfuse explain --pattern "
                        + s.rule() + "` for reasons");
            }
        }
    }
}
