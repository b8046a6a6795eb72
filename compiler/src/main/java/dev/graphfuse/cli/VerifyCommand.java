package dev.graphfuse.cli;

import dev.graphfuse.dispatch.ModelInputs;
import dev.graphfuse.dispatch.OutputComparison;
import dev.graphfuse.dispatch.Verification;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.kernels.Backends;
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
        description = "Run ORIGINAL in stock ONNX Runtime and OPTIMIZED in graphfuse's runtime on the same inputs "
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

    @Option(names = "--seed", description = "seed for the random inputs (default: fresh each run, printed)")
    Long seed;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Model before = ModelFiles.read(original);
        Model after = ModelFiles.read(optimized);
        long s = seed != null ? seed : System.nanoTime();
        Map<String, Tensor> given = ModelInputs.read(before, inputs);
        Map<String, Tensor> in = ModelInputs.randomFor(before, given, new Random(s));
        if (in.size() > given.size()) {
            out.println("random inputs for " + in.keySet().stream().filter(k -> !given.containsKey(k)).toList()
                    + ", seed " + s);
        }
        Fallbacks fallbacks = runtime.fallbacks(err);
        Backends.Selected backend = runtime.select(fallbacks);
        Verification.Report r = Verification.run(before, after, in, backend.host(), fallbacks);
        out.printf("%s vs %s on %s: %d regions, %d graphfuse nodes, %d kernel calls, %d fell back%n", original, optimized,
                backend.description(), r.plan().regionCount(), r.plan().fusedCount(), r.stats().kernelCalls,
                r.stats().fallbackRuns);
        if (backend.cuda() != null) {
            long[] c = backend.cuda().copyCounts();
            out.printf("host-device copies: %d to device, %d to host, %d bytes%n", c[0], c[1], c[2]);
        }
        for (OutputComparison c : r.outputs()) {
            out.println("  " + c);
        }
        out.println(r.pass() ? "PASS" : "FAIL");
        return r.pass() ? 0 : EXIT_MISMATCH;
    }
}
