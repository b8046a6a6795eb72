package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.testing.TestModels;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * How often each library pattern fires on each committed export, derived from the models'
 * architecture (docs/patterns.md): a Qwen3 layer has input, post-attention, q and k norms, plus one
 * final norm; q and k each get one RoPE; only the vLLM-style module has a packed qkv Split. A change
 * in any count is a regression or a new capability — either way it must be looked at.
 */
class LibraryCountsTest {
    private static Map<String, Long> counts(long rms, long ropeHf, long ropeHalves, long qkNorm) {
        Map<String, Long> m = new TreeMap<>();
        put(m, "RaiseRmsNorm", rms);
        put(m, "RaiseRopeNeox", ropeHf);
        put(m, "RaiseRopeNeoxHalves", ropeHalves);
        put(m, "QkNormSplit", qkNorm);
        return m;
    }

    private static void put(Map<String, Long> m, String k, long v) {
        if (v > 0) {
            m.put(k, v);
        }
    }

    /** Layers: 2 (4·2+1 = 9 norms, 2·2 RoPEs) unless noted. */
    private static final Map<String, Map<String, Long>> EXPECTED = Map.ofEntries(
            Map.entry("qwen3_dynamo_op18_f32", counts(9, 4, 0, 0)),
            Map.entry("qwen3_dynamo_op18_f16", counts(9, 4, 0, 0)),
            Map.entry("qwen3_dynamo_op18_f32_dynseq", counts(9, 4, 0, 0)),
            // opset 23: the exporter already wrote RMSNormalization (and, with a dynamic axis, RotaryEmbedding).
            Map.entry("qwen3_dynamo_op23_f32", counts(0, 4, 0, 0)),
            Map.entry("qwen3_dynamo_op23_f32_dynseq", counts(0, 0, 0, 0)),
            Map.entry("qwen3_torchscript_op17_f32", counts(9, 4, 0, 0)),
            // 36 layers: 4·36+1 norms, 2·36 RoPEs.
            Map.entry("qwen3_36l_dynamo_op18_f32", counts(145, 72, 0, 0)),
            // one attention module: q and k norms, q and k RoPE from a cos|sin cache, one packed Split.
            Map.entry("vllm_attn_dynamo_op18_f32", counts(2, 0, 2, 1)),
            Map.entry("vllm_attn_torchscript_op17_f32", counts(2, 0, 2, 1)),
            // MRoPE cos/sin still reach q and k through rotate_half.
            Map.entry("qwen3vl_text_dynamo_op18_f32", counts(9, 4, 0, 0)),
            // Qwen3.5: the plain RMSNorms and the one full-attention layer's partial-rotary RoPE on q and k;
            // Gemma and gated norms are not in the library yet.
            Map.entry("qwen35_text_dynamo_op18_f32", counts(8, 2, 0, 0)));

    @TestFactory
    Stream<DynamicTest> eachPatternFiresExactlyAsOftenAsTheArchitectureSays() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model model = OnnxImporter.read(m.file());
            PassContext ctx = PassContext.quiet();
            new PassManager().run(model, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), ctx);
            Map<String, Long> got = new TreeMap<>();
            for (RuleStats s : ctx.allStats()) {
                if (!s.pass().equals("canonicalize") && s.rewritten() > 0) {
                    got.put(s.rule(), s.rewritten());
                }
            }
            assertEquals(EXPECTED.get(m.name()), got, "no expectation for " + m.name() + "?");
        }));
    }
}
