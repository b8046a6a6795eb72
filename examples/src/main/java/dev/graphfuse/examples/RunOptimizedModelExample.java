package dev.graphfuse.examples;

import ai.onnxruntime.OrtException;
import dev.graphfuse.dispatch.ExecutionPlan;
import dev.graphfuse.dispatch.Executor;
import dev.graphfuse.dispatch.HostTensor;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.runtime.kernels.Backends;
import dev.graphfuse.runtime.kernels.CudaBackend;
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
 *   <li>pick the kernel backend with {@link Backends#select}: {@link DeviceChoice#AUTO} takes CUDA when the
 *       native library loads and sees a device, else the CPU reference kernels — that fallback is not
 *       silent, {@link Fallbacks} logs it with its reason;</li>
 *   <li>execute the optimized model with {@link Executor}: standard-op regions in ONNX Runtime, every
 *       graphfuse node in a kernel;</li>
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
     * @param backend        where the graphfuse nodes ran ("cuda device 0 of 1 (…)", "cpu (fallback: …)")
     * @param fallbacks      every fallback line logged (backend selection, a node that ran its function body)
     * @param hostDeviceCopies copies to device, to host and bytes moved, when the backend was CUDA; else null
     */
    public record Result(int nodesBefore, int nodesAfter, long graphfuseNodes, long regions, String backend,
                         Executor.Stats stats, List<String> fallbacks, List<OutputCheck> outputs,
                         long[] hostDeviceCopies) {
    }

    /** Optimizes {@code model}, runs it on its recorded inputs and compares every output; fallbacks go to {@code log}. */
    public static Result run(Path model, Consumer<String> log) throws OrtException {
        // 1. import and optimize
        Model m = ModelFiles.read(model);
        int before = m.graph().nodeCount();
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), PassContext.quiet());
        long fused = m.graph().nodes().stream().filter(n -> "graphfuse".equals(n.domain())).count();

        // 2. the recorded inputs, as the direct buffers the executor passes around
        Map<String, HostTensor> inputs = new LinkedHashMap<>();
        for (Value v : m.graph().inputs()) {
            if (!v.isInitializer()) {
                Tensor t = Npy.read(sibling(model, "in", v.name()), v.name());
                inputs.put(v.name(), HostTensor.of(t));
            }
        }

        // 3. the backend: CUDA if it works here, else the CPU kernels with a logged reason
        Fallbacks fallbacks = new Fallbacks(false, log);
        Backends.Selected backend = Backends.select(DeviceChoice.AUTO, fallbacks);

        // 4. execute and compare
        try (Executor ex = new Executor(m, backend.host(), fallbacks)) {
            Map<String, HostTensor> out = ex.run(inputs);
            List<OutputCheck> checks = new ArrayList<>();
            for (Map.Entry<String, HostTensor> e : out.entrySet()) {
                Tensor want = Npy.read(sibling(model, "out", e.getKey()), e.getKey());
                checks.add(new OutputCheck(e.getKey(), e.getValue().shape(), maxAbsError(want, e.getValue().toTensor(e.getKey()))));
            }
            CudaBackend cuda = backend.cuda();
            long[] copies = cuda == null ? null : cuda.copyCounts();
            ExecutionPlan plan = ex.plan();
            return new Result(before, m.graph().nodeCount(), fused, plan.regionCount(), backend.description(), ex.stats(),
                    fallbacks.seen(), checks, copies);
        } finally {
            if (backend.cuda() != null) {
                backend.cuda().close();
            }
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
        System.out.printf("%s: %d → %d nodes, %d graphfuse nodes; %d regions in ONNX Runtime; graphfuse nodes on %s: "
                        + "%d kernel calls, %d fell back%n", args[0], r.nodesBefore(), r.nodesAfter(), r.graphfuseNodes(),
                r.regions(), r.backend(), r.stats().kernelCalls, r.stats().fallbackRuns);
        if (r.hostDeviceCopies() != null) {
            long[] c = r.hostDeviceCopies();
            System.out.printf("host-device copies: %d to device, %d to host, %d bytes%n", c[0], c[1], c[2]);
        }
        for (OutputCheck c : r.outputs()) {
            System.out.printf("  %s%s: max abs error vs the exporter's output %.3g%n", c.name(),
                    Arrays.toString(c.shape()), c.maxAbsError());
        }
    }
}
