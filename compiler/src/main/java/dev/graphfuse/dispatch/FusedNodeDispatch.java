package dev.graphfuse.dispatch;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.runtime.kernels.Angles;
import dev.graphfuse.runtime.kernels.DType;
import dev.graphfuse.runtime.kernels.FusedOp;
import dev.graphfuse.runtime.kernels.HeadsView;
import dev.graphfuse.runtime.kernels.KernelBackend;
import dev.graphfuse.runtime.kernels.NormArgs;
import dev.graphfuse.runtime.kernels.Positions;
import dev.graphfuse.runtime.kernels.QkWeights;
import dev.graphfuse.runtime.kernels.RopeArgs;
import dev.graphfuse.runtime.kernels.RowsView;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns one graphfuse node and its input tensors into a kernel call: shapes, strides and attributes
 * become {@link RopeArgs} / {@link NormArgs} (semantics: ops/graphfuse.fuse), the outputs are allocated
 * here. A layout the kernels cannot express is {@link Unsupported} with the reason, never a guess.
 */
public final class FusedNodeDispatch {
    private static final Map<String, FusedOp> OPS = Map.of(
            "RmsNorm", FusedOp.RMS_NORM, "GemmaRmsNorm", FusedOp.GEMMA_RMS_NORM, "RmsNormGated", FusedOp.RMS_NORM_GATED,
            "QkNorm", FusedOp.QK_NORM, "QkNormRope", FusedOp.QK_NORM_ROPE, "Rope", FusedOp.ROPE,
            "QkNormMRope", FusedOp.QK_NORM_MROPE, "MRope", FusedOp.MROPE);

    private FusedNodeDispatch() {
    }

    /** Whether our kernels have this op at all (the layout is checked per call). */
    public static boolean knows(NodeProto n) {
        return "graphfuse".equals(n.getDomain()) && OPS.containsKey(n.getOpType());
    }

    /**
     * Runs {@code n} on {@code backend}.
     *
     * @param outTypes the element type of each output, from the graph
     */
    public static List<HostTensor> run(NodeProto n, List<HostTensor> in, List<ElementType> outTypes, KernelBackend backend)
            throws Unsupported {
        FusedOp op = OPS.get(n.getOpType());
        if (op == null) {
            throw new Unsupported("no kernel for graphfuse." + n.getOpType());
        }
        return switch (op) {
            case RMS_NORM, GEMMA_RMS_NORM, RMS_NORM_GATED -> norm(op, n, in, outTypes.get(0), backend);
            case ROPE -> List.of(rope(n, in, backend));
            case MROPE -> List.of(mrope(n, in, backend));
            default -> qk(op, n, in, backend);
        };
    }

    private static List<HostTensor> norm(FusedOp op, NodeProto n, List<HostTensor> in, ElementType outType,
                                         KernelBackend backend) throws Unsupported {
        HostTensor x = in.get(0);
        long axis = intAttr(n, "axis", -1);
        if (axis != -1 && axis != x.rank() - 1) {
            throw new Unsupported("normalizes axis " + axis + " of a rank-" + x.rank() + " tensor; the kernel normalizes the last");
        }
        long width = x.shape()[x.rank() - 1];
        HostTensor w = in.get(1);
        if (w.count() != width) {
            throw new Unsupported("scale " + w + " is not one value per element of the last axis (" + width + ")");
        }
        HostTensor z = op == FusedOp.RMS_NORM_GATED ? in.get(2) : null;
        if (z != null && !Arrays.equals(z.shape(), x.shape())) {
            throw new Unsupported("gate " + z + " is broadcast against X " + x + "; the kernel needs equal shapes");
        }
        HostTensor out = HostTensor.allocate(outType, x.shape());
        long rows = width == 0 ? 0 : x.count() / width;
        backend.norm(op, new NormArgs(dtype(x), dtype(out), dtype(w), rows, width, floatAttr(n, "epsilon"),
                op == FusedOp.GEMMA_RMS_NORM ? 1f : 0f, RowsView.contiguous(x.segment(), width),
                z == null ? null : RowsView.contiguous(z.segment(), width), RowsView.contiguous(out.segment(), width),
                w.segment()));
        return List.of(out);
    }

