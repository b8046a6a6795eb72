package dev.graphfuse.examples;

import ai.onnxruntime.OrtException;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import dev.graphfuse.runtime.dispatch.FusedPlacement;
import dev.graphfuse.runtime.dispatch.GraphfuseSession;
import dev.graphfuse.runtime.dispatch.ModelSource;
import dev.graphfuse.runtime.dispatch.ProviderChoice;
import dev.graphfuse.runtime.dispatch.SessionOptionsSpec;
import dev.graphfuse.runtime.kernels.DeviceChoice;
import dev.graphfuse.runtime.kernels.Fallbacks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Optimizing and running a model from Java, what {@code graphfuse optimize} followed by
 * {@code graphfuse run} does on the command line:
 * <ol>
 *   <li>import an ONNX export and run the default pipeline ({@code canonicalize,raise,fuse,tables}) on it,
 *       which turns the attention prologues and RMSNorms into {@code graphfuse.*} nodes;</li>
 *   <li>pick ONNX Runtime's execution provider with {@link ProviderChoice#resolve}: {@link DeviceChoice#AUTO}
 *       takes CUDA when ORT's CUDA provider, a CUDA build of graphfuse's op library and a device are there,
 *       else the CPU — that fallback is not silent, {@link Fallbacks} logs it with its reason;</li>
 *   <li>run the optimized model in one {@link GraphfuseSession}: ONNX Runtime with graphfuse's op library
 *       registered, every graphfuse node in graphfuse's kernel on that provider (the profiled run says so);</li>
 *   <li>compare each output with the exporter's recorded output (the {@code .out.NAME.npy} next to the
 *       model, written by PyTorch when the model was exported).</li>
 * </ol>
 *
 * <p>Inputs and reference outputs are found by the naming of {@code testdata/models}:
 * {@code <model>.in.<input>.npy} and {@code <model>.out.<output>.npy}.
 *
 * <pre>java -cp … dev.graphfuse.examples.RunOptimizedModelExample testdata/models/qwen3_dynamo_op18_f32.onnx</pre>
 */
public final class RunOptimizedModelExample {
    private RunOptimizedModelExample() {
    }

    /** One output against the exporter's reference. */
    public record OutputCheck(String name, long[] shape, double maxAbsError) {
    }

    /**
     * What a run did.
     *
     * @param graphfuseNodes nodes in the {@code graphfuse} domain after the pipeline
     * @param provider       the execution provider the whole model ran on
     * @param placement      where ORT ran each graphfuse node
     * @param fallbacks      every fallback line logged (provider selection, a misplaced graphfuse node)
     */
    public record Result(int nodesBefore, int nodesAfter, long graphfuseNodes, ExecutionProvider provider,
                         FusedPlacement placement, List<String> fallbacks, List<OutputCheck> outputs) {
    }

    /** Optimizes {@code model}, runs it on its recorded inputs and compares every output; fallbacks go to {@code log}. */
    public static Result run(Path model, Consumer<String> log) throws OrtException {
        // 1. import and optimize
        Model m = ModelFiles.read(model);
        int before = m.graph().nodeCount();
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), PassContext.quiet());
        long fused = m.graph().nodes().stream().filter(n -> "graphfuse".equals(n.domain())).count();

        // 2. the recorded inputs
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (Value v : m.graph().inputs()) {
            if (!v.isInitializer()) {
                inputs.put(v.name(), Npy.read(sibling(model, "in", v.name()), v.name()));
            }
        }

        // 3. the execution provider: CUDA if it works here, else the CPU with a logged reason
        Fallbacks fallbacks = new Fallbacks(false, log);
        ExecutionProvider provider = ProviderChoice.resolve(DeviceChoice.AUTO, fallbacks);

        // 4. one ORT session with graphfuse's ops; run, see where the graphfuse nodes ran, compare
        try (GraphfuseSession session = ModelSource.of(m).open(SessionOptionsSpec.of(provider).withProfile(true))) {
            Map<String, Tensor> out = session.run(inputs);
            FusedPlacement placement = FusedPlacement.check(m, session.placements(), provider, fallbacks);
            List<OutputCheck> checks = new ArrayList<>();
            for (Map.Entry<String, Tensor> e : out.entrySet()) {
                Tensor want = Npy.read(sibling(model, "out", e.getKey()), e.getKey());
                checks.add(new OutputCheck(e.getKey(), e.getValue().dims(), maxAbsError(want, e.getValue())));
            }
            return new Result(before, m.graph().nodeCount(), fused, provider, placement, fallbacks.seen(), checks);
        }
    }

    /** {@code dir/<model stem>.<kind>.<name>.npy}, names sanitized as testdata/models/generate_models.py does. */
    static Path sibling(Path model, String kind, String name) {
        String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
        return model.resolveSibling(stem + "." + kind + "." + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy");
    }

    static double maxAbsError(Tensor want, Tensor got) {
        if (!Arrays.equals(want.dims(), got.dims())) {
            throw new IllegalStateException(want.name() + ": expected shape " + Arrays.toString(want.dims())
                    + ", got " + Arrays.toString(got.dims()));
        }
        double worst = 0;
        for (long i = 0; i < want.elementCount(); i++) {
            double d = Math.abs(want.getDouble(i) - got.getDouble(i));
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }

    public static void main(String[] args) throws OrtException {
        if (args.length != 1) {
            System.err.println("usage: RunOptimizedModelExample MODEL.onnx   (MODEL.in.*.npy and MODEL.out.*.npy beside it)");
            System.exit(2);
        }
        Result r = run(Path.of(args[0]), System.err::println);
        System.out.printf("%s: %d → %d nodes; one ONNX Runtime session on %s; %s%n", args[0], r.nodesBefore(),
                r.nodesAfter(), r.provider().ortName(), r.placement().summary());
        for (OutputCheck c : r.outputs()) {
            System.out.printf("  %s%s: max abs error vs the exporter's output %.3g%n", c.name(),
                    Arrays.toString(c.shape()), c.maxAbsError());
        }
    }
}
