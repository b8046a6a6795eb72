package dev.graphfuse.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.bench.SyntheticDecoder;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pipeline.PassRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long work reports to the bound progress sink (the CLI's bars): how many units, and that every one arrived. */
class ProgressReportsTest {
    @TempDir
    Path tmp;

    /** What a sink was told: "name total unit -> advanced closed". */
    private static final class Recorder implements Progress {
        final List<String> tasks = new ArrayList<>();

        @Override
        public Task start(String name, long total, Unit unit) {
            int i = tasks.size();
            tasks.add(name + " " + total + " " + unit);
            long[] done = {0};
            return new Task() {
                @Override
                public void advance(long n) {
                    done[0] += n;
                }

                @Override
                public void close() {
                    tasks.set(i, tasks.get(i) + " -> " + done[0]);
                }
            };
        }
    }

    @Test
    void optimizeReportsEachPassAndTheWeightsCopied() throws Exception {
        Model m = SyntheticDecoder.buildExternal(2, new SyntheticDecoder.Dims(64, 16, 4, 2, 128, 8, 32), tmp.resolve("w.bin"));
        Pipeline p = PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE);
        Recorder r = new Recorder();
        long[] weights = {0};
        ScopedValue.where(Progress.CURRENT, r).run(() -> {
            new PassManager().run(m, p, new PassContext(line -> { }, false));
            weights[0] = SyntheticDecoder.externalBytes(m); // what the optimized model still refers to
            OnnxExporter.write(m, tmp.resolve("out.onnx"));
        });
        assertEquals(List.of("optimize 4 STEPS -> 4", "weights " + weights[0] + " BYTES -> " + weights[0]), r.tasks);
    }

    @Test
    void nothingIsReportedWithoutASink() throws Exception {
        assertEquals(Progress.NONE, Progress.current());
    }
}
