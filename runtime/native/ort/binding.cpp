#include "binding.h"

#include <algorithm>
#include <sstream>

namespace gf::ort {
namespace {

std::string shape_text(const std::vector<int64_t>& s) {
    std::ostringstream o;
    o << "[";
    for (size_t i = 0; i < s.size(); i++) o << (i ? "," : "") << s[i];
    o << "]";
    return o.str();
}

std::vector<int64_t> contiguous_strides(const std::vector<int64_t>& shape) {
    std::vector<int64_t> s(shape.size());
    int64_t acc = 1;
    for (size_t i = shape.size(); i-- > 0;) {
        s[i] = acc;
        acc *= shape[i];
    }
    return s;
}

bool is_float(int32_t t) { return t == GF_DTYPE_F32 || t == GF_DTYPE_F16 || t == GF_DTYPE_BF16; }

int32_t checked_int(int64_t v, const char* what) {
    if (v < 0 || v > INT32_MAX) throw BindError(std::string(what) + " " + std::to_string(v) + " is out of range");
    return static_cast<int32_t>(v);
}

// The token axes of a strided tensor folded into the kernels' (batch, seq): seq is the last token axis,
// batch the product of the others, which must be evenly strided among themselves.
struct TokenAxes {
    bool ok;
    int64_t batch, seq, batch_stride, seq_stride;
};

TokenAxes fold(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides) {
    const size_t m = sizes.size();
    if (m == 0) return {true, 1, 1, 0, 0};
    const int64_t seq = sizes[m - 1];
    const int64_t seq_stride = seq == 1 ? 0 : strides[m - 1];
    int64_t batch = 1, batch_stride = 0;
    for (size_t i = m - 1; i-- > 0;) {
        if (sizes[i] == 1) continue;
        if (batch == 1) batch_stride = strides[i];
        else if (strides[i] != batch_stride * batch) return {false, 0, 0, 0, 0};
        batch *= sizes[i];
    }
    return {true, batch, seq, batch_stride, seq_stride};
}

// One rotated tensor on the kernels' [batch, seq, heads, head_dim] views: the input as stored, the
// output contiguous in out_shape (after the optional transpose), and where the head axis lands.
struct Heads {
    int64_t in_stride[3];
    int64_t out_stride[3];
    TokenAxes tokens;
    std::vector<int64_t> out_shape;
    int out_head_axis;
    int heads;
};

// Q or K of the QkNorm family: x is [lead..., heads*hd] or [lead..., heads, hd]; the output is
// [lead..., heads, hd], then transposed by perm (head_dim must stay last).
Heads heads_of(const char* name, const TensorArg& x, int heads, int hd, const std::vector<int64_t>* perm) {
    const auto& s = x.shape;
    const size_t r = s.size();
    std::vector<int64_t> lead;
    if (r >= 2 && s[r - 1] == hd && s[r - 2] == heads) lead.assign(s.begin(), s.end() - 2);
    else if (r >= 1 && s[r - 1] == static_cast<int64_t>(heads) * hd) lead.assign(s.begin(), s.end() - 1);
    else
        throw BindError(std::string(name) + " " + x.describe() + " is not [..., " + std::to_string(heads) + " x " +
                        std::to_string(hd) + "]");
    std::vector<int64_t> logical = lead;
    logical.push_back(heads);
    logical.push_back(hd);
    const size_t rank = logical.size();
    const std::vector<int64_t> in_strides = contiguous_strides(logical);
    std::vector<int> where(rank);
    std::vector<int64_t> out_shape = logical;
    if (perm != nullptr) {
        if (perm->size() != rank || (*perm)[rank - 1] != static_cast<int64_t>(rank - 1))
            throw BindError("perm " + shape_text(*perm) + " does not keep head_dim last in a rank-" +
                            std::to_string(rank) + " tensor");
        std::vector<bool> seen(rank, false);
        for (size_t i = 0; i < rank; i++) {
            const int64_t a = (*perm)[i];
            if (a < 0 || a >= static_cast<int64_t>(rank) || seen[a])
                throw BindError("perm " + shape_text(*perm) + " is not a permutation");
            seen[a] = true;
            where[a] = static_cast<int>(i);
            out_shape[i] = logical[a];
        }
    } else {
        for (size_t i = 0; i < rank; i++) where[i] = static_cast<int>(i);
    }
    const std::vector<int64_t> out_by_pos = contiguous_strides(out_shape);
    std::vector<int64_t> in_tok(in_strides.begin(), in_strides.begin() + lead.size());
    std::vector<int64_t> out_tok(lead.size());
    for (size_t a = 0; a < lead.size(); a++) out_tok[a] = out_by_pos[where[a]];
    const TokenAxes ti = fold(lead, in_tok);
    const TokenAxes to = fold(lead, out_tok);
    if (!ti.ok || !to.ok) throw BindError(std::string(name) + ": perm " + shape_text(*perm) + " interleaves the token axes");
    Heads h{};
    h.in_stride[0] = ti.batch_stride;
    h.in_stride[1] = ti.seq_stride;
    h.in_stride[2] = hd;
    h.out_stride[0] = to.batch_stride;
    h.out_stride[1] = to.seq_stride;
    h.out_stride[2] = out_by_pos[where[lead.size()]];
    h.tokens = ti;
    h.out_shape = out_shape;
    h.out_head_axis = where[lead.size()];
    h.heads = heads;
    return h;
}

// X of a Rope node: head_axis (-1: none) is the head axis, every other non-last axis a token axis.
Heads heads_of_rope(const TensorArg& x, int head_axis) {
    const auto& s = x.shape;
    const size_t r = s.size();
    const std::vector<int64_t> strides = contiguous_strides(s);
    std::vector<int64_t> sizes, st;
    for (size_t i = 0; i + 1 < r; i++) {
        if (static_cast<int>(i) == head_axis) continue;
        sizes.push_back(s[i]);
        st.push_back(strides[i]);
    }
    const TokenAxes t = fold(sizes, st);
    if (!t.ok) throw BindError("X " + x.describe() + ": token axes do not fold into (batch, seq)");
    Heads h{};
    h.heads = head_axis < 0 ? 1 : checked_int(s[head_axis], "heads");
    const int64_t head_stride = head_axis < 0 ? 0 : strides[head_axis];
    h.in_stride[0] = h.out_stride[0] = t.batch_stride;
    h.in_stride[1] = h.out_stride[1] = t.seq_stride;
    h.in_stride[2] = h.out_stride[2] = head_stride;
    h.tokens = t;
    h.out_shape = s;
    h.out_head_axis = head_axis < 0 ? static_cast<int>(r) - 1 : head_axis;
    return h;
}

std::vector<int64_t> aligned(const TensorArg& t, size_t rank) {
    std::vector<int64_t> s(rank, 1);
    for (size_t i = 0; i < t.shape.size() && i < rank; i++) s[rank - 1 - i] = t.shape[t.shape.size() - 1 - i];
    return s;
}

void require_float(const TensorArg& t, const char* name) {
    if (!is_float(t.dtype)) throw BindError(std::string(name) + " " + t.describe() + " is not f32, f16 or bf16");
}

// cos / sin as tables indexed by token: their strides along the rotated tensor's token axes.
void bind_table(gf_rope_args& a, const TensorArg& cos, const TensorArg& sin, const Heads& h, int rot,
                const std::string& layout) {
    if (cos.shape != sin.shape || cos.dtype != sin.dtype)
        throw BindError("cos " + cos.describe() + " and sin " + sin.describe() + " differ");
    require_float(cos, "cos");
    if (cos.shape.empty()) throw BindError("cos is a scalar");
    const int64_t width = cos.shape.back();
    if (width != rot && width != rot / 2)
        throw BindError("cos width " + std::to_string(width) + " is neither rotary_dim " + std::to_string(rot) +
                        " nor rotary_dim / 2");
    a.angle_source = GF_ANGLES_TABLE;
    a.table_dtype = cos.dtype;
    a.cos = cos.data;
    a.sin = sin.data;
    a.table_width = static_cast<int32_t>(width);
    if (layout == "onnx") { // ONNX RotaryEmbedding's [B, S, rot/2] for a [B, H, S, D] tensor
        if (cos.shape.size() != 3) throw BindError("cos_layout onnx expects cos [B, S, rotary_dim/2], got " + cos.describe());
        const int64_t b = cos.shape[0], s = cos.shape[1];
        if (s != h.tokens.seq || (b != h.tokens.batch && b != 1))
            throw BindError("cos " + cos.describe() + " does not match " + std::to_string(h.tokens.batch) + " x " +
                            std::to_string(h.tokens.seq) + " tokens");
        a.table_stride[0] = b == 1 ? 0 : s * width;
        a.table_stride[1] = width;
        return;
    }
    const size_t r = h.out_shape.size();
    if (cos.shape.size() > r) throw BindError("cos " + cos.describe() + " has more axes than the rotated tensor");
    const std::vector<int64_t> shape = aligned(cos, r);
    const std::vector<int64_t> strides = contiguous_strides(shape);
    if (h.out_head_axis < static_cast<int>(r) - 1 && shape[h.out_head_axis] != 1 && h.heads > 1)
        throw BindError("cos " + cos.describe() + " varies across heads");
    std::vector<int64_t> sizes, st;
    for (size_t i = 0; i + 1 < r; i++) {
        if (static_cast<int>(i) == h.out_head_axis) continue;
        if (shape[i] != 1 && shape[i] != h.out_shape[i])
            throw BindError("cos " + cos.describe() + " does not broadcast against " + shape_text(h.out_shape));
        sizes.push_back(h.out_shape[i]);
        st.push_back(shape[i] == 1 ? 0 : strides[i]);
    }
    const TokenAxes t = fold(sizes, st);
    if (!t.ok) throw BindError("cos " + cos.describe() + " cannot be indexed by (batch, seq)");
    a.table_stride[0] = t.batch_stride;
    a.table_stride[1] = t.seq_stride;
}

void bind_inv_freq(gf_rope_args& a, const TensorArg& inv_freq, int rot, const NodeAttrs& at) {
    if (inv_freq.dtype != GF_DTYPE_F32 || inv_freq.count() < rot / 2)
        throw BindError("inv_freq " + inv_freq.describe() + " is not f32 with at least rotary_dim / 2 = " +
                        std::to_string(rot / 2) + " values");
    a.angle_source = GF_ANGLES_INV_FREQ;
    a.inv_freq = static_cast<const float*>(inv_freq.data);
    a.attention_scaling = at.f("attention_scaling");
    a.max_position = 0; // no table to index: any position is a valid angle
}

// positions [3, *P] over the token axes P of the rotated tensor.
void bind_positions(gf_rope_args& a, const TensorArg& pos, const TokenAxes& tokens, const NodeAttrs& at) {
    const auto& p = pos.shape;
    if (p.empty() || p[0] != 3) throw BindError("positions " + pos.describe() + " are not [3, ...]");
    if (pos.dtype != GF_DTYPE_I64 && pos.dtype != GF_DTYPE_I32)
        throw BindError("positions " + pos.describe() + " are not int64 / int32");
    const std::vector<int64_t> tok(p.begin() + 1, p.end());
    const TokenAxes t = fold(tok, contiguous_strides(tok));
    if (!t.ok || t.batch != tokens.batch || t.seq != tokens.seq)
        throw BindError("positions " + pos.describe() + " do not cover the " + std::to_string(tokens.batch) + " x " +
                        std::to_string(tokens.seq) + " tokens of the rotated tensor");
    int64_t count = 1;
    for (int64_t d : tok) count *= d;
    a.position_rows = 3;
    a.position_dtype = pos.dtype;
    a.positions = pos.data;
    a.position_stride[0] = count;
    a.position_stride[1] = t.batch_stride;
    a.position_stride[2] = t.seq_stride;
    const auto& sec = at.ints("mrope_section");
    for (int d = 0; d < 3; d++) a.mrope_section[d] = static_cast<int32_t>(sec[d]);
    a.mrope_interleaved = at.s("section_layout") == "interleaved" ? 1 : 0;
}

// QkLayerNormRope's scale or bias rows: 0 for one [head_dim] vector shared by every head, head_dim for a
// row per head ([heads, head_dim]: Cohere's per-head weights).
int64_t head_rows(const TensorArg& t, const char* name, int heads, int hd) {
    const bool rows_of_hd = !t.shape.empty() && t.shape.back() == hd;
    if (rows_of_hd && t.count() == hd) return 0;
    if (rows_of_hd && t.count() == static_cast<int64_t>(heads) * hd) return hd;
    throw BindError(std::string(name) + " " + t.describe() + " is neither [head_dim " + std::to_string(hd) + "] nor [" +
                    std::to_string(heads) + " heads, head_dim " + std::to_string(hd) + "]");
}

// One stride serves q and k: both shared or both per head (a single head reads row 0 either way).
int64_t qk_rows(const TensorArg& qt, const TensorArg& kt, const char* what, int nq, int nk, int hd) {
    int64_t q = head_rows(qt, (std::string("q_") + what).c_str(), nq, hd);
    int64_t k = head_rows(kt, (std::string("k_") + what).c_str(), nk, hd);
    if (q != k && nq == 1) q = k;
    if (q != k && nk == 1) k = q;
    if (q != k)
        throw BindError(std::string("q_") + what + " " + qt.describe() + " and k_" + what + " " + kt.describe() +
                        " are not both [head_dim] or both per head");
    return q;
}

// QkLayerNormRope's norm: scales [head_dim] or per head, optional biases (both or neither) of the scales' type.
void bind_layer_norm(gf_rope_args& a, const std::vector<TensorArg>& in, int nq, int nk, int hd) {
    a.has_norm = GF_NORM_LAYER;
    a.weight_offset = 0.0f;
    a.weight_head_stride = qk_rows(in[2], in[3], "scale", nq, nk, hd);
    const TensorArg& qb = in[6];
    const TensorArg& kb = in[7];
    if (qb.absent() && kb.absent()) return;
    if (qb.absent() || kb.absent()) throw BindError("q_bias and k_bias are given together or not at all");
    if (qb.dtype != in[2].dtype || kb.dtype != in[2].dtype)
        throw BindError("biases " + qb.describe() + ", " + kb.describe() + " are not of the scales' type " +
                        dtype_name(in[2].dtype));
    a.bias_head_stride = qk_rows(qb, kb, "bias", nq, nk, hd);
    a.q_bias = qb.data;
    a.k_bias = kb.data;
}

gf_rope_args empty_rope_args() {
    gf_rope_args a{};
    a.struct_size = sizeof(gf_rope_args);
    a.attention_scaling = 1.0f;
    return a;
}

const std::vector<int64_t>* perm_of(const NodeAttrs& a) { return a.has("perm") ? &a.ints("perm") : nullptr; }

} // namespace

int64_t TensorArg::count() const {
    int64_t c = 1;
    for (int64_t d : shape) c *= d;
    return c;
}

std::string dtype_name(int32_t dtype) {
    switch (dtype) {
    case GF_DTYPE_F32: return "f32";
    case GF_DTYPE_F16: return "f16";
    case GF_DTYPE_BF16: return "bf16";
    case GF_DTYPE_I32: return "i32";
    case GF_DTYPE_I64: return "i64";
    case 11: return "f64";
    default: return "type" + std::to_string(dtype);
    }
}

std::string TensorArg::describe() const { return dtype_name(dtype) + shape_text(shape); }

void check_attrs(const OpDecl& op, const NodeAttrs& a) {
    auto positive = [&](const char* name) {
        if (a.i(name) <= 0 || a.i(name) > INT32_MAX)
            throw BindError(std::string("attribute ") + name + " = " + std::to_string(a.i(name)) + " is not a positive int32");
    };
    auto zero_or_one = [&](const char* name) {
        if (a.i(name) != 0 && a.i(name) != 1)
            throw BindError(std::string("attribute ") + name + " = " + std::to_string(a.i(name)) + " is not 0 or 1");
    };
    auto epsilon = [&]() {
        const float e = a.f("epsilon");
        if (!(e >= 0.0f) || e > 1e30f) throw BindError("attribute epsilon = " + std::to_string(e) + " is not a finite value >= 0");
    };
    // the op's family from what it declares (every declared attribute is set, by the node or its default):
    // head counts make a QK op, mrope_section an MRoPE one
    const bool qk = a.has("num_q_heads");
    const bool mrope = a.has("mrope_section");
    if (op.family == OpFamily::Norm) epsilon();
    if (qk) {
        epsilon();
        positive("num_q_heads");
        if (a.i("num_kv_heads") < 0 || a.i("num_kv_heads") > INT32_MAX)
            throw BindError("attribute num_kv_heads = " + std::to_string(a.i("num_kv_heads")) + " is negative");
        positive("head_dim");
        if (a.has("weight_offset")) zero_or_one("weight_offset");
    }
    if (a.has("interleaved")) zero_or_one("interleaved");
    if (a.has("rotary_dim")) {
        const int64_t rot = a.i("rotary_dim");
        if (rot <= 0 || rot % 2 != 0 || rot > INT32_MAX)
            throw BindError("attribute rotary_dim = " + std::to_string(rot) + " is not a positive even number");
        if (qk && rot > a.i("head_dim"))
            throw BindError("attribute rotary_dim = " + std::to_string(rot) + " exceeds head_dim " + std::to_string(a.i("head_dim")));
    }
    if (mrope) {
        const auto& sec = a.ints("mrope_section");
        if (sec.size() != 3) throw BindError("attribute mrope_section has " + std::to_string(sec.size()) + " entries, not 3");
        int64_t sum = 0;
        for (int64_t v : sec) {
            if (v < 0 || v > 65536) throw BindError("attribute mrope_section holds " + std::to_string(v));
            sum += v;
        }
        if (sum == 0) throw BindError("attribute mrope_section sums to 0");
        if (a.has("rotary_dim") && 2 * sum != a.i("rotary_dim"))
            throw BindError("attribute rotary_dim = " + std::to_string(a.i("rotary_dim")) + " is not 2 * sum(mrope_section) = " +
                            std::to_string(2 * sum));
        const std::string& layout = a.s("section_layout");
        if (layout != "interleaved" && layout != "chunked")
            throw BindError("attribute section_layout = '" + layout + "' is not 'interleaved' or 'chunked'");
        const float sc = a.f("attention_scaling");
        if (!(sc == sc) || sc > 1e30f || sc < -1e30f) throw BindError("attribute attention_scaling is not finite");
    }
    if (a.has("cos_layout")) {
        const std::string& layout = a.s("cos_layout");
        if (layout != "broadcast" && layout != "onnx")
            throw BindError("attribute cos_layout = '" + layout + "' is not 'broadcast' or 'onnx'");
    }
}

RopeCall bind_rope_family(const OpDecl& op, const NodeAttrs& at, const std::vector<TensorArg>& in) {
    RopeCall call{};
    gf_rope_args a = empty_rope_args();
    const bool qk = at.has("num_q_heads"); // as in check_attrs: a QK op declares its head counts
    const int rot = at.has("rotary_dim") ? static_cast<int>(at.i("rotary_dim")) : 0;
    a.rotary_dim = rot;
    a.interleaved = at.has("interleaved") ? static_cast<int32_t>(at.i("interleaved")) : 0;
    if (qk) {
        const int nq = static_cast<int>(at.i("num_q_heads"));
        const int nk = static_cast<int>(at.i("num_kv_heads"));
        const int hd = static_cast<int>(at.i("head_dim"));
        const TensorArg& q = in[0];
        const TensorArg& k = in[1];
        require_float(q, "q");
        if (k.dtype != q.dtype) throw BindError("k " + k.describe() + " and q " + q.describe() + " differ in type");
        const Heads qh = heads_of("q", q, nq, hd, perm_of(at));
        const Heads kh = heads_of("k", k, nk, hd, perm_of(at));
        if (qh.tokens.batch != kh.tokens.batch || qh.tokens.seq != kh.tokens.seq)
            throw BindError("q " + q.describe() + " and k " + k.describe() + " have different token axes");
        const TensorArg& qw = in[2];
        const TensorArg& kw = in[3];
        require_float(qw, "q_scale");
        if (kw.dtype != qw.dtype) throw BindError("q_scale " + qw.describe() + " and k_scale " + kw.describe() + " differ in type");
        const bool layer = op.is("QkLayerNormRope");
        if (!layer && (qw.count() != hd || kw.count() != hd))
            throw BindError("q/k scales " + qw.describe() + ", " + kw.describe() + " are not [head_dim " + std::to_string(hd) + "]");
        a.dtype = q.dtype;
        a.batch = qh.tokens.batch;
        a.seq = qh.tokens.seq;
        a.num_q_heads = nq;
        a.num_k_heads = nk;
        a.head_dim = hd;
        a.has_norm = GF_NORM_RMS;
        a.epsilon = at.f("epsilon");
        a.weight_offset = at.has("weight_offset") ? static_cast<float>(at.i("weight_offset")) : 0.0f;
        if (layer) bind_layer_norm(a, in, nq, nk, hd);
        a.weight_dtype = qw.dtype;
        a.q_weight = qw.data;
        a.k_weight = kw.data;
        a.q = q.data;
        a.k = k.data;
        std::copy(qh.in_stride, qh.in_stride + 3, a.q_stride);
        std::copy(qh.out_stride, qh.out_stride + 3, a.q_out_stride);
        std::copy(kh.in_stride, kh.in_stride + 3, a.k_stride);
        std::copy(kh.out_stride, kh.out_stride + 3, a.k_out_stride);
        call.q_out_shape = qh.out_shape;
        call.k_out_shape = kh.out_shape;
        // angles from cos / sin tables (the ops with a cos_layout) or from positions and inv_freq (MRoPE)
        if (at.has("cos_layout")) bind_table(a, in[4], in[5], qh, rot, at.s("cos_layout"));
        if (at.has("mrope_section")) {
            bind_inv_freq(a, in[5], rot, at);
            bind_positions(a, in[4], qh.tokens, at);
        }
    } else if (op.is("Rope")) {
        const TensorArg& x = in[0];
        require_float(x, "X");
        if (x.shape.empty()) throw BindError("X is a scalar");
        const size_t r = x.shape.size();
        // the head axis is the one axis (other than the last) that cos broadcasts over
        const std::vector<int64_t> cos_shape = aligned(in[1], r);
        int head_axis = -1;
        for (size_t i = 0; i + 1 < r; i++) {
            if (cos_shape[i] == 1 && x.shape[i] > 1) {
                if (head_axis >= 0)
                    throw BindError("cos " + in[1].describe() + " broadcasts over more than one axis of X " + x.describe());
                head_axis = static_cast<int>(i);
            }
        }
        const Heads h = heads_of_rope(x, head_axis);
        a.dtype = x.dtype;
        a.batch = h.tokens.batch;
        a.seq = h.tokens.seq;
        a.num_q_heads = h.heads;
        a.head_dim = checked_int(x.shape.back(), "head_dim");
        if (rot > a.head_dim)
            throw BindError("rotary_dim " + std::to_string(rot) + " exceeds the last axis of X " + x.describe());
        a.q = x.data;
        std::copy(h.in_stride, h.in_stride + 3, a.q_stride);
        std::copy(h.out_stride, h.out_stride + 3, a.q_out_stride);
        call.q_out_shape = h.out_shape;
        bind_table(a, in[1], in[2], h, rot, "broadcast");
    } else { // MRope
        const TensorArg& x = in[0];
        require_float(x, "X");
        if (x.shape.size() < 2) throw BindError("X " + x.describe() + " is not [..., heads, head_dim]");
        const int heads = checked_int(x.shape[x.shape.size() - 2], "heads");
        const int hd = checked_int(x.shape.back(), "head_dim");
        if (rot > hd) throw BindError("rotary_dim " + std::to_string(rot) + " exceeds the last axis of X " + x.describe());
        const Heads h = heads_of("X", x, heads, hd, perm_of(at));
        a.dtype = x.dtype;
        a.batch = h.tokens.batch;
        a.seq = h.tokens.seq;
        a.num_q_heads = heads;
        a.head_dim = hd;
        a.q = x.data;
        std::copy(h.in_stride, h.in_stride + 3, a.q_stride);
        std::copy(h.out_stride, h.out_stride + 3, a.q_out_stride);
        call.q_out_shape = h.out_shape;
        bind_inv_freq(a, in[2], rot, at);
        bind_positions(a, in[1], h.tokens, at);
    }
    call.args = a;
    return call;
}

NormCall bind_norm(const OpDecl& op, const NodeAttrs& at, const std::vector<TensorArg>& in, int32_t out_dtype) {
    const TensorArg& x = in[0];
    require_float(x, "X");
    if (x.shape.empty()) throw BindError("X is a scalar");
    const int64_t axis = at.i("axis");
    const int64_t r = static_cast<int64_t>(x.shape.size());
    if (axis != -1 && axis != r - 1)
        throw BindError("normalizes axis " + std::to_string(axis) + " of a rank-" + std::to_string(r) +
                        " tensor; the kernel normalizes the last");
    const int64_t width = x.shape.back();
    const TensorArg& w = in[1];
    require_float(w, "scale");
    if (w.count() != width)
        throw BindError("scale " + w.describe() + " is not one value per element of the last axis (" + std::to_string(width) + ")");
    if (width <= 0) throw BindError("X " + x.describe() + " has an empty last axis");
    NormCall call{};
    gf_norm_args& a = call.args;
    a.struct_size = sizeof(gf_norm_args);
    a.dtype = x.dtype;
    a.out_dtype = out_dtype;
    a.weight_dtype = w.dtype;
    a.rows = x.count() / width;
    a.n = width;
    a.epsilon = at.f("epsilon");
    a.weight_offset = op.is("GemmaRmsNorm") ? 1.0f : 0.0f;
    a.x = x.data;
    a.weight = w.data;
    a.x_row_stride = width;
    a.out_row_stride = width;
    if (op.is("RmsNormGated")) {
        const TensorArg& z = in[2];
        if (z.shape != x.shape || z.dtype != x.dtype)
            throw BindError("gate " + z.describe() + " is not exactly X's shape and type " + x.describe() +
                            " (the kernel does not broadcast it)");
        a.gated = 1;
        a.z = z.data;
        a.z_row_stride = width;
    }
    call.out_shape = x.shape;
    return call;
}

CosSinCall bind_cos_sin(const NodeAttrs& at, const std::vector<TensorArg>& in) {
    const TensorArg& pos = in[0];
    const TensorArg& inv = in[1];
    if (pos.shape.empty() || pos.shape[0] != 3) throw BindError("positions " + pos.describe() + " are not [3, ...]");
    if (pos.dtype != GF_DTYPE_I64 && pos.dtype != GF_DTYPE_I32)
        throw BindError("positions " + pos.describe() + " are not int64 / int32");
    const auto& sec = at.ints("mrope_section");
    CosSinCall c{};
    c.half = static_cast<int32_t>(sec[0] + sec[1] + sec[2]);
    if (inv.dtype != GF_DTYPE_F32 || inv.count() < c.half)
        throw BindError("inv_freq " + inv.describe() + " is not f32 with at least sum(mrope_section) = " +
                        std::to_string(c.half) + " values");
    for (int d = 0; d < 3; d++) c.section[d] = static_cast<int32_t>(sec[d]);
    c.positions = pos.data;
    c.position_dtype = pos.dtype;
    c.inv_freq = static_cast<const float*>(inv.data);
    c.interleaved_sections = at.s("section_layout") == "interleaved" ? 1 : 0;
    c.attention_scaling = at.f("attention_scaling");
    c.out_shape.assign(pos.shape.begin() + 1, pos.shape.end());
    c.tokens = 1;
    for (int64_t d : c.out_shape) c.tokens *= d;
    c.out_shape.push_back(c.half);
    return c;
}

} // namespace gf::ort