    private static List<HostTensor> qk(FusedOp op, NodeProto n, List<HostTensor> in, KernelBackend backend)
            throws Unsupported {
        int nq = (int) intAttr(n, "num_q_heads", 0);
        int nk = (int) intAttr(n, "num_kv_heads", 0);
        int hd = (int) intAttr(n, "head_dim", 0);
        int rot = (int) intAttr(n, "rotary_dim", 0);
        long[] perm = intsAttr(n, "perm");
        HostTensor q = in.get(0);
        HostTensor k = in.get(1);
        Heads qh = Heads.of("q", q, nq, hd, perm);
        Heads kh = Heads.of("k", k, nk, hd, perm);
        if (qh.tokens().batch() != kh.tokens().batch() || qh.tokens().seq() != kh.tokens().seq()) {
            throw new Unsupported("q " + q + " and k " + k + " have different token axes");
        }
        DType t = dtype(q);
        QkWeights w = new QkWeights(dtype(in.get(2)), in.get(2).segment(), in.get(3).segment(), floatAttr(n, "epsilon"),
                intAttr(n, "weight_offset", 0));
        if (in.get(2).count() != hd || in.get(3).count() != hd) {
            throw new Unsupported("q/k scales " + in.get(2) + ", " + in.get(3) + " are not [head_dim " + hd + "]");
        }
        Angles angles = null;
        Positions positions = null;
        if (op == FusedOp.QK_NORM_ROPE) {
            String layout = stringAttr(n, "cos_layout", "broadcast");
            angles = table(in.get(4), in.get(5), qh, rot, layout);
        } else if (op == FusedOp.QK_NORM_MROPE) {
            angles = invFreq(in.get(5), rot, n);
            positions = multimodal(in.get(4), qh, n);
        }
        TokenAxes tok = qh.tokens();
        RopeArgs a = new RopeArgs(t, tok.batch(), tok.seq(), nq, nk, hd, rot, intAttr(n, "interleaved", 0) == 1, w,
                qh.in(), qh.out(), kh.in(), kh.out(), angles, positions);
        backend.rope(op, a);
        return List.of(qh.result(), kh.result());
    }

    private static HostTensor rope(NodeProto n, List<HostTensor> in, KernelBackend backend) throws Unsupported {
        HostTensor x = in.get(0);
        int rot = (int) intAttr(n, "rotary_dim", 0);
        if (x.rank() < 1) {
            throw new Unsupported("X is a scalar");
        }
        int r = x.rank();
        long hd = x.shape()[r - 1];
        // the head axis is the one axis (other than the last) that cos broadcasts over
        long[] cosShape = aligned(in.get(1), r);
        int headAxis = -1;
        for (int i = 0; i < r - 1; i++) {
            if (cosShape[i] == 1 && x.shape()[i] > 1) {
                if (headAxis >= 0) {
                    throw new Unsupported("cos " + in.get(1) + " broadcasts over more than one axis of X " + x);
                }
                headAxis = i;
            }
        }
        Heads h = Heads.ofRope(x, headAxis);
        Angles angles = table(in.get(1), in.get(2), h, rot, "broadcast");
        TokenAxes tok = h.tokens();
        backend.rope(FusedOp.ROPE, new RopeArgs(dtype(x), tok.batch(), tok.seq(), h.heads(), 0, (int) hd, rot,
                intAttr(n, "interleaved", 0) == 1, null, h.in(), h.out(), null, null, angles, null));
        return h.result();
    }

    /** MRope(X, positions, inv_freq): X [*P, H, D], optionally transposed by perm, rotated with an MRoPE table. */
    private static HostTensor mrope(NodeProto n, List<HostTensor> in, KernelBackend backend) throws Unsupported {
        HostTensor x = in.get(0);
        if (x.rank() < 2) {
            throw new Unsupported("X " + x + " is not [..., heads, head_dim]");
        }
        int heads = Math.toIntExact(x.shape()[x.rank() - 2]);
        int hd = Math.toIntExact(x.shape()[x.rank() - 1]);
        int rot = (int) intAttr(n, "rotary_dim", 0);
        Heads h = Heads.of("X", x, heads, hd, intsAttr(n, "perm"));
        TokenAxes tok = h.tokens();
        backend.rope(FusedOp.MROPE, new RopeArgs(dtype(x), tok.batch(), tok.seq(), heads, 0, hd, rot,
                intAttr(n, "interleaved", 0) == 1, null, h.in(), h.out(), null, null, invFreq(in.get(2), rot, n),
                multimodal(in.get(1), h, n)));
        return h.result();
    }

    /** inv_freq's first rotary_dim / 2 elements (the exporter may have folded an expand of them). */
    private static Angles invFreq(HostTensor invFreq, int rot, NodeProto n) throws Unsupported {
        if (invFreq.type() != ElementType.FLOAT || invFreq.count() < rot / 2) {
            throw new Unsupported("inv_freq " + invFreq + " is not f32 with at least rotary_dim / 2 = " + rot / 2 + " values");
        }
        float scaling = attrPresent(n, "attention_scaling") ? floatAttr(n, "attention_scaling") : 1f;
        return new Angles.InvFreq(invFreq.segment(), scaling);
    }

