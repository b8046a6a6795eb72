package dev.graphfuse.bench;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic Qwen3-style decoder of {@code L} layers, spelled the way the torch dynamo exporter
 * (opset 18) writes a Qwen3 layer in the vLLM layout, with tiny dimensions (hidden 64, head_dim 16,
 * 4 query and 2 key/value heads, sequence 8) so that 1,000 layers (96k nodes) stay small. Every value
 * is typed with a static shape.
 *
 * <p>One layer ({@value #NODES_PER_LAYER} nodes):
 * <ul>
 *   <li>input RMSNorm, decomposed: Pow, ReduceMean (axes input), Add eps, Sqrt, Reciprocal, Mul, Mul weight
 *       (weight first, as dynamo writes it) — 7 nodes;</li>
 *   <li>RoPE tables looked up per layer from {@code positions} (vLLM calls rotary_emb in each attention):
 *       Gather cos, Gather sin, Unsqueeze ×2 — 4;</li>
 *   <li>packed qkv MatMul, Split into q/k/v, and a duplicate of that Split that V reads (CSE work) — 3;</li>
 *   <li>head-shape chains {@code Shape(qkv) → Gather ×2 → Unsqueeze ×2 → Concat}, once for Q and once,
 *       duplicated, for K and V (CSE and shape-folding work) — 12;</li>
 *   <li>Reshape to heads for q, k, v — 3;</li>
 *   <li>per-head RMSNorm, decomposed, on q and on k with the same eps — 14;</li>
 *   <li>Transpose of q, k, v to [1, heads, S, D] — 3;</li>
 *   <li>RoPE (rotate_half) on q and k: Mul cos, Slice, Slice, Neg, Concat, Mul sin, Add — 14;</li>
 *   <li>GQA repeat of k and v: Unsqueeze, Expand, Reshape — 6;</li>
 *   <li>attention: Transpose k, Mul q scale, Mul k scale, MatMul, Add mask, Softmax, IsNaN, Where,
 *       MatMul, Transpose, output-shape chain (Shape, Slice, Concat), Reshape — 14;</li>
 *   <li>o_proj MatMul and residual Add — 2;</li>
 *   <li>post-attention RMSNorm, decomposed — 7;</li>
 *   <li>MLP: gate MatMul, up MatMul, Sigmoid, Mul (SiLU), Mul, down MatMul, residual Add — 7.</li>
 * </ul>
 * So {@code raise} fires 4× per layer (input, q, k, post-attention norms) and {@code fuse}
 * (QkNormSplit, then QkNormRopeTransposed) once per layer, absorbing the q and k norms and RoPEs: after the default pipeline a model of
 * {@code L} layers holds exactly {@code L} graphfuse.QkNormRope and {@code 2·L} graphfuse.RmsNorm nodes.
 * There are no nodes outside the layers.
 *
 * <p>Inputs: {@code hidden_states: f32[1,S,64]}, {@code positions: i64[S]}; output: the last residual
 * stream, {@code f32[1,S,64]}. Weights are N(0, 0.05²) (norm weights 1 + N(0, 0.1²)), seeded, so a
 * given {@code (layers, seed)} always builds the same model. The five projection matrices are tied
 * (one set of initializers all layers read), the norm weights are per layer: 1,000 layers then hold
 * ~150 KiB of weights instead of ~150 MiB. The passes never read weights, and a real export of that
 * size keeps them in external data, which the importer leaves on disk; inline, per-layer matrices
 * would make every copy of the model put 150 MiB of young arrays on the heap for the collector.
 */
public final class SyntheticDecoder {
    public static final int HIDDEN = 64;
    public static final int HEAD_DIM = 16;
    public static final int Q_HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int INTERMEDIATE = 128;
    public static final int SEQ = 8;
    public static final int MAX_POSITIONS = 32;
    public static final int NODES_PER_LAYER = 96;
    public static final float EPS = 1e-6f;

    /** The sizes of a model: {@link #TINY} (the constants above) or real ones such as {@link #QWEN3_8B}. */
    public record Dims(int hidden, int headDim, int qHeads, int kvHeads, int intermediate, int seq, int maxPositions) {
    }

    public static final Dims TINY = new Dims(HIDDEN, HEAD_DIM, Q_HEADS, KV_HEADS, INTERMEDIATE, SEQ, MAX_POSITIONS);
    /** Qwen3-8B's layer sizes (sequence 8, 64 positions: the passes never look at those). */
    public static final Dims QWEN3_8B = new Dims(4096, 128, 32, 8, 12288, 8, 64);

    private final int hidden;
    private final int headDim;
    private final int qHeads;
    private final int kvHeads;
    private final int intermediate;
    private final int seq;
    private final int maxPositions;
    private final int Q;
    private final int KV;
    /** With external weights: the data file every projection and norm weight refers to, and where the next goes. */
    private final java.nio.file.Path dataFile;
    private long dataOffset;

    private final Graph g;
    private final Random rnd;
    private String prefix = "";

    private SyntheticDecoder(Graph g, long seed, Dims d, java.nio.file.Path dataFile) {
        this.g = g;
        this.rnd = new Random(seed);
        this.hidden = d.hidden();
        this.headDim = d.headDim();
        this.qHeads = d.qHeads();
        this.kvHeads = d.kvHeads();
        this.intermediate = d.intermediate();
        this.seq = d.seq();
        this.maxPositions = d.maxPositions();
        this.Q = qHeads * headDim;
        this.KV = kvHeads * headDim;
        this.dataFile = dataFile;
    }

    /** A model of {@code layers} decoder layers, seeded with 42. */
    public static Model build(int layers) {
        return build(layers, 42);
    }

    public static Model build(int layers, long seed) {
        Graph g = new Graph("main_graph");
        Model m = new Model(10, g);
        m.setProducerName("graphfuse-synthetic");
        m.opsetImports().put("", 18L);
        new SyntheticDecoder(g, seed, TINY, null).decoder(layers);
        return m;
    }

    /**
     * A model of {@code dims} whose projection and norm weights, one set per layer, are external data in
     * {@code dataFile} (the model's folder + {@code dataFile}'s name), laid out back to back. The file is
     * only sized, sparse: its bytes read as zeros. For the large-model benchmark, where what counts is
     * what the tools read and write, not the weights' values. Returns the model; the data file's length is
     * {@link #externalBytes(Model)}.
     */
    public static Model buildExternal(int layers, Dims dims, java.nio.file.Path dataFile) throws java.io.IOException {
        Graph g = new Graph("main_graph");
        Model m = new Model(10, g);
        m.setProducerName("graphfuse-synthetic");
        m.opsetImports().put("", 18L);
        SyntheticDecoder d = new SyntheticDecoder(g, 42, dims, dataFile);
        d.decoder(layers);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dataFile.toFile(), "rw")) {
            f.setLength(d.dataOffset);
        }
        m.setSourceDirectory(dataFile.toAbsolutePath().getParent());
        return m;
    }

    /** The bytes of a model's external initializers. */
    public static long externalBytes(Model m) {
        return m.graph().values().stream().filter(v -> v.initializer() != null
                && v.initializer().data() instanceof dev.graphfuse.ir.TensorData.External)
                .mapToLong(v -> v.initializer().data().byteLength()).sum();
    }

    /** A deep copy through ONNX wire bytes; build the bytes once with {@link OnnxExporter#toBytes}. */
    public static Model fromBytes(byte[] onnx) {
        return OnnxImporter.read(ByteBuffer.wrap(onnx), "synthetic.onnx", null);
    }

    private void decoder(int layers) {
        Value h = g.addInput("hidden_states", f32(1, seq, hidden));
        Value positions = g.addInput("positions", i64(seq));
        // Constants shared by all layers, as dynamo shares val_* initializers.
        Shared c = new Shared();
        c.two = scalarF("val_two", 2.0f);
        c.eps = scalarF("val_eps", EPS);
        c.lastAxis = ints("val_axes_last", -1);
        c.axis0 = ints("val_axes_0", 0);
        c.axes01 = ints("val_axes_01", 0, 1);
        c.axis2 = ints("val_axes_2", 2);
        c.idx0 = scalarI("val_idx_0", 0);
        c.idx1 = scalarI("val_idx_1", 1);
        c.qHeads = ints("val_q_heads", qHeads);
        c.kvHeads = ints("val_kv_heads", kvHeads);
        c.headDim = ints("val_head_dim", headDim);
        c.minus1 = ints("val_minus_1", -1);
        c.splitSizes = ints("val_split_sizes", Q, KV, KV);
        c.half = ints("val_half", headDim / 2);
        c.end = ints("val_end", Long.MAX_VALUE);
        c.sliceAxes = ints("val_slice_axes", -1);
        c.step = ints("val_step", 1);
        c.sliceBegin = ints("val_slice_begin", 0);
        c.sliceTwo = ints("val_slice_two", 2);
        c.expand = ints("val_expand", 1, kvHeads, qHeads / kvHeads, seq, headDim);
        c.repeated = ints("val_repeated", 1, qHeads, seq, headDim);
        c.scale = scalarF("val_scale", (float) Math.sqrt(1.0 / Math.sqrt(headDim)));
        c.zero = scalarF("val_zero", 0.0f);
        c.mask = causalMask();
        c.cosCache = ropeCache("cos_cache", true);
        c.sinCache = ropeCache("sin_cache", false);
        // Projection weights are tied across layers (see the class comment), unless external (one set per
        // layer, as a real export); norm weights are per layer.
        if (dataFile == null) {
            c.qkvProj = weight("qkv_proj.weight", hidden, Q + 2 * KV);
            c.oProj = weight("o_proj.weight", Q, hidden);
            c.gateProj = weight("gate_proj.weight", hidden, intermediate);
            c.upProj = weight("up_proj.weight", hidden, intermediate);
            c.downProj = weight("down_proj.weight", intermediate, hidden);
        }
        for (int l = 0; l < layers; l++) {
            prefix = "layers." + l + ".";
            h = layer(h, positions, c);
        }
        g.rename(h, "output");
        g.addOutput(h);
    }

    private static final class Shared {
        Value two, eps, lastAxis, axis0, axes01, axis2, idx0, idx1, qHeads, kvHeads, headDim, minus1, splitSizes,
                half, end, sliceAxes, step, sliceBegin, sliceTwo, expand, repeated, scale, zero, mask, cosCache,
                sinCache, qkvProj, oProj, gateProj, upProj, downProj;
    }

    private Value layer(Value h, Value positions, Shared c) {
        // input RMSNorm
        Value x = rmsNorm("input_layernorm", h, weightNorm("input_layernorm.weight", hidden), c, 1, seq, hidden);

        // RoPE tables for this layer's attention
        Value cos = op("rotary.cos", "Gather", f32(seq, headDim), c.cosCache, positions);
        Value sin = op("rotary.sin", "Gather", f32(seq, headDim), c.sinCache, positions);
        Value cos4 = op("rotary.cos_unsqueeze", "Unsqueeze", f32(1, 1, seq, headDim), cos, c.axes01);
        Value sin4 = op("rotary.sin_unsqueeze", "Unsqueeze", f32(1, 1, seq, headDim), sin, c.axes01);

        // packed qkv projection, split (twice: dynamo re-emits the split for a second use)
        Value qkv = op("self_attn.qkv_proj", "MatMul", f32(1, seq, Q + 2 * KV), x,
                c.qkvProj != null ? c.qkvProj : weight("self_attn.qkv_proj.weight", hidden, Q + 2 * KV));
        List<Value> split = multi("self_attn.split", "Split", List.of(f32(1, seq, Q), f32(1, seq, KV), f32(1, seq, KV)),
                Map.of("axis", new Attribute.IntAttr(2)), qkv, c.splitSizes);
        List<Value> split2 = multi("self_attn.split_1", "Split", List.of(f32(1, seq, Q), f32(1, seq, KV), f32(1, seq, KV)),
                Map.of("axis", new Attribute.IntAttr(2)), qkv, c.splitSizes);

        // head shapes from sym sizes of qkv: [b, s, heads, head_dim]
        Value qShape = headShape("self_attn.q_shape", qkv, c.qHeads, c);
        Value kvShape = headShape("self_attn.kv_shape", qkv, c.kvHeads, c);
        Value q = op("self_attn.q_view", "Reshape", f32(1, seq, qHeads, headDim), Map.of("allowzero", new Attribute.IntAttr(1)),
                split.get(0), qShape);
        Value k = op("self_attn.k_view", "Reshape", f32(1, seq, kvHeads, headDim), Map.of("allowzero", new Attribute.IntAttr(1)),
                split.get(1), kvShape);
        Value v = op("self_attn.v_view", "Reshape", f32(1, seq, kvHeads, headDim), Map.of("allowzero", new Attribute.IntAttr(1)),
                split2.get(2), kvShape);

        // per-head q/k norms (same eps)
        Value qn = rmsNorm("self_attn.q_norm", q, weightNorm("self_attn.q_norm.weight", headDim), c,
                1, seq, qHeads, headDim);
        Value kn = rmsNorm("self_attn.k_norm", k, weightNorm("self_attn.k_norm.weight", headDim), c,
                1, seq, kvHeads, headDim);
        Attribute toHeads = new Attribute.IntsAttr(new long[] {0, 2, 1, 3});
        Value qt = op("self_attn.q_transpose", "Transpose", f32(1, qHeads, seq, headDim), Map.of("perm", toHeads), qn);
        Value kt = op("self_attn.k_transpose", "Transpose", f32(1, kvHeads, seq, headDim), Map.of("perm", toHeads), kn);
        Value vt = op("self_attn.v_transpose", "Transpose", f32(1, kvHeads, seq, headDim), Map.of("perm", toHeads), v);

        // RoPE: x·cos + rotate_half(x)·sin
        Value qr = rope("self_attn.q_rope", qt, qHeads, cos4, sin4, c);
        Value kr = rope("self_attn.k_rope", kt, kvHeads, cos4, sin4, c);

        // GQA: repeat k and v heads
        Value kRep = repeatKv("self_attn.k_repeat", kr, c);
        Value vRep = repeatKv("self_attn.v_repeat", vt, c);

        // attention
        Value kT = op("self_attn.k_transpose_1", "Transpose", f32(1, qHeads, headDim, seq),
                Map.of("perm", new Attribute.IntsAttr(new long[] {0, 1, 3, 2})), kRep);
        Value qs = op("self_attn.q_scale", "Mul", f32(1, qHeads, seq, headDim), qr, c.scale);
        Value ks = op("self_attn.k_scale", "Mul", f32(1, qHeads, headDim, seq), kT, c.scale);
        Value scores = op("self_attn.scores", "MatMul", f32(1, qHeads, seq, seq), qs, ks);
        Value masked = op("self_attn.masked", "Add", f32(1, qHeads, seq, seq), scores, c.mask);
        Value probs = op("self_attn.softmax", "Softmax", f32(1, qHeads, seq, seq),
                Map.of("axis", new Attribute.IntAttr(-1)), masked);
        Value nan = op("self_attn.isnan", "IsNaN", ValueType.tensor(ElementType.BOOL, Shape.of(1, qHeads, seq, seq)), probs);
        Value p = op("self_attn.where", "Where", f32(1, qHeads, seq, seq), nan, c.zero, probs);
        Value attn = op("self_attn.sdpa", "MatMul", f32(1, qHeads, seq, headDim), p, vRep);
        Value attnT = op("self_attn.o_transpose", "Transpose", f32(1, seq, qHeads, headDim), Map.of("perm", toHeads), attn);
        Value oShape = op("self_attn.o_shape", "Shape", i64(4), attnT);
        Value oLead = op("self_attn.o_shape_lead", "Slice", i64(2), oShape, c.sliceBegin, c.sliceTwo);
        Value oTarget = op("self_attn.o_shape_target", "Concat", i64(3), Map.of("axis", new Attribute.IntAttr(0)),
                oLead, c.minus1);
        Value o = op("self_attn.o_view", "Reshape", f32(1, seq, Q), attnT, oTarget);
        Value proj = op("self_attn.o_proj", "MatMul", f32(1, seq, hidden), o,
                c.oProj != null ? c.oProj : weight("self_attn.o_proj.weight", Q, hidden));
        Value h1 = op("residual_attn", "Add", f32(1, seq, hidden), h, proj);

        // post-attention RMSNorm + SwiGLU MLP
        Value y = rmsNorm("post_attention_layernorm", h1, weightNorm("post_attention_layernorm.weight", hidden), c,
                1, seq, hidden);
        Value gate = op("mlp.gate_proj", "MatMul", f32(1, seq, intermediate), y,
                c.gateProj != null ? c.gateProj : weight("mlp.gate_proj.weight", hidden, intermediate));
        Value up = op("mlp.up_proj", "MatMul", f32(1, seq, intermediate), y,
                c.upProj != null ? c.upProj : weight("mlp.up_proj.weight", hidden, intermediate));
        Value sig = op("mlp.sigmoid", "Sigmoid", f32(1, seq, intermediate), gate);
        Value silu = op("mlp.silu", "Mul", f32(1, seq, intermediate), gate, sig);
        Value prod = op("mlp.mul", "Mul", f32(1, seq, intermediate), silu, up);
        Value down = op("mlp.down_proj", "MatMul", f32(1, seq, hidden), prod,
                c.downProj != null ? c.downProj : weight("mlp.down_proj.weight", intermediate, hidden));
        return op("residual_mlp", "Add", f32(1, seq, hidden), h1, down);
    }

    /** Dynamo's RMSNorm: w · (x · 1/sqrt(mean(x², -1) + eps)), 7 nodes. */
    private Value rmsNorm(String name, Value x, Value w, Shared c, long... dims) {
        long[] reduced = dims.clone();
        reduced[reduced.length - 1] = 1;
        Value sq = op(name + ".pow", "Pow", f32(dims), x, c.two);
        Value mean = op(name + ".mean", "ReduceMean", f32(reduced),
                Map.of("keepdims", new Attribute.IntAttr(1), "noop_with_empty_axes", new Attribute.IntAttr(0)), sq,
                c.lastAxis);
        Value var = op(name + ".add", "Add", f32(reduced), mean, c.eps);
        Value std = op(name + ".sqrt", "Sqrt", f32(reduced), var);
        Value inv = op(name + ".rsqrt", "Reciprocal", f32(reduced), std);
        Value normed = op(name + ".mul", "Mul", f32(dims), x, inv);
        return op(name + ".mul_weight", "Mul", f32(dims), w, normed);
    }

    /** {@code Shape(qkv) → Gather 0, Gather 1 → Unsqueeze ×2 → Concat(b, s, heads, head_dim)}, 6 nodes. */
    private Value headShape(String name, Value qkv, Value heads, Shared c) {
        Value shape = op(name + ".shape", "Shape", i64(3), qkv);
        Value b = op(name + ".batch", "Gather", i64(), Map.of("axis", new Attribute.IntAttr(0)), shape, c.idx0);
        Value s = op(name + ".seq", "Gather", i64(), Map.of("axis", new Attribute.IntAttr(0)), shape, c.idx1);
        Value b1 = op(name + ".batch_unsqueeze", "Unsqueeze", i64(1), b, c.axis0);
        Value s1 = op(name + ".seq_unsqueeze", "Unsqueeze", i64(1), s, c.axis0);
        return op(name + ".concat", "Concat", i64(4), Map.of("axis", new Attribute.IntAttr(0)), b1, s1, heads, c.headDim);
    }

    /** {@code x·cos + cat(-x[..., D/2:], x[..., :D/2])·sin}, 7 nodes. */
    private Value rope(String name, Value x, int heads, Value cos, Value sin, Shared c) {
        Value xc = op(name + ".mul_cos", "Mul", f32(1, heads, seq, headDim), x, cos);
        Value x1 = op(name + ".slice_1", "Slice", f32(1, heads, seq, headDim / 2), x, c.sliceBegin, c.half,
                c.sliceAxes, c.step);
        Value x2 = op(name + ".slice_2", "Slice", f32(1, heads, seq, headDim / 2), x, c.half, c.end, c.sliceAxes,
                c.step);
        Value neg = op(name + ".neg", "Neg", f32(1, heads, seq, headDim / 2), x2);
        Value rot = op(name + ".cat", "Concat", f32(1, heads, seq, headDim), Map.of("axis", new Attribute.IntAttr(-1)),
                neg, x1);
        Value rs = op(name + ".mul_sin", "Mul", f32(1, heads, seq, headDim), rot, sin);
        return op(name + ".add", "Add", f32(1, heads, seq, headDim), xc, rs);
    }

    /** {@code repeat_kv}: Unsqueeze, Expand, Reshape to [1, qHeads, S, D], 3 nodes. */
    private Value repeatKv(String name, Value x, Shared c) {
        Value u = op(name + ".unsqueeze", "Unsqueeze", f32(1, kvHeads, 1, seq, headDim), x, c.axis2);
        Value e = op(name + ".expand", "Expand", f32(1, kvHeads, qHeads / kvHeads, seq, headDim), u, c.expand);
        return op(name + ".reshape", "Reshape", f32(1, qHeads, seq, headDim), e, c.repeated);
    }

    // ---- building blocks ----

    private Value op(String name, String opType, ValueType type, Value... inputs) {
        return op(name, opType, type, Map.of(), inputs);
    }

    private Value op(String name, String opType, ValueType type, Map<String, Attribute> attrs, Value... inputs) {
        return multi(name, opType, List.of(type), attrs, inputs).get(0);
    }

    private List<Value> multi(String name, String opType, List<ValueType> types, Map<String, Attribute> attrs,
                              Value... inputs) {
        String full = prefix + name;
        List<String> outNames = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            outNames.add(types.size() == 1 ? full : full + "_" + i);
        }
        Node n = g.addNode("node_" + full, "", opType, List.of(inputs), outNames);
        // sorted, so the node prints the same whatever Map.of's iteration order
        attrs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> n.setAttribute(e.getKey(), e.getValue()));
        for (int i = 0; i < types.size(); i++) {
            n.output(i).setType(types.get(i));
        }
        return n.outputs();
    }

    private static ValueType f32(long... dims) {
        return ValueType.tensor(ElementType.FLOAT, Shape.of(dims));
    }

    private static ValueType i64(long... dims) {
        return ValueType.tensor(ElementType.INT64, Shape.of(dims));
    }

    private Value weight(String name, int rows, int cols) {
        if (dataFile != null) {
            return external(prefix + name, rows, cols);
        }
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        return floats(prefix + name, w, rows, cols);
    }

    private Value weightNorm(String name, int n) {
        if (dataFile != null) {
            return external(prefix + name, n);
        }
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (1 + rnd.nextGaussian() * 0.1);
        }
        return floats(prefix + name, w, n);
    }

    /** An fp32 initializer stored in the data file, 64-byte aligned as exporters write them. */
    private Value external(String name, long... dims) {
        long bytes = 4;
        for (long d : dims) {
            bytes *= d;
        }
        dataOffset = (dataOffset + 63) / 64 * 64;
        dev.graphfuse.ir.TensorData.External ext = new dev.graphfuse.ir.TensorData.External(
                dataFile.toAbsolutePath().getParent(), dataFile.getFileName().toString(), dataOffset, bytes, null, Map.of());
        dataOffset += bytes;
        return g.addInitializer(new Tensor(name, ElementType.FLOAT, dims, ext, null, Map.of()));
    }

    private Value causalMask() {
        float[] m = new float[seq * seq];
        for (int i = 0; i < seq; i++) {
            for (int j = 0; j < seq; j++) {
                m[i * seq + j] = j <= i ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return floats("val_causal_mask", m, seq, seq);
    }

    /** Neox-style tables: cos/sin of pos · θ_i, the D/2 frequencies repeated twice. */
    private Value ropeCache(String name, boolean cos) {
        float[] t = new float[maxPositions * headDim];
        for (int pos = 0; pos < maxPositions; pos++) {
            for (int i = 0; i < headDim; i++) {
                double theta = pos * Math.pow(10000.0, -2.0 * (i % (headDim / 2)) / headDim);
                t[pos * headDim + i] = (float) (cos ? Math.cos(theta) : Math.sin(theta));
            }
        }
        return floats(name, t, maxPositions, headDim);
    }

    private Value floats(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            b.putFloat(f);
        }
        return g.addInitializer(Tensor.of(name, ElementType.FLOAT, dims, b.array()));
    }

    private Value scalarF(String name, float v) {
        return g.addInitializer(Tensor.of(name, ElementType.FLOAT, new long[0],
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array()));
    }

    private Value scalarI(String name, long v) {
        return g.addInitializer(Tensor.of(name, ElementType.INT64, new long[0],
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array()));
    }

    private Value ints(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return g.addInitializer(Tensor.of(name, ElementType.INT64, new long[] {v.length}, b.array()));
    }
}
