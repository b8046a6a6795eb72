package dev.graphfuse.bench;

import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
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
 * Import + export of committed exports, warm. {@code importExport} reads the .onnx (external data
 * stays a reference), writes it back with its data file, as {@code graphfuse convert} does.
 * Run: {@code bin/bench ImportExportBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ImportExportBenchmark {
    @Param({"qwen3_36l_dynamo_op18_f32.onnx", "qwen3_dynamo_op18_f32.onnx"})
    public String model;

    private Path file;
    private Path outDir;
    private Model loaded;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        file = TestModels.modelsDir().resolve(model);
        outDir = Files.createTempDirectory("gf-bench");
        loaded = OnnxImporter.read(file);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        TempDirs.deleteTree(outDir);
    }

    @Benchmark
    public Model importOnly() {
        return OnnxImporter.read(file);
    }

    @Benchmark
    public byte[] exportToBytes() {
        return OnnxExporter.toProto(loaded).toByteArray();
    }

    @Benchmark
    public Model importExport() {
        Model m = OnnxImporter.read(file);
        OnnxExporter.write(m, outDir.resolve(model));
        return m;
    }
}
