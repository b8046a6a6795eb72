package dev.graphfuse.bench;

import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code graphfuse optimize IN -o OUT} does, warm: import the export, run the default pipeline
 * (canonicalize → raise → fuse with the pattern library, graph verified after every pass), write the
 * optimized model and its data file. The pattern library is loaded once per trial, as a long-lived
 * service would. Issue bar: ≤ 200 ms for the 36-layer Qwen3 export. Run: {@code bin/bench OptimizeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class OptimizeBenchmark {
    @Param({"qwen3_36l_dynamo_op18_f32.onnx"})
    public String model;

    private Path file;
    private Path outDir;
    private Pipeline pipeline;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        file = TestModels.modelsDir().resolve(model);
        outDir = Files.createTempDirectory("gf-bench-opt");
        pipeline = PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE);
        Model m = OnnxImporter.read(file);
        new PassManager().run(m, pipeline, PassContext.quiet());
        long fused = m.graph().nodes().stream().filter(n -> n.opType().equals("QkNormRope")).count();
        if (fused != 36) {
            throw new IllegalStateException("expected 36 QkNormRope, got " + fused);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        TempDirs.deleteTree(outDir);
    }

    @Benchmark
    public Model optimize() {
        Model m = OnnxImporter.read(file);
        new PassManager().run(m, pipeline, PassContext.quiet());
        OnnxExporter.write(m, outDir.resolve("opt.onnx"));
        return m;
    }

    @Benchmark
    public Model importAndPipeline() {
        Model m = OnnxImporter.read(file);
        new PassManager().run(m, pipeline, PassContext.quiet());
        return m;
    }
}
