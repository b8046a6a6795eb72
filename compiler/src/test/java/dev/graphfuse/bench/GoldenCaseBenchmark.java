package dev.graphfuse.bench;

import dev.graphfuse.golden.GoldenCase;
import dev.graphfuse.golden.GoldenResult;
import dev.graphfuse.golden.GoldenRunner;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One golden case over the 36-layer Qwen3 export, warm: read the model, run the default pipeline on it and on
 * its node-shuffled copy, print and compare (what {@code graphfuse golden check} and graphfuse-testing do per
 * case). Issue bar: under 2 s. Run: {@code bin/bench GoldenCaseBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class GoldenCaseBenchmark {
    private GoldenCase golden;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path dir = Files.createTempDirectory("gf-bench-golden");
        Path file = dir.resolve("qwen3_36l.test");
        Files.writeString(file, "# passes: canonicalize,raise,fuse,tables\n# model: "
                + TestModels.modelsDir().resolve("qwen3_36l_dynamo_op18_f32.onnx").toAbsolutePath() + "\n");
        GoldenResult first = GoldenRunner.run(GoldenCase.read(file, true));
        GoldenRunner.update(GoldenCase.read(file, true), first);
        golden = GoldenCase.read(file);
        if (!GoldenRunner.run(golden).ok()) {
            throw new IllegalStateException("the case does not match its own run");
        }
    }

    @Benchmark
    public GoldenResult check() {
        return GoldenRunner.run(golden);
    }
}
