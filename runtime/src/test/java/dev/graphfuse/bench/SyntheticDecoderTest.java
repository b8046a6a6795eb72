package dev.graphfuse.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.Ort;
import dev.graphfuse.text.GraphTextWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generator behind {@link PipelineScalingBenchmark} builds what it claims, and the pipeline fuses it. */
class SyntheticDecoderTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 10, 100})
    void buildsAValidDecoderThatThePipelineFuses(int layers) {
        Model m = SyntheticDecoder.build(layers);
        assertEquals(List.of(), GraphVerifier.problems(m));
        int nodes = m.graph().nodeCount();
        assertEquals(SyntheticDecoder.NODES_PER_LAYER * layers, nodes);
        assertTrue(Math.abs(nodes - 100.0 * layers) <= 0.15 * 100 * layers, nodes + " nodes for " + layers + " layers");
        assertEquals(4 * layers, count(m, "", "Pow"), "decomposed RMSNorms");

        PassContext ctx = PassContext.quiet();
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), ctx);

        assertEquals(List.of(), GraphVerifier.problems(m));
        // QkNormSplit fuses the q/k norms, then QkNormRopeTransposed absorbs that QkNorm and both RoPEs.
        assertEquals(layers, count(m, "graphfuse", "QkNormRope"));
        assertEquals(0, count(m, "graphfuse", "QkNorm"));
        assertEquals(2 * layers, count(m, "graphfuse", "RmsNorm"));
        assertEquals(0, count(m, "", "Pow"));
        assertEquals(4L * layers, rewritten(ctx, "raise", "RaiseRmsNorm"));
        assertEquals(layers, rewritten(ctx, "fuse", "QkNormSplit"));
        assertEquals(layers, rewritten(ctx, "fuse", "QkNormRopeTransposed"));
    }

    @Test
    void sameSeedSameModelAndBytesCopyIsFaithful() {
        Model a = SyntheticDecoder.build(3);
        Model b = SyntheticDecoder.build(3);
        String text = GraphTextWriter.print(a);
        assertEquals(text, GraphTextWriter.print(b));
        assertEquals(text, GraphTextWriter.print(SyntheticDecoder.fromBytes(OnnxExporter.toBytes(a))));
    }

    /** L=2 runs in stock ONNX Runtime before and after the default pipeline, with the same outputs. */
    @Test
    void smallInstanceRunsInOrtWithEqualOutputsAfterThePipeline() throws Exception {
        Model m = SyntheticDecoder.build(2);
        Path before = tmp.resolve("before.onnx");
        OnnxExporter.write(m, before);
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), PassContext.quiet());
        assertEquals(2, count(m, "graphfuse", "QkNormRope"));
        Path after = tmp.resolve("after.onnx");
        OnnxExporter.write(m, after);

        Random rnd = new Random(7);
        for (int trial = 0; trial < 2; trial++) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            int n = SyntheticDecoder.SEQ * SyntheticDecoder.HIDDEN;
            ByteBuffer h = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                h.putFloat((float) rnd.nextGaussian());
            }
            in.put("hidden_states", Tensor.of("hidden_states", ElementType.FLOAT,
                    new long[] {1, SyntheticDecoder.SEQ, SyntheticDecoder.HIDDEN}, h.array()));
            ByteBuffer p = ByteBuffer.allocate(SyntheticDecoder.SEQ * 8).order(ByteOrder.LITTLE_ENDIAN);
            int offset = trial * 11; // positions 0..7, then 11..18
            for (int i = 0; i < SyntheticDecoder.SEQ; i++) {
                p.putLong(offset + i);
            }
            in.put("positions", Tensor.of("positions", ElementType.INT64, new long[] {SyntheticDecoder.SEQ}, p.array()));

            Tensor x = Ort.run(before, in).get("output");
            Tensor y = Ort.run(after, in).get("output");
            assertArrayEquals(new long[] {1, SyntheticDecoder.SEQ, SyntheticDecoder.HIDDEN}, x.dims());
            assertArrayEquals(x.dims(), y.dims());
            double worst = 0;
            for (long i = 0; i < x.elementCount(); i++) {
                assertTrue(Double.isFinite(x.getDouble(i)), "output " + i + " is " + x.getDouble(i));
                worst = Math.max(worst, Math.abs(x.getDouble(i) - y.getDouble(i)));
            }
            assertTrue(worst <= 1e-5, "max abs diff " + worst);
        }
    }

    static long count(Model m, String domain, String op) {
        long n = 0;
        for (Node node : m.graph().nodes()) {
            if (node.domain().equals(domain) && node.opType().equals(op)) {
                n++;
            }
        }
        return n;
    }

    private static long rewritten(PassContext ctx, String pass, String rule) {
        return ctx.allStats().stream().filter(s -> s.pass().equals(pass) && s.rule().equals(rule))
                .mapToLong(RuleStats::rewritten).sum();
    }
}
