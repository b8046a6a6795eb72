package dev.graphfuse.bench;

import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pipeline.PassRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The default pipeline ({@link PassRegistry#DEFAULT_PIPELINE}: canonicalize, raise, fuse) on a
 * {@link SyntheticDecoder} of 100 and 1,000 layers (9,600 and 96,000 nodes), warm.
 *
 * <p>The pipeline mutates the graph, so every invocation starts from a fresh, unoptimized copy. The
 * copy is made in a {@code @Setup(Level.Invocation)} method (an ONNX-bytes round trip of the model
 * built once per trial), which JMH leaves out of the measured time: the numbers are the pipeline
 * alone. {@code pipeline} is what {@code graphfuse optimize} runs ({@code new PassManager()}, which
 * verifies the graph after each pass); {@code pipelineNoVerify} is {@code new PassManager(false)}.
 * The pattern library is loaded and the pipeline built once per trial, outside the measurement.
 *
 * <p>Run: {@code bin/bench PipelineScalingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class PipelineScalingBenchmark {
    @Param({"100", "1000"})
    public int layers;

    private byte[] onnx;
    private Pipeline pipeline;
    private Model model;

    @Setup(Level.Trial)
    public void build() {
        onnx = OnnxExporter.toBytes(SyntheticDecoder.build(layers));
        pipeline = PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE);
        // One untimed run to check the construction and report the sizes.
        Model m = SyntheticDecoder.fromBytes(onnx);
        int before = m.graph().nodeCount();
        new PassManager().run(m, pipeline, PassContext.quiet());
        long qk = m.graph().nodes().stream().filter(n -> n.opType().equals("QkNormRope")).count();
        long rms = m.graph().nodes().stream().filter(n -> n.opType().equals("RmsNorm")).count();
        if (qk != layers || rms != 2L * layers) {
            throw new IllegalStateException("expected " + layers + " QkNormRope and " + 2 * layers + " RmsNorm, got "
                    + qk + " and " + rms);
        }
        System.out.printf("%nlayers=%d nodes before=%d after=%d (QkNormRope=%d, RmsNorm=%d), onnx bytes=%d%n", layers,
                before, m.graph().nodeCount(), qk, rms, onnx.length);
    }

    /** A fresh unoptimized copy per invocation; not part of the measured time. */
    @Setup(Level.Invocation)
    public void freshCopy() {
        model = SyntheticDecoder.fromBytes(onnx);
    }

    @Benchmark
    public Model pipeline() {
        new PassManager().run(model, pipeline, PassContext.quiet());
        return model;
    }

    @Benchmark
    public Model pipelineNoVerify() {
        new PassManager(false).run(model, pipeline, PassContext.quiet());
        return model;
    }
}
