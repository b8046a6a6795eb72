package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.parse.FuseFileParser;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.text.GraphTextReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every graphfuse op inside ONNX Runtime, on every execution provider this process has (the CPU always;
 * CUDA where ORT's CUDA provider, a CUDA build of the op library and a device are there), against a float64
 * reference written from the op's semantics (ops/graphfuse.fuse), on fresh random inputs (the seed is in
 * every failure message). Inputs are rounded to the op's element type first, so the reference sees the
 * same values; the tolerance is then the output rounding plus fp32 arithmetic:
 * |got − ref| ≤ tol · (1 + |ref|), tol = 2e-5 (f32), 1e-3 (f16), 8e-3 (bf16).
 */
class OrtOpNumericsTest {
    private static final String HEADER = "model {\n  ir_version: 10\n  opset \"\": 18\n  opset \"graphfuse\": 1\n}\n";

    private static List<ExecutionProvider> providers() {
        List<ExecutionProvider> p = new ArrayList<>(List.of(ExecutionProvider.CPU));
        if (ProviderChoice.missingForCuda() == null) {
            p.add(ExecutionProvider.CUDA);
        }
        return p;
    }

    @TestFactory
    Stream<DynamicTest> everyOpMatchesTheFloat64Reference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ExecutionProvider ep : providers()) {
            for (ElementType t : List.of(ElementType.FLOAT, ElementType.FLOAT16, ElementType.BFLOAT16)) {
                for (Case c : cases()) {
                    tests.add(DynamicTest.dynamicTest(c.name + " " + t.shortName() + " on " + ep.ortName(),
                            () -> check(c, t, ep, System.nanoTime())));
                }
            }
        }
        return tests.stream();
    }

    /**
     * Every op ops/graphfuse.fuse declares has a case here, so each declared op is run through ONNX Runtime
     * with this library's schema, binding and kernels: an op declared without them fails, not only an op
     * whose schema differs (OrtOpContractTest).
     */
    @Test
    void everyDeclaredOpHasACase() throws IOException {
        Set<String> declared = new TreeSet<>();
        String ops = "dev/graphfuse/patterns/ops/graphfuse.fuse";
        try (InputStream in = OrtOpNumericsTest.class.getClassLoader().getResourceAsStream(ops)) {
            assertNotNull(in, ops);
            for (Decl d : FuseFileParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), ops).decls()) {
                if (d instanceof Decl.Op op && op.domain().equals("graphfuse")) {
                    declared.add(op.name());
                }
            }
        }
        Set<String> covered = new TreeSet<>();
        for (Case c : cases()) {
            Matcher m = Pattern.compile("graphfuse::(\\w+)\\(").matcher(c.graph);
            while (m.find()) {
                covered.add(m.group(1));
            }
        }
        assertEquals(declared, covered, "ops declared in " + ops + " vs ops with a numerics case here");
    }

    /** One single-node model: its text (with {T} for the element type), its inputs, and the reference. */
    private record Case(String name, String graph, Map<String, long[]> floatInputs, Map<String, long[]> indexInputs,
                        Reference reference) {
    }

    private interface Reference {
        /** Expected outputs by name, as logical values with their shapes. */
        Map<String, Expected> compute(Map<String, double[]> in);
    }

    private record Expected(long[] shape, double[] values) {
    }

    private static void check(Case c, ElementType t, ExecutionProvider ep, long seed) throws Exception {
        Random rnd = new Random(seed);
        Map<String, Tensor> feed = new LinkedHashMap<>();
        Map<String, double[]> values = new LinkedHashMap<>();
        c.floatInputs.forEach((name, shape) -> {
            // scales near 1 (norm weights), tables in [-1, 1], data N(0, 1); rounded to t so both sides see them
            ElementType type = name.equals("inv_freq") || name.endsWith("32") ? ElementType.FLOAT : t;
            double[] v = new double[(int) count(shape)];
            for (int i = 0; i < v.length; i++) {
                double x = name.contains("scale") ? 1 + 0.1 * rnd.nextGaussian()
                        : name.equals("cos") || name.equals("sin") ? 2 * rnd.nextDouble() - 1
                        : name.equals("inv_freq") ? Math.pow(10000, -2.0 * i / (2.0 * v.length)) : rnd.nextGaussian();
                v[i] = round(x, type);
            }
            values.put(name, v);
            feed.put(name, tensor(name, type, shape, v));
        });
        c.indexInputs.forEach((name, shape) -> {
            double[] v = new double[(int) count(shape)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rnd.nextInt(4096);
            }
            values.put(name, v);
            feed.put(name, tensor(name, ElementType.INT64, shape, v));
        });
        Model m = GraphTextReader.parse(HEADER + c.graph.replace("{T}", t.shortName()), c.name + ".gft", null);
        Map<String, Tensor> got;
        try (GraphfuseSession s = ModelSource.of(m).open(SessionOptionsSpec.of(ep))) {
            got = s.run(feed);
        }
        double tol = t == ElementType.FLOAT ? 2e-5 : t == ElementType.FLOAT16 ? 1e-3 : 8e-3;
        for (Map.Entry<String, Expected> e : c.reference.compute(values).entrySet()) {
            Tensor g = got.get(e.getKey());
            String where = c.name + " " + t.shortName() + " on " + ep.ortName() + " (seed " + seed + "), output " + e.getKey();
            assertArrayEquals(e.getValue().shape(), g.dims(), where + ": shape");
            double[] want = e.getValue().values();
            for (int i = 0; i < want.length; i++) {
                double err = Math.abs(g.getDouble(i) - want[i]);
                if (!(err <= tol * (1 + Math.abs(want[i])))) {
                    throw new AssertionError(where + "[" + i + "]: got " + g.getDouble(i) + ", float64 reference " + want[i]);
                }
            }
        }
    }

    // ---- the cases ----

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(norm("RmsNorm", 0, false));
        out.add(norm("GemmaRmsNorm", 1, false));
        out.add(norm("RmsNormGated", 0, true));
        // Hugging Face's fp32 norm of an fp32 residual stream, cast back: one op, f32 in, the model's type out
        out.add(new Case("RmsNorm-f32-in", "graph g (X32: f32[6,128], scale: {T}[128]) -> (Y: {T}[6,128]) {\n"
                + "  Y: {T}[6,128] = graphfuse::RmsNorm(X32, scale) {epsilon: float = 1e-6}\n}\n",
                Map.of("X32", new long[] {6, 128}, "scale", new long[] {128}), Map.of(), in -> {
                    double[] y = new double[6 * 128];
                    for (int r = 0; r < 6; r++) {
                        System.arraycopy(rms(in.get("X32"), r * 128, 128, in.get("scale"), 0, 1e-6), 0, y, r * 128, 128);
                    }
                    return Map.of("Y", new Expected(new long[] {6, 128}, y));
                }));
        // QkNorm: vLLM's packed [T, heads·hd] in, [T, heads, hd] out
        out.add(new Case("QkNorm", "graph g (q: {T}[5,512], k: {T}[5,256], q_scale: {T}[128], k_scale: {T}[128]) -> "
                + "(qo: {T}[5,4,128], ko: {T}[5,2,128]) {\n  qo: {T}[5,4,128], ko: {T}[5,2,128] = graphfuse::QkNorm(q, k, "
                + "q_scale, k_scale) {epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 128}\n}\n",
                Map.of("q", new long[] {5, 512}, "k", new long[] {5, 256}, "q_scale", new long[] {128}, "k_scale", new long[] {128}),
                Map.of(), in -> qk(in, 5, 4, 2, 128, 1e-6, 0, 0, null, null, false)));
        // EXAONE 4's NoPE layers: [B, S, H, D] views in, transposed [B, H, S, D] out (Gemma's offset for the weights)
        out.add(new Case("QkNorm-perm", "graph g (q: {T}[1,5,4,64], k: {T}[1,5,2,64], q_scale: {T}[64], k_scale: {T}[64]) -> "
                + "(qo: {T}[1,4,5,64], ko: {T}[1,2,5,64]) {\n  qo: {T}[1,4,5,64], ko: {T}[1,2,5,64] = graphfuse::QkNorm(q, k, "
                + "q_scale, k_scale) {epsilon: float = 1e-5, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 64, "
                + "weight_offset: int = 1, perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 4, 64}, "k", new long[] {1, 5, 2, 64}, "q_scale", new long[] {64},
                        "k_scale", new long[] {64}),
                Map.of(), in -> qk(in, 5, 4, 2, 64, 1e-5, 0, 1, null, new int[] {0, 2, 1, 3}, false)));
        // Hugging Face: [B, S, H·D] → [B, H, S, D], full-width cos / sin [1, 1, S, D]
        out.add(new Case("QkNormRope-hf", "graph g (q: {T}[1,5,512], k: {T}[1,5,256], q_scale: {T}[128], k_scale: {T}[128], "
                + "cos: {T}[1,1,5,128], sin: {T}[1,1,5,128]) -> (qo: {T}[1,4,5,128], ko: {T}[1,2,5,128]) {\n"
                + "  qo: {T}[1,4,5,128], ko: {T}[1,2,5,128] = graphfuse::QkNormRope(q, k, q_scale, k_scale, cos, sin) {"
                + "epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 128, rotary_dim: int = 128, "
                + "perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 512}, "k", new long[] {1, 5, 256}, "q_scale", new long[] {128},
                        "k_scale", new long[] {128}, "cos", new long[] {1, 1, 5, 128}, "sin", new long[] {1, 1, 5, 128}),
                Map.of(), in -> qk(in, 5, 4, 2, 128, 1e-6, 128, 0, Table.FULL, new int[] {0, 2, 1, 3}, false)));
        // vLLM gpt-j, partial rotary: [T, heads, hd] out, half-width cos / sin [T, 1, rot/2]
        out.add(new Case("QkNormRope-vllm-gptj-partial", "graph g (q: {T}[5,256], k: {T}[5,128], q_scale: {T}[64], "
                + "k_scale: {T}[64], cos: {T}[5,1,16], sin: {T}[5,1,16]) -> (qo: {T}[5,4,64], ko: {T}[5,2,64]) {\n"
                + "  qo: {T}[5,4,64], ko: {T}[5,2,64] = graphfuse::QkNormRope(q, k, q_scale, k_scale, cos, sin) {"
                + "epsilon: float = 1e-5, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 64, weight_offset: int = 1, "
                + "interleaved: int = 1, rotary_dim: int = 32}\n}\n",
                Map.of("q", new long[] {5, 256}, "k", new long[] {5, 128}, "q_scale", new long[] {64}, "k_scale", new long[] {64},
                        "cos", new long[] {5, 1, 16}, "sin", new long[] {5, 1, 16}),
                Map.of(), in -> qk(in, 5, 4, 2, 64, 1e-5, 32, 1, Table.HALF, null, true)));
        // a head size without a specialised CUDA kernel: Phi's 80, partial neox rotary 32 (HF full-width table)
        out.add(new Case("QkNormRope-hd80-partial", "graph g (q: {T}[1,5,320], k: {T}[1,5,160], q_scale: {T}[80], "
                + "k_scale: {T}[80], cos: {T}[1,1,5,32], sin: {T}[1,1,5,32]) -> (qo: {T}[1,4,5,80], ko: {T}[1,2,5,80]) {\n"
                + "  qo: {T}[1,4,5,80], ko: {T}[1,2,5,80] = graphfuse::QkNormRope(q, k, q_scale, k_scale, cos, sin) {"
                + "epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 80, rotary_dim: int = 32, "
                + "perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 320}, "k", new long[] {1, 5, 160}, "q_scale", new long[] {80},
                        "k_scale", new long[] {80}, "cos", new long[] {1, 1, 5, 32}, "sin", new long[] {1, 1, 5, 32}),
                Map.of(), in -> qk(in, 5, 4, 2, 80, 1e-6, 32, 0, Table.FULL, new int[] {0, 2, 1, 3}, false)));
        // and a head narrower than a warp (16: small test models)
        out.add(new Case("QkNorm-hd16", "graph g (q: {T}[5,64], k: {T}[5,32], q_scale: {T}[16], k_scale: {T}[16]) -> "
                + "(qo: {T}[5,4,16], ko: {T}[5,2,16]) {\n  qo: {T}[5,4,16], ko: {T}[5,2,16] = graphfuse::QkNorm(q, k, "
                + "q_scale, k_scale) {epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 16}\n}\n",
                Map.of("q", new long[] {5, 64}, "k", new long[] {5, 32}, "q_scale", new long[] {16}, "k_scale", new long[] {16}),
                Map.of(), in -> qk(in, 5, 4, 2, 16, 1e-6, 0, 0, null, null, false)));
        // ONNX RotaryEmbedding's layout: cos [B, S, rot/2] for the transposed [B, H, S, D]
        out.add(new Case("QkNormRope-onnx", "graph g (q: {T}[1,5,512], k: {T}[1,5,256], q_scale: {T}[128], k_scale: {T}[128], "
                + "cos: {T}[1,5,64], sin: {T}[1,5,64]) -> (qo: {T}[1,4,5,128], ko: {T}[1,2,5,128]) {\n"
                + "  qo: {T}[1,4,5,128], ko: {T}[1,2,5,128] = graphfuse::QkNormRope(q, k, q_scale, k_scale, cos, sin) {"
                + "epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 128, rotary_dim: int = 128, "
                + "perm: ints = [0, 2, 1, 3], cos_layout: string = \"onnx\"}\n}\n",
                Map.of("q", new long[] {1, 5, 512}, "k", new long[] {1, 5, 256}, "q_scale", new long[] {128},
                        "k_scale", new long[] {128}, "cos", new long[] {1, 5, 64}, "sin", new long[] {1, 5, 64}),
                Map.of(), in -> qk(in, 5, 4, 2, 128, 1e-6, 128, 0, Table.HALF, new int[] {0, 2, 1, 3}, false)));
        // QkLayerNormRope, Cohere: per-head scales [heads, hd], no bias (the optional inputs left out), HF layout
        // with the head transpose, gpt-j pairs over a full-width (repeat-interleaved) table
        out.add(new Case("QkLayerNormRope-cohere", "graph g (q: {T}[1,5,256], k: {T}[1,5,128], q_scale: {T}[4,64], "
                + "k_scale: {T}[2,64], cos: {T}[1,1,5,64], sin: {T}[1,1,5,64]) -> (qo: {T}[1,4,5,64], ko: {T}[1,2,5,64]) {\n"
                + "  qo: {T}[1,4,5,64], ko: {T}[1,2,5,64] = graphfuse::QkLayerNormRope(q, k, q_scale, k_scale, cos, sin) {"
                + "epsilon: float = 1e-5, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 64, interleaved: int = 1, "
                + "rotary_dim: int = 64, perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 256}, "k", new long[] {1, 5, 128}, "q_scale", new long[] {4, 64},
                        "k_scale", new long[] {2, 64}, "cos", new long[] {1, 1, 5, 64}, "sin", new long[] {1, 1, 5, 64}),
                Map.of(), in -> qkLayer(in, 4, 2, 64, 1e-5, 64, Table.FULL, true, true)));
        // Chameleon: per-head scales and biases, neox over the whole head (hd 128)
        out.add(new Case("QkLayerNormRope-chameleon", "graph g (q: {T}[1,5,512], k: {T}[1,5,256], q_scale: {T}[4,128], "
                + "k_scale: {T}[2,128], cos: {T}[1,1,5,128], sin: {T}[1,1,5,128], q_bias: {T}[4,128], k_bias: {T}[2,128]) -> "
                + "(qo: {T}[1,4,5,128], ko: {T}[1,2,5,128]) {\n"
                + "  qo: {T}[1,4,5,128], ko: {T}[1,2,5,128] = graphfuse::QkLayerNormRope(q, k, q_scale, k_scale, cos, sin, "
                + "q_bias, k_bias) {epsilon: float = 1e-5, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 128, "
                + "rotary_dim: int = 128, perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 512}, "k", new long[] {1, 5, 256}, "q_scale", new long[] {4, 128},
                        "k_scale", new long[] {2, 128}, "cos", new long[] {1, 1, 5, 128}, "sin", new long[] {1, 1, 5, 128},
                        "q_bias", new long[] {4, 128}, "k_bias", new long[] {2, 128}),
                Map.of(), in -> qkLayer(in, 4, 2, 128, 1e-5, 128, Table.FULL, false, true)));
        // shared [hd] scale and bias, packed [T, heads·hd] with no transpose, partial neox rotary 32 of 80 over a
        // half-width table (a head size without a specialised CUDA kernel)
        out.add(new Case("QkLayerNormRope-shared-partial", "graph g (q: {T}[5,320], k: {T}[5,160], q_scale: {T}[80], "
                + "k_scale: {T}[80], cos: {T}[5,1,16], sin: {T}[5,1,16], q_bias: {T}[80], k_bias: {T}[80]) -> "
                + "(qo: {T}[5,4,80], ko: {T}[5,2,80]) {\n"
                + "  qo: {T}[5,4,80], ko: {T}[5,2,80] = graphfuse::QkLayerNormRope(q, k, q_scale, k_scale, cos, sin, "
                + "q_bias, k_bias) {epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 80, "
                + "rotary_dim: int = 32}\n}\n",
                Map.of("q", new long[] {5, 320}, "k", new long[] {5, 160}, "q_scale", new long[] {80},
                        "k_scale", new long[] {80}, "cos", new long[] {5, 1, 16}, "sin", new long[] {5, 1, 16},
                        "q_bias", new long[] {80}, "k_bias", new long[] {80}),
                Map.of(), in -> qkLayer(in, 4, 2, 80, 1e-6, 32, Table.HALF, false, false)));
        out.add(new Case("Rope", "graph g (X: {T}[1,4,5,64], cos: {T}[1,1,5,64], sin: {T}[1,1,5,64]) -> (Y: {T}[1,4,5,64]) {\n"
                + "  Y: {T}[1,4,5,64] = graphfuse::Rope(X, cos, sin) {rotary_dim: int = 64}\n}\n",
                Map.of("X", new long[] {1, 4, 5, 64}, "cos", new long[] {1, 1, 5, 64}, "sin", new long[] {1, 1, 5, 64}),
                Map.of(), in -> Map.of("Y", rope(in))));
        // Qwen3.5: head_dim 256, rot 64, sections [11, 11, 10], [B, S, H, D] → [B, H, S, D]
        out.add(new Case("MRope", "graph g (X: {T}[1,5,2,256], positions: i64[3,1,5], inv_freq: f32[32]) -> "
                + "(Y: {T}[1,2,5,256]) {\n  Y: {T}[1,2,5,256] = graphfuse::MRope(X, positions, inv_freq) {mrope_section: ints = "
                + "[11, 11, 10], rotary_dim: int = 64, perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("X", new long[] {1, 5, 2, 256}, "inv_freq", new long[] {32}), Map.of("positions", new long[] {3, 1, 5}),
                in -> Map.of("Y", mrope(in, 5, 2, 256, 64, new int[] {11, 11, 10}, true))));
        // Qwen3-VL: sections [24, 20, 20] interleaved over rot 128
        out.add(new Case("QkNormMRope", "graph g (q: {T}[1,5,512], k: {T}[1,5,256], q_scale: {T}[128], k_scale: {T}[128], "
                + "positions: i64[3,1,5], inv_freq: f32[64]) -> (qo: {T}[1,4,5,128], ko: {T}[1,2,5,128]) {\n"
                + "  qo: {T}[1,4,5,128], ko: {T}[1,2,5,128] = graphfuse::QkNormMRope(q, k, q_scale, k_scale, positions, inv_freq) {"
                + "epsilon: float = 1e-6, num_q_heads: int = 4, num_kv_heads: int = 2, head_dim: int = 128, mrope_section: ints = "
                + "[24, 20, 20], rotary_dim: int = 128, perm: ints = [0, 2, 1, 3]}\n}\n",
                Map.of("q", new long[] {1, 5, 512}, "k", new long[] {1, 5, 256}, "q_scale", new long[] {128},
                        "k_scale", new long[] {128}, "inv_freq", new long[] {64}),
                Map.of("positions", new long[] {3, 1, 5}), in -> qkMrope(in)));
        for (String layout : List.of("interleaved", "chunked")) {
            out.add(new Case("MRopeCosSin-" + layout, "graph g (positions: i64[3,1,5], inv_freq: f32[64]) -> (cos: f32[1,5,64], "
                    + "sin: f32[1,5,64]) {\n  cos: f32[1,5,64], sin: f32[1,5,64] = graphfuse::MRopeCosSin(positions, inv_freq) {"
                    + "mrope_section: ints = [24, 20, 20], section_layout: string = \"" + layout + "\"}\n}\n",
                    Map.of("inv_freq", new long[] {64}), Map.of("positions", new long[] {3, 1, 5}),
                    in -> cosSin(in, layout.equals("interleaved"))));
        }
        return out;
    }

    private static Case norm(String op, double offset, boolean gated) {
        String z = gated ? ", Z: {T}[6,128]" : "";
        return new Case(op, "graph g (X: {T}[6,128], scale: {T}[128]" + z + ") -> (Y: {T}[6,128]) {\n  Y: {T}[6,128] = graphfuse::"
                + op + "(X, scale" + (gated ? ", Z" : "") + ") {epsilon: float = 1e-6}\n}\n",
                gated ? Map.of("X", new long[] {6, 128}, "scale", new long[] {128}, "Z", new long[] {6, 128})
                        : Map.of("X", new long[] {6, 128}, "scale", new long[] {128}),
                Map.of(), in -> {
                    double[] x = in.get("X");
                    double[] y = new double[x.length];
                    for (int r = 0; r < 6; r++) {
                        double[] row = rms(x, r * 128, 128, in.get("scale"), offset, 1e-6);
                        for (int i = 0; i < 128; i++) {
                            double v = row[i];
                            if (gated) {
                                double zz = in.get("Z")[r * 128 + i];
                                v *= zz / (1 + Math.exp(-zz));
                            }
                            y[r * 128 + i] = v;
                        }
                    }
                    return Map.of("Y", new Expected(new long[] {6, 128}, y));
                });
    }

    // ---- the float64 reference ----

    private enum Table { FULL, HALF }

    private static double[] rms(double[] x, int at, int n, double[] w, double offset, double eps) {
        double ss = 0;
        for (int i = 0; i < n; i++) {
            ss += x[at + i] * x[at + i];
        }
        double r = 1 / Math.sqrt(ss / n + eps);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[at + i] * r * (w[i] + offset);
        }
        return y;
    }

    /** Rotates the first rot elements of y with pair j's (cos_a, sin_a) and (cos_b, sin_b). */
    private static void rotate(double[] y, int rot, boolean interleaved, double[] ca, double[] sa, double[] cb, double[] sb) {
        int half = rot / 2;
        double[] o = y.clone();
        for (int j = 0; j < half; j++) {
            int a = interleaved ? 2 * j : j;
            int b = interleaved ? 2 * j + 1 : j + half;
            o[a] = y[a] * ca[j] - y[b] * sa[j];
            o[b] = y[b] * cb[j] + y[a] * sb[j];
        }
        System.arraycopy(o, 0, y, 0, rot);
    }

    /** Pair j's angles of token t from a table of width rot (HF's cat(freqs, freqs)) or rot / 2. */
    private static double[][] tableAngles(double[] cos, double[] sin, int t, int rot, Table table, boolean interleaved) {
        int half = rot / 2;
        int w = table == Table.FULL ? rot : half;
        double[][] a = new double[4][half];
        for (int j = 0; j < half; j++) {
            int ia = table == Table.HALF ? j : interleaved ? 2 * j : j;
            int ib = table == Table.HALF ? j : interleaved ? 2 * j + 1 : j + half;
            a[0][j] = cos[t * w + ia];
            a[1][j] = sin[t * w + ia];
            a[2][j] = cos[t * w + ib];
            a[3][j] = sin[t * w + ib];
        }
        return a;
    }

    /** QkNorm(+Rope) over T tokens of packed q / k; outputs [T, H, D], or permuted by perm ([B=1, S, H, D] → …). */
    private static Map<String, Expected> qk(Map<String, double[]> in, int tokens, int hq, int hk, int hd, double eps,
                                            int rot, double offset, Table table, int[] perm, boolean interleaved) {
        Map<String, Expected> out = new LinkedHashMap<>();
        for (String side : List.of("q", "k")) {
            int heads = side.equals("q") ? hq : hk;
            double[] x = in.get(side);
            double[] y = new double[x.length];
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < heads; h++) {
                    int at = (t * heads + h) * hd;
                    double[] v = rms(x, at, hd, in.get(side + "_scale"), offset, eps);
                    if (rot > 0) {
                        double[][] a = tableAngles(in.get("cos"), in.get("sin"), t, rot, table, interleaved);
                        rotate(v, rot, interleaved, a[0], a[1], a[2], a[3]);
                    }
                    System.arraycopy(v, 0, y, at, hd);
                }
            }
            out.put(side + "o", perm == null ? new Expected(new long[] {tokens, heads, hd}, y)
                    : new Expected(new long[] {1, heads, tokens, hd}, tokensHeadsToHeadsTokens(y, tokens, heads, hd)));
        }
        return out;
    }

    /**
     * QkLayerNormRope over 5 tokens: per head, the float64 mean, the variance of the centred values, the scale
     * row (per head or shared) and the bias row when given, then the rotation; outputs [1, H, 5, D] with the
     * head transpose (perm), else [5, H, D].
     */
    private static Map<String, Expected> qkLayer(Map<String, double[]> in, int hq, int hk, int hd, double eps, int rot,
                                                 Table table, boolean interleaved, boolean perm) {
        Map<String, Expected> out = new LinkedHashMap<>();
        for (String side : List.of("q", "k")) {
            int heads = side.equals("q") ? hq : hk;
            double[] x = in.get(side);
            double[] w = in.get(side + "_scale");
            double[] bias = in.get(side + "_bias");
            double[] y = new double[x.length];
            for (int t = 0; t < 5; t++) {
                for (int h = 0; h < heads; h++) {
                    int at = (t * heads + h) * hd;
                    double mean = 0;
                    for (int i = 0; i < hd; i++) {
                        mean += x[at + i];
                    }
                    mean /= hd;
                    double var = 0;
                    for (int i = 0; i < hd; i++) {
                        var += (x[at + i] - mean) * (x[at + i] - mean);
                    }
                    double r = 1 / Math.sqrt(var / hd + eps);
                    double[] v = new double[hd];
                    for (int i = 0; i < hd; i++) {
                        v[i] = (x[at + i] - mean) * r * w[(w.length == hd ? 0 : h * hd) + i]
                                + (bias == null ? 0 : bias[(bias.length == hd ? 0 : h * hd) + i]);
                    }
                    double[][] a = tableAngles(in.get("cos"), in.get("sin"), t, rot, table, interleaved);
                    rotate(v, rot, interleaved, a[0], a[1], a[2], a[3]);
                    System.arraycopy(v, 0, y, at, hd);
                }
            }
            out.put(side + "o", perm ? new Expected(new long[] {1, heads, 5, hd}, tokensHeadsToHeadsTokens(y, 5, heads, hd))
                    : new Expected(new long[] {5, heads, hd}, y));
        }
        return out;
    }

    /**
     * QkLayerNormRope refuses scales and biases it cannot read, with one message naming the node and the tensor:
     * a scale that is neither [head_dim] nor one row per head, q and k scales of different forms, one bias alone.
     */
    @Test
    void qkLayerNormRopeRefusesBadScalesAndBiases() throws Exception {
        String text = HEADER + "graph g (q: f32[2,8], k: f32[2,4], q_scale: f32[?,?], k_scale: f32[?,?], cos: f32[2,1,2], "
                + "sin: f32[2,1,2], q_bias: f32[?]) -> (qo: f32[2,2,4], ko: f32[2,1,4]) {\n"
                + "  [ln] qo: f32[2,2,4], ko: f32[2,1,4] = graphfuse::QkLayerNormRope(q, k, q_scale, k_scale, cos, sin, q_bias) {"
                + "epsilon: float = 1e-5, num_q_heads: int = 2, num_kv_heads: int = 1, head_dim: int = 4, rotary_dim: int = 4}\n}\n";
        Model m = GraphTextReader.parse(text, "bad_scales.gft", null);
        String where = "graphfuse.QkLayerNormRope node 'ln' on CPUExecutionProvider: ";
        try (GraphfuseSession s = ModelSource.of(m).open(SessionOptionsSpec.of(ExecutionProvider.CPU))) {
            Map<String, Tensor> feed = new LinkedHashMap<>();
            for (String n : List.of("q", "k", "q_scale", "k_scale", "cos", "sin", "q_bias")) {
                long[] shape = switch (n) {
                    case "q" -> new long[] {2, 8};
                    case "k" -> new long[] {2, 4};
                    case "q_scale" -> new long[] {3, 4};
                    case "k_scale" -> new long[] {1, 4};
                    case "q_bias" -> new long[] {4};
                    default -> new long[] {2, 1, 2};
                };
                feed.put(n, tensor(n, ElementType.FLOAT, shape, new double[(int) count(shape)]));
            }
            assertRunFails(s, feed, where + "q_scale f32[3,4] is neither [head_dim 4] nor [2 heads, head_dim 4]");
            feed.put("q_scale", tensor("q_scale", ElementType.FLOAT, new long[] {2, 4}, new double[8]));
            feed.put("k_scale", tensor("k_scale", ElementType.FLOAT, new long[] {4, 1}, new double[4]));
            assertRunFails(s, feed, where + "k_scale f32[4,1] is neither [head_dim 4] nor [1 heads, head_dim 4]");
            feed.put("k_scale", tensor("k_scale", ElementType.FLOAT, new long[] {1, 4}, new double[4]));
            assertRunFails(s, feed, where + "q_bias and k_bias are given together or not at all");
        }
    }

    private static void assertRunFails(GraphfuseSession s, Map<String, Tensor> feed, String message) {
        Exception e = assertThrows(Exception.class, () -> s.run(feed));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static double[] tokensHeadsToHeadsTokens(double[] y, int tokens, int heads, int hd) {
        double[] o = new double[y.length];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < heads; h++) {
                System.arraycopy(y, (t * heads + h) * hd, o, (h * tokens + t) * hd, hd);
            }
        }
        return o;
    }

    private static Expected rope(Map<String, double[]> in) {
        double[] x = in.get("X");
        double[] y = new double[x.length];
        for (int h = 0; h < 4; h++) {
            for (int t = 0; t < 5; t++) {
                double[] v = new double[64];
                System.arraycopy(x, (h * 5 + t) * 64, v, 0, 64);
                double[][] a = tableAngles(in.get("cos"), in.get("sin"), t, 64, Table.FULL, false);
                rotate(v, 64, false, a[0], a[1], a[2], a[3]);
                System.arraycopy(v, 0, y, (h * 5 + t) * 64, 64);
            }
        }
        return new Expected(new long[] {1, 4, 5, 64}, y);
    }

    /** Frequency j's position axis (0 T, 1 H, 2 W). */
    private static int axis(int j, int[] sec, boolean interleaved) {
        if (interleaved) {
            return j % 3 == 1 && j < 3 * sec[1] ? 1 : j % 3 == 2 && j < 3 * sec[2] ? 2 : 0;
        }
        return j < sec[0] ? 0 : j < sec[0] + sec[1] ? 1 : 2;
    }

    /** cos / sin of token t, frequency j: the angle is the fp32 product the kernels compute, its cos in float64. */
    private static double[][] mropeAngles(Map<String, double[]> in, int tokens, int t, int half, int[] sec, boolean interleaved) {
        double[][] a = new double[2][half];
        for (int j = 0; j < half; j++) {
            float p = (float) in.get("positions")[axis(j, sec, interleaved) * tokens + t];
            double theta = p * (float) in.get("inv_freq")[j];
            a[0][j] = Math.cos(theta);
            a[1][j] = Math.sin(theta);
        }
        return a;
    }

    private static Expected mrope(Map<String, double[]> in, int tokens, int heads, int hd, int rot, int[] sec, boolean il) {
        double[] x = in.get("X");
        double[] y = new double[x.length];
        for (int t = 0; t < tokens; t++) {
            double[][] a = mropeAngles(in, tokens, t, rot / 2, sec, il);
            for (int h = 0; h < heads; h++) {
                double[] v = new double[hd];
                System.arraycopy(x, (t * heads + h) * hd, v, 0, hd);
                rotate(v, rot, false, a[0], a[1], a[0], a[1]);
                System.arraycopy(v, 0, y, (t * heads + h) * hd, hd);
            }
        }
        return new Expected(new long[] {1, heads, tokens, hd}, tokensHeadsToHeadsTokens(y, tokens, heads, hd));
    }

    private static Map<String, Expected> qkMrope(Map<String, double[]> in) {
        Map<String, Expected> out = new LinkedHashMap<>();
        int[] sec = {24, 20, 20};
        for (String side : List.of("q", "k")) {
            int heads = side.equals("q") ? 4 : 2;
            double[] x = in.get(side);
            double[] y = new double[x.length];
            for (int t = 0; t < 5; t++) {
                double[][] a = mropeAngles(in, 5, t, 64, sec, true);
                for (int h = 0; h < heads; h++) {
                    int at = (t * heads + h) * 128;
                    double[] v = rms(x, at, 128, in.get(side + "_scale"), 0, 1e-6);
                    rotate(v, 128, false, a[0], a[1], a[0], a[1]);
                    System.arraycopy(v, 0, y, at, 128);
                }
            }
            out.put(side + "o", new Expected(new long[] {1, heads, 5, 128}, tokensHeadsToHeadsTokens(y, 5, heads, 128)));
        }
        return out;
    }

    private static Map<String, Expected> cosSin(Map<String, double[]> in, boolean interleaved) {
        double[] c = new double[5 * 64];
        double[] s = new double[5 * 64];
        for (int t = 0; t < 5; t++) {
            double[][] a = mropeAngles(in, 5, t, 64, new int[] {24, 20, 20}, interleaved);
            System.arraycopy(a[0], 0, c, t * 64, 64);
            System.arraycopy(a[1], 0, s, t * 64, 64);
        }
        return Map.of("cos", new Expected(new long[] {1, 5, 64}, c), "sin", new Expected(new long[] {1, 5, 64}, s));
    }

    // ---- tensors ----

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static double round(double x, ElementType t) {
        return switch (t) {
            case FLOAT16 -> Float.float16ToFloat(Float.floatToFloat16((float) x));
            case BFLOAT16 -> bf16((float) x);
            default -> (float) x;
        };
    }

    private static float bf16(float f) {
        int u = Float.floatToRawIntBits(f);
        u += 0x7fff + ((u >>> 16) & 1);
        return Float.intBitsToFloat(u & 0xffff0000);
    }

    private static Tensor tensor(String name, ElementType t, long[] shape, double[] v) {
        ByteBuffer b = ByteBuffer.allocate((int) t.storageBytes(v.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            switch (t) {
                case FLOAT -> b.putFloat((float) x);
                case FLOAT16 -> b.putShort(Float.floatToFloat16((float) x));
                case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits((float) x) >>> 16));
                case INT64 -> b.putLong((long) x);
                default -> throw new IllegalArgumentException(t.toString());
            }
        }
        return Tensor.of(name, t, shape, b.array());
    }
}
