package dev.graphfuse.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
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
 * How often each library pattern fires on each committed export, and how many fused nodes of each
 * graphfuse op the optimized graph holds, derived from the models' architecture (docs/patterns.md):
 * a Qwen3 layer has input, post-attention, q and k norms, plus one final norm; q and k each get one
 * RoPE and become one QkNormRope per layer; only the vLLM-style modules have a packed qkv Split; the
 * Llama control has RoPE but no QK norm, so no QK fusion. A change in any count is a regression or a
 * new capability — either way it must be looked at.
 */
class LibraryCountsTest {
    /** "Name=count …" → map; a compact table that reads like the docs. */
    private static Map<String, Long> parse(String spec) {
        Map<String, Long> m = new TreeMap<>();
        for (String item : spec.trim().split("\\s+")) {
            if (!item.isEmpty()) {
                String[] kv = item.split("=");
                m.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return m;
    }

    private record Expected(String rules, String ops) {
    }

    private static final String QWEN3_2L = "RaiseRmsNorm=9 RaiseRopeNeox=4 QkNormHeads=2 QkNormRopeTransposed=2";

    /** Layers: 2 (4·2+1 = 9 norms, 2·2 RoPEs) unless noted. */
    private static final Map<String, Expected> EXPECTED = Map.ofEntries(
            Map.entry("qwen3_dynamo_op18_f32", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            Map.entry("qwen3_dynamo_op18_f16", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            Map.entry("qwen3_dynamo_op18_f32_dynseq", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            // opset 23: the exporter already wrote RMSNormalization (it stays: it is canonical), and with a
            // dynamic axis also RotaryEmbedding, which the QK fusion takes as is.
            Map.entry("qwen3_dynamo_op23_f32", new Expected("RaiseRopeNeox=4 QkNormHeads=2 QkNormRopeTransposed=2",
                    "QkNormRope=2")),
            Map.entry("qwen3_dynamo_op23_f32_dynseq", new Expected("QkNormHeads=2 QkNormRotaryEmbedding=2",
                    "QkNormRope=2")),
            Map.entry("qwen3_torchscript_op17_f32", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            // 36 layers: 4·36+1 norms, 2·36 RoPEs, 36 QkNormRope.
            Map.entry("qwen3_36l_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=145 RaiseRopeNeox=72 QkNormHeads=36 QkNormRopeTransposed=36", "RmsNorm=73 QkNormRope=36")),
            // one attention module: q and k norms, q and k RoPE from a cos|sin cache, one packed Split.
            Map.entry("vllm_attn_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=2 RaiseRopeNeoxHalves=2 QkNormSplit=1 QkNormRope=1", "QkNormRope=1")),
            Map.entry("vllm_attn_torchscript_op17_f32", new Expected(
                    "RaiseRmsNorm=2 RaiseRopeNeoxHalves=2 QkNormSplit=1 QkNormRope=1", "QkNormRope=1")),
            // vLLM's MRotaryEmbedding: cache rows gathered by 3-row positions, each frequency's entry taken
            // from its axis' row (interleaved or chunked). The selected half-width rows are a table like any
            // other (they may carry scaling or precomputed values that inv_freq cannot reproduce), so the
            // norms and RoPEs become one QkNormRope over them; the selection runs once, shared by every layer.
            Map.entry("vllm_mrope_interleaved_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=2 RaiseRopeNeoxHalves=2 QkNormSplit=1 QkNormRope=1", "QkNormRope=1")),
            Map.entry("vllm_mrope_chunked_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=2 RaiseRopeNeoxHalves=2 QkNormSplit=1 QkNormRope=1", "QkNormRope=1")),
            // gpt-j pairs on 32 of 64 dims: the rotation, then the pass-through, then the QK fusion.
            Map.entry("vllm_attn_gptj_partial_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=2 RaiseRopeGptjHalves=2 RaiseRopePartial=2 QkNormSplit=1 QkNormRope=1", "QkNormRope=1")),
            // Qwen3-VL: one interleaved MRoPE table ([12, 10, 10]) for both layers becomes MRopeCosSin; each
            // layer's QkNormRope over it becomes QkNormMRope on position_ids and inv_freq. The table node
            // itself is gone: every layer's function body recomputes it from those inputs.
            Map.entry("qwen3vl_text_dynamo_op18_f32", new Expected(
                    QWEN3_2L + " RaiseMRopeCosSin=1 QkNormMRope=2", "RmsNorm=5 QkNormMRope=2")),
            // Qwen3.5 (one linear-attention, one full-attention layer): the exporter folded the Gemma norms'
            // 1 + w, so they are plain RMSNorms; the full-attention layer's q (per-head [q | gate] split) and
            // k get one QkNormMRope (partial rotary 64 of 256, sections [11, 11, 10], weight_offset 0 with the
            // folded weights); the linear-attention output norm is gated.
            Map.entry("qwen35_text_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=8 RaiseRopeNeox=2 RaiseRopePartial=2 RaiseMRopeCosSin=1 QkNormHeads=1"
                            + " QkNormRopeTransposed=1 QkNormMRope=1 RmsNormGated=1",
                    "RmsNorm=5 QkNormMRope=1 RmsNormGated=1")),
            // The same model exported without the exporter's optimizer: the Gemma norms keep (1 + w), so the
            // QK norm is QkNormHeadsGemma and the fused op QkNormMRope with weight_offset 1. Its torch.chunk
            // (SplitToSequence/SequenceAt) is canonicalized to Split, as the optimizer writes it.
            Map.entry("qwen35_text_dynamo_op18_f32_noopt", new Expected(
                    "RaiseRmsNorm=1 RaiseGemmaRmsNorm=7 RaiseRopeNeox=2 RaiseRopePartial=2 RaiseMRopeCosSin=1"
                            + " QkNormHeadsGemma=1 QkNormRopeTransposed=1 QkNormMRope=1 RmsNormGated=1",
                    "GemmaRmsNorm=5 QkNormMRope=1 RmsNormGated=1")),
            // Gemma 3: six norms a layer (input, post-attention, pre- and post-feedforward, q, k) plus the final
            // one; q and k are normed after the head transpose, and the pair with its RoPE (local base in the
            // sliding layer, global in the full one) is one QkNormRope per layer. The optimizer folded 1 + w,
            // so the norms are plain RMSNorms; without it they are Gemma's, and type_as is a CastLike.
            Map.entry("gemma3_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=13 RaiseRopeNeox=4 QkNormRopeNormAfterTranspose=2", "RmsNorm=9 QkNormRope=2")),
            Map.entry("gemma3_dynamo_op18_f16", new Expected(
                    "RaiseRmsNorm=13 RaiseRopeNeox=4 QkNormRopeNormAfterTranspose=2", "RmsNorm=9 QkNormRope=2")),
            Map.entry("gemma3_dynamo_op18_f32_noopt", new Expected(
                    "RaiseGemmaRmsNorm=13 RaiseRopeNeox=4 QkNormRopeGemmaNormAfterTranspose=2",
                    "GemmaRmsNorm=9 QkNormRope=2")),
            Map.entry("gemma3_dynamo_op18_f16_noopt", new Expected(
                    "RaiseGemmaRmsNorm=13 RaiseRopeNeox=4 QkNormRopeGemmaNormAfterTranspose=2",
                    "GemmaRmsNorm=9 QkNormRope=2")),
            // GLM-4.5 attention: q / k projections with a bias (Add(MatMul(h, W), b)), q / k norms, neox RoPE
            // on the first half of each head (the rotation, then the pass-through).
            Map.entry("glm45_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=9 RaiseRopeNeox=4 RaiseRopePartial=4 QkNormHeads=2 QkNormRopeTransposed=2",
                    "RmsNorm=5 QkNormRope=2")),
            // TorchScript with a dynamic sequence axis types only its graph inputs and outputs. Symbolic shape
            // inference follows each Reshape target (Shape → Gather → Concat with -1) to [1, seq, heads, 64],
            // and the attention output's [1, seq, -1] through o_proj to the residual stream (the mask's own
            // shape stays unknown), so every layer fuses as in a static export.
            Map.entry("qwen3_torchscript_op17_f32_dynseq", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            // Look-alikes that must not fuse as a QK op. OLMo 2 normalizes q and k over the whole projection
            // before the per-head view: plain RMSNorms (input-free post-norms, q, k per layer, and the final
            // one), and the RoPEs stay Rope.
            Map.entry("olmo2_dynamo_op18_f32", new Expected("RaiseRmsNorm=9 RaiseRopeNeox=4", "RmsNorm=9 Rope=4")),
            // Cohere: LayerNorms (mean removed; each is an RMSNorm of the centred input, which the raise
            // takes, the Sub staying outside: the input and final norms), but its QK norm weighs each head
            // on its own ([heads, head_dim]), which no op takes: left alone. Its interleaved RoPE is raised.
            Map.entry("cohere_qk_layernorm_dynamo_op18_f32", new Expected("RaiseRmsNorm=3 RaiseRopeGptjEveryTwo=4",
                    "RmsNorm=3 Rope=4")),
            // GLM-4: Hugging Face's interleaved RoPE (rotate_every_two, repeat-interleaved tables) on the first
            // half of each head, then the pass-through; no QK norm, so no QK fusion.
            Map.entry("glm4_dynamo_op18_f32", new Expected("RaiseRmsNorm=9 RaiseRopeGptjEveryTwo=4 RaiseRopePartial=4",
                    "RmsNorm=9 Rope=4")),
            // Qwen2.5-VL text: the chunked MRoPE table (sections [4, 2, 2]: split, row i of section i, concat)
            // becomes one MRopeCosSin {section_layout = "chunked"}; no QK norm, so each RoPE over it becomes an
            // MRope of its own on position_ids and inv_freq, and the table node is gone.
            // YaRN MRoPE tables: cos and sin times attention_scaling (one constant) before the sections; the
            // table raise takes the factor into MRopeCosSin's attention_scaling, the rest is as without it.
            Map.entry("qwen3vl_text_yarn_dynamo_op18_f32", new Expected(
                    QWEN3_2L + " RaiseMRopeCosSin=1 QkNormMRope=2", "RmsNorm=5 QkNormMRope=2")),
            Map.entry("qwen25vl_text_yarn_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=5 RaiseRopeNeox=4 RaiseMRopeCosSinChunked=1 MRopeTransposed=4", "RmsNorm=5 MRope=4")),
            Map.entry("qwen25vl_text_dynamo_op18_f32", new Expected(
                    "RaiseRmsNorm=5 RaiseRopeNeox=4 RaiseMRopeCosSinChunked=1 MRopeTransposed=4", "RmsNorm=5 MRope=4")),
            // YaRN (attention_scaling ≈ 1.139 inside the cos / sin the graph computes for a dynamic sequence):
            // RoPE reads whatever table it is given, so the scaling is simply part of it.
            Map.entry("qwen3_yarn_dynamo_op18_f32_dynseq", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            // A decode step with a KV cache (past keys / values in, presents out; batch and past dynamic): the
            // new token's q and k fuse as in prefill.
            Map.entry("qwen3_decode_dynamo_op18_f32", new Expected(QWEN3_2L, "RmsNorm=5 QkNormRope=2")),
            // The control: RoPE without QK norm. No QK fusion may fire.
            Map.entry("llama_dynamo_op18_f32", new Expected("RaiseRmsNorm=5 RaiseRopeNeox=4", "RmsNorm=5 Rope=4")));

    @TestFactory
    Stream<DynamicTest> eachPatternFiresExactlyAsOftenAsTheArchitectureSays() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Expected want = EXPECTED.get(m.name());
            assertNotNull(want, "no expectation for " + m.name());
            Model model = OnnxImporter.read(m.file());
            PassContext ctx = PassContext.quiet();
            new PassManager().run(model, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), ctx);
            Map<String, Long> rules = new TreeMap<>();
            for (RuleStats s : ctx.allStats()) {
                if (!s.pass().equals("canonicalize") && s.rewritten() > 0) {
                    rules.put(s.rule(), s.rewritten());
                }
            }
            Map<String, Long> ops = new TreeMap<>();
            for (Node n : model.graph().nodes()) {
                if (n.domain().equals("graphfuse")) {
                    ops.merge(n.opType(), 1L, Long::sum);
                }
            }
            // Nested graphfuse calls are inlined: ORT 1.23 ignores a nested call's overload, and a
            // partial-rotary Rope calling the full-width Rope recursed until the process crashed.
            for (var f : model.functions()) {
                for (Node n : f.body().nodes()) {
                    assertEquals("", n.domain(), "function " + f.name() + " calls " + n.domain() + "::" + n.opType());
                }
            }
            assertEquals(parse(want.rules()), rules, "patterns fired");
            assertEquals(parse(want.ops()), ops, "graphfuse nodes in the optimized graph");
        }));
    }
}