    /** positions [3, *P] over the token axes P of the rotated tensor, with the node's sections. */
    private static Positions multimodal(HostTensor pos, Heads h, NodeProto n) throws Unsupported {
        long[] p = pos.shape();
        if (p.length < 1 || p[0] != 3) {
            throw new Unsupported("positions " + pos + " are not [3, ...]");
        }
        long[] tokens = Arrays.copyOfRange(p, 1, p.length);
        TokenAxes t = TokenAxes.fold(tokens, contiguousStrides(tokens));
        if (t == null || t.batch() != h.tokens().batch() || t.seq() != h.tokens().seq()) {
            throw new Unsupported("positions " + pos + " do not cover the " + h.tokens().batch() + " x "
                    + h.tokens().seq() + " tokens of the rotated tensor");
        }
        DType d = dtype(pos);
        if (d != DType.I64 && d != DType.I32) {
            throw new Unsupported("positions " + pos + " are not int64 / int32");
        }
        long[] section = intsAttr(n, "mrope_section");
        if (section == null || section.length != 3) {
            throw new Unsupported("mrope_section " + Arrays.toString(section) + " does not have 3 entries");
        }
        String layout = stringAttr(n, "section_layout", "interleaved");
        if (!layout.equals("interleaved") && !layout.equals("chunked")) {
            throw new Unsupported("section_layout '" + layout + "'");
        }
        return new Positions(d, pos.segment(), 3, HostTensor.count(tokens), t.batchStride(), t.seqStride(), 0,
                new int[] {(int) section[0], (int) section[1], (int) section[2]}, layout.equals("interleaved"));
    }

    /** cos / sin as tables indexed by token: their strides along the rotated tensor's token axes. */
    private static Angles table(HostTensor cos, HostTensor sin, Heads h, int rot, String layout) throws Unsupported {
        if (!Arrays.equals(cos.shape(), sin.shape()) || cos.type() != sin.type()) {
            throw new Unsupported("cos " + cos + " and sin " + sin + " differ");
        }
        long width = cos.shape()[cos.rank() - 1];
        if (width != rot && width != rot / 2) {
            throw new Unsupported("cos width " + width + " is neither rotary_dim " + rot + " nor rotary_dim / 2");
        }
        if ("onnx".equals(layout)) {
            // RotaryEmbedding's [B, S, rot/2] for a [B, H, S, D] tensor
            if (cos.rank() != 3) {
                throw new Unsupported("cos_layout onnx expects cos [B, S, rotary_dim/2], got " + cos);
            }
            TokenAxes t = h.tokens();
            long b = cos.shape()[0];
            long s = cos.shape()[1];
            if (s != t.seq() || (b != t.batch() && b != 1)) {
                throw new Unsupported("cos " + cos + " does not match " + t.batch() + " x " + t.seq() + " tokens");
            }
            return new Angles.Table(dtype(cos), cos.segment(), sin.segment(), b == 1 ? 0 : s * width, width, (int) width);
        }
        int r = h.outShape().length;
        if (cos.rank() > r) {
            throw new Unsupported("cos " + cos + " has more axes than the rotated tensor");
        }
        long[] shape = aligned(cos, r);
        long[] strides = contiguousStrides(shape);
        if (h.outHeadAxis() < r - 1 && shape[h.outHeadAxis()] != 1 && h.heads() > 1) {
            throw new Unsupported("cos " + cos + " varies across heads");
        }
        long[] sizes = new long[r - 1];
        long[] st = new long[r - 1];
        int j = 0;
        for (int i = 0; i < r - 1; i++) {
            if (i == h.outHeadAxis()) {
                continue;
            }
            if (shape[i] != 1 && shape[i] != h.outShape()[i]) {
                throw new Unsupported("cos " + cos + " does not broadcast against " + Arrays.toString(h.outShape()));
            }
            sizes[j] = h.outShape()[i];
            st[j++] = shape[i] == 1 ? 0 : strides[i];
        }
        TokenAxes t = TokenAxes.fold(Arrays.copyOf(sizes, j), Arrays.copyOf(st, j));
        if (t == null) {
            throw new Unsupported("cos " + cos + " cannot be indexed by (batch, seq)");
        }
        return new Angles.Table(dtype(cos), cos.segment(), sin.segment(), t.batchStride(), t.seqStride(), (int) width);
    }

    private static long[] aligned(HostTensor t, int rank) {
        long[] s = new long[rank];
        Arrays.fill(s, 1);
        for (int i = 0; i < t.rank() && i < rank; i++) {
            s[rank - 1 - i] = t.shape()[t.rank() - 1 - i];
        }
        return s;
    }

    static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static DType dtype(HostTensor t) throws Unsupported {
        DType d = DType.ofOnnx(t.type().code());
        if (d == null) {
            throw new Unsupported("element type " + t.type().shortName() + " of " + t);
        }
        return d;
    }

    static long intAttr(NodeProto n, String name, long dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    static float floatAttr(NodeProto n, String name) throws Unsupported {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        throw new Unsupported("attribute " + name + " is missing");
    }

    static boolean attrPresent(NodeProto n, String name) {
        return n.getAttributeList().stream().anyMatch(a -> a.getName().equals(name));
    }

    static String stringAttr(NodeProto n, String name, String dflt) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return dflt;
    }

    static long[] intsAttr(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }
}
