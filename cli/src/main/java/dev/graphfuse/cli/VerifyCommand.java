package dev.graphfuse.cli;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import dev.graphfuse.runtime.dispatch.ModelInputs;
import dev.graphfuse.runtime.dispatch.ModelSource;
import dev.graphfuse.runtime.dispatch.OutputComparison;
import dev.graphfuse.runtime.dispatch.Tolerance;
import dev.graphfuse.runtime.dispatch.Verification;
import dev.graphfuse.runtime.kernels.Fallbacks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** {@code graphfuse verify ORIGINAL OPTIMIZED [--input …] [--seed N]}. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run ORIGINAL in stock ONNX Runtime and OPTIMIZED in ONNX Runtime with graphfuse's op library, on "
                + "the same execution provider and the same inputs "
                + "(given ones, the rest random) and compare every output; exit 4 when one is over tolerance "
                + "(abs 1e-5 f32, relative 2e-3 f16, 1e-2 bf16, exact integers).")
final class VerifyCommand implements Callable<Integer> {
    static final int EXIT_MISMATCH = 4;

    @Parameters(index = "0", paramLabel = "ORIGINAL")
    Path original;

    @Parameters(index = "1", paramLabel = "OPTIMIZED")
    Path optimized;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", description = "a graph input from a NumPy file")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--dim", paramLabel = "NAME=N", description = "a value for a symbolic input dim of the random inputs "
            + "(e.g. seq=512)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--input-shape", paramLabel = "INPUT=D1xD2…", description = "an input's shape for the random inputs (e.g. input_ids=1x128), which sets its symbolic dims")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--tolerance", paramLabel = "X", description = "replace the floating-point outputs' default tolerance "
            + "(abs for f32/f64, relative to the output's largest magnitude for f16/bf16); deep fp16 models accumulate "
            + "more rounding than the defaults allow, in the original as in the optimized model")
    Double tolerance;

    @Option(names = "--atol", paramLabel = "X", description = "judge floating-point outputs element by element as NumPy's "
            + "allclose: |a - b| <= atol + rtol * |a| (a: the original's value); with --rtol, or alone (rtol 0)")
    Double atol;

    @Option(names = "--rtol", paramLabel = "X", description = "allclose's relative term (with --atol, or alone: atol 0)")
    Double rtol;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the verdict and every output's errors as "
            + "JSON (atomically)")
    Path json;

    @Option(names = "--seed", description = "seed for the random inputs (default: fresh each run, printed)")
    Long seed;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    /** ORT opens an ONNX file itself (external data and all); a text model goes through the exporter. */
    private static ModelSource source(Path file, Model m) {
        return ModelFormat.of(file) == ModelFormat.ONNX ? ModelSource.of(file) : ModelSource.of(m);
    }

    private void writeJson(Verification.Report r) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("original", original.toString());
        o.put("optimized", optimized.toString());
        o.put("provider", r.provider().ortName());
        o.put("pass", r.pass());
        o.put("graphfuse_nodes", r.placement().fusedNodes());
        o.put("misplaced", r.placement().misplaced().size());
        if (r.referenceSkipped() != null) {
            o.put("fp32_reference_skipped", r.referenceSkipped());
        }
        com.fasterxml.jackson.databind.node.ArrayNode outs = o.putArray("outputs");
        for (OutputComparison c : r.outputs()) {
            com.fasterxml.jackson.databind.node.ObjectNode x = outs.addObject();
            x.put("name", c.name());
            x.put("type", c.type());
            com.fasterxml.jackson.databind.node.ArrayNode shape = x.putArray("shape");
            for (long d : c.shape()) {
                shape.add(d);
            }
            x.put("max_abs", c.maxAbs());
            x.put("max_rel", c.maxRel());
            x.put("tolerance", c.tolerance());
            x.put("relative", c.relative());
            if (c.reference() != null) {
                x.put("fp32_reference_error_original", c.reference().original());
                x.put("fp32_reference_error_optimized", c.reference().optimized());
                x.put("fp32_reference_pass", c.reference().pass());
            }
            if (c.criterion().allClose()) {
                x.put("atol", c.criterion().atolOrZero());
                x.put("rtol", c.criterion().rtolOrZero());
                x.put("outside", c.outside());
            }
            x.put("pass", c.pass());
        }
        dev.graphfuse.util.AtomicFiles.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tolerance != null && !(tolerance > 0 && tolerance < 1)) {
            throw new dev.graphfuse.diag.BadInputException("--tolerance", null, "expected a number in (0, 1), got " + tolerance);
        }
        for (var o : java.util.List.of(java.util.Map.entry("--atol", atol == null ? 0.0 : atol),
                java.util.Map.entry("--rtol", rtol == null ? 0.0 : rtol))) {
            if (!(o.getValue() >= 0 && o.getValue() < 1)) {
                throw new dev.graphfuse.diag.BadInputException(o.getKey(), null, "expected a number in [0, 1), got " + o.getValue());
            }
        }
        if (tolerance != null && (atol != null || rtol != null)) {
            throw new dev.graphfuse.diag.BadInputException("--tolerance", null,
                    "give either --tolerance (one scaled number) or --atol / --rtol (allclose), not both");
        }
        Model before = ModelFiles.read(original);
        Model after = ModelFiles.read(optimized);
        long s = seed != null ? seed : System.nanoTime();
        Map<String, Tensor> given = ModelInputs.read(before, inputs);
        Map<String, Tensor> in = ModelInputs.randomFor(before, given, new Random(s), ModelInputs.dimValues(before, dims, inputShapes));
        if (in.size() > given.size()) {
            out.println("random inputs for " + in.keySet().stream().filter(k -> !given.containsKey(k)).toList()
                    + ", seed " + s);
        }
        Fallbacks fallbacks = runtime.fallbacks(err);
        ExecutionProvider provider = runtime.provider(fallbacks);
        Verification.Report r = Verification.run(source(original, before), before, source(optimized, after), after, in,
                provider, fallbacks, new Tolerance(tolerance, atol, rtol));
        out.printf("%s in ONNX Runtime vs %s in ONNX Runtime with graphfuse's ops, both on %s; %s%n", original, optimized,
                provider.ortName(), r.placement().summary());
        for (OutputComparison c : r.outputs()) {
            out.println("  " + c);
        }
        if (r.referenceSkipped() != null) {
            err.println("remark: no fp32 reference run, so the fp16 / bf16 outputs are judged by the tolerance alone: "
                    + r.referenceSkipped());
        }
        out.println(r.pass() ? "PASS" : "FAIL");
        if (json != null) {
            writeJson(r);
        }
        return r.pass() ? 0 : EXIT_MISMATCH;
    }
}
