// The rope family (QkNorm, QkNormRope, QkNormMRope, MRope, Rope): one templated kernel, one warp per
// (token, head). Semantics: the header and shared/reference/fused-ops.md sections 1-2.
#include <cuda_runtime.h>
#include <stdlib.h>

#include "dtype.cuh"
#include "vec.cuh"
#include "launch.cuh"
#include "validate.h"

namespace gf {
namespace {

struct RopeLaunch {
    gf_rope_args a;
    int64_t work;    // batch * seq * (num_q_heads + num_k_heads) warps' worth of (token, head) items
    int check_range; // positions must lie in [0, max_position)
    int q_in_place;
    int k_in_place;
};

// Positions of one token on the T, H and W axes (all equal for 1-row positions). Kept as scalars and
// selected with ternaries: a dynamically indexed register array would live in local memory.
struct Pos {
    int64_t t, h, w;
    __device__ __forceinline__ int64_t at(int axis) const { return axis == 0 ? t : (axis == 1 ? h : w); }
};

// The loads alone (a caller may issue them early and check later) ...
__device__ __forceinline__ void fetch_positions(const RopeLaunch& L, int64_t b, int64_t s, Pos& p) {
    const gf_rope_args& a = L.a;
    p = Pos{0, 0, 0};
    if (a.position_rows == 0) return;
    const int64_t base = b * a.position_stride[1] + s * a.position_stride[2];
    p.t = load_index(a.positions, base, a.position_dtype);
    p.h = p.w = p.t;
    if (a.position_rows == 3) {
        p.h = load_index(a.positions, base + a.position_stride[0], a.position_dtype);
        p.w = load_index(a.positions, base + 2 * a.position_stride[0], a.position_dtype);
    }
}

// ... and the range check.
__device__ __forceinline__ bool positions_in_range(const RopeLaunch& L, const Pos& p) {
    if (L.a.position_rows == 0 || !L.check_range) return true;
    const int64_t m = L.a.max_position;
    // every row is checked, also an axis no frequency uses: a bad row means bad input either way
    return p.t >= 0 && p.t < m && p.h >= 0 && p.h < m && p.w >= 0 && p.w < m;
}

__device__ __forceinline__ bool load_positions(const RopeLaunch& L, int64_t b, int64_t s, Pos& p) {
    fetch_positions(L, b, s, p);
    return positions_in_range(L, p);
}

// Which position row frequency j takes (0 = T, 1 = H, 2 = W).
__device__ __forceinline__ int mrope_axis(const gf_rope_args& a, int j) {
    if (a.position_rows != 3) return 0;
    if (a.mrope_interleaved) {
        if (j % 3 == 1 && j < 3 * a.mrope_section[1]) return 1;
        if (j % 3 == 2 && j < 3 * a.mrope_section[2]) return 2;
        return 0;
    }
    if (j < a.mrope_section[0]) return 0;
    return j < a.mrope_section[0] + a.mrope_section[1] ? 1 : 2;
}

// cos and sin for element i of a head, whose frequency is j. A full-width table (HF's cat(freqs, freqs)
// or gpt-j's repeat) holds an entry per element, so element i reads entry i; a half-width one entry j.
__device__ __forceinline__ void angle(const gf_rope_args& a, int i, int j, const Pos& p, int64_t token_row,
                                      float& c, float& s) {
    const int axis = mrope_axis(a, j);
    if (a.angle_source == GF_ANGLES_INV_FREQ) {
        // f32(p) * inv_freq rounded once, then the accurate sincosf (this file is never built with
        // --use_fast_math, which would turn it into __sincosf, exact only on [-pi, pi])
        const float theta = static_cast<float>(p.at(axis)) * a.inv_freq[j];
        float sn, cs;
        sincosf(theta, &sn, &cs);
        c = cs * a.attention_scaling;
        s = sn * a.attention_scaling;
        return;
    }
    const int64_t row = a.position_rows == 0 ? token_row : p.at(axis) * a.table_stride[1];
    const int64_t e = row + (a.table_width == a.rotary_dim ? i : j);
    c = load_f32(a.cos, e, a.table_dtype);
    s = load_f32(a.sin, e, a.table_dtype);
}

// One work item: a (token, head) pair, token-major so that the warps of a block share a token's angles in L1.
struct Item {
    int64_t b, s;
    bool is_q;
    int64_t hh; // head index within q or k
};

__device__ __forceinline__ Item item_of(const gf_rope_args& a, int64_t w) {
    const int heads = a.num_q_heads + a.num_k_heads;
    const int64_t tok = w / heads;
    const int h = static_cast<int>(w - tok * heads);
    const int64_t b = tok / a.seq;
    const bool is_q = h < a.num_q_heads;
    return Item{b, tok - b * a.seq, is_q, is_q ? h : h - a.num_q_heads};
}

// The work item w and its token's positions; false (the status set, the token's outputs left unwritten)
// when a position is out of range. Uniform across the warp, as the loops around it require.
__device__ __forceinline__ bool begin_item(const RopeLaunch& L, int64_t w, int lane, Item& it, Pos& p) {
    it = item_of(L.a, w);
    if (load_positions(L, it.b, it.s, p)) return true;
    if (lane == 0) atomicCAS(L.a.status, 0, GF_ERR_POSITION_RANGE);
    return false;
}

template <typename T>
__device__ __forceinline__ const T* head_in(const gf_rope_args& a, const Item& it) {
    const int64_t* st = it.is_q ? a.q_stride : a.k_stride;
    return static_cast<const T*>(it.is_q ? a.q : a.k) + it.b * st[0] + it.s * st[1] + it.hh * st[2];
}

template <typename T>
__device__ __forceinline__ T* head_out(const gf_rope_args& a, const Item& it) {
    const int64_t* st = it.is_q ? a.q_out_stride : a.k_out_stride;
    return static_cast<T*>(it.is_q ? a.q_out : a.k_out) + it.b * st[0] + it.s * st[1] + it.hh * st[2];
}

// Element i (< rot) of a normalized head after the rotation; st holds the whole head, so the partner can
// be read wherever it lives.
__device__ __forceinline__ float rotated(const gf_rope_args& a, int i, float y, const float* st, const Pos& p,
                                         int64_t token_row) {
    const int half = a.rotary_dim >> 1;
    const bool first = a.interleaved ? (i & 1) == 0 : i < half;
    const int j = a.interleaved ? i >> 1 : (first ? i : i - half);
    const int partner = a.interleaved ? i ^ 1 : (first ? i + half : i - half);
    float c, sn;
    angle(a, i, j, p, token_row, c, sn);
    const float yp = st[partner];
    return first ? y * c - yp * sn : y * c + yp * sn;
}

template <typename T, int HD>
__global__ void __launch_bounds__(kThreads) rope_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = HD / 32; // elements per lane, contiguous: lane l holds i in [l*EPL, (l+1)*EPL)
    // The normalized head is staged here so that a lane can read its rotation partner wherever it lives
    // (for partial neox rot/2 need not be a multiple of EPL, so no fixed shuffle distance exists).
    __shared__ float stage[kWarps][HD];

    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int rot = a.rotary_dim;
    const int i0 = lane * EPL;
    float* st = stage[warp];

    // Control flow below depends only on the work item, never on the lane, so the whole warp always
    // reaches the shuffles and __syncwarp together (vLLM issue #51049: never inside a lane branch).
    for (int64_t w = static_cast<int64_t>(blockIdx.x) * kWarps + warp; w < L.work;
         w += static_cast<int64_t>(gridDim.x) * kWarps) {
        Item it;
        Pos p;
        if (!begin_item(L, w, lane, it, p)) continue;
        const T* in = head_in<T>(a, it);
        T* out = head_out<T>(a, it);

        float y[EPL];
#pragma unroll
        for (int e = 0; e < EPL; e++) y[e] = to_f32(in[i0 + e]);

        if (a.has_norm) {
            float ss = 0.f;
#pragma unroll
            for (int e = 0; e < EPL; e++) ss += y[e] * y[e];
            ss = warp_sum(ss);
            // 1/sqrtf (both IEEE-rounded without fast math) rather than rsqrtf's 2 ulp
            const float r = 1.0f / sqrtf(ss / static_cast<float>(HD) + a.epsilon);
            const void* wt = it.is_q ? a.q_weight : a.k_weight;
#pragma unroll
            for (int e = 0; e < EPL; e++) y[e] = y[e] * r * (load_f32(wt, i0 + e, a.weight_dtype) + a.weight_offset);
        }

        if (rot > 0) {
#pragma unroll
            for (int e = 0; e < EPL; e++) st[i0 + e] = y[e];
            __syncwarp(); // every lane's writes are visible before any lane reads a partner
            const int64_t token_row = it.b * a.table_stride[0] + it.s * a.table_stride[1];
            float o[EPL];
#pragma unroll
            for (int e = 0; e < EPL; e++) o[e] = i0 + e < rot ? rotated(a, i0 + e, y[e], st, p, token_row) : y[e];
            __syncwarp(); // every lane has read its partner before the next item overwrites the stage
#pragma unroll
            for (int e = 0; e < EPL; e++) y[e] = o[e];
        }

        // in place without a norm the pass-through dims already hold their value: leave them alone
        const bool store_all = a.has_norm || !(it.is_q ? L.q_in_place : L.k_in_place);
#pragma unroll
        for (int e = 0; e < EPL; e++)
            if (store_all || i0 + e < rot) out[i0 + e] = from_f32<T>(y[e]);
    }
}

// Any other head size up to 32 * E (Phi's 80, GPT-NeoX's 96, a test model's 16): the same semantics, with
// lane l holding elements l, l + 32, ... below head_dim, so a head of any width is read coalesced.
template <typename T, int E>
__global__ void __launch_bounds__(kThreads) rope_any_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    __shared__ float stage[kWarps][32 * E];

    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int hd = a.head_dim;
    const int rot = a.rotary_dim;
    float* st = stage[warp];

    for (int64_t w = static_cast<int64_t>(blockIdx.x) * kWarps + warp; w < L.work;
         w += static_cast<int64_t>(gridDim.x) * kWarps) {
        Item it;
        Pos p;
        if (!begin_item(L, w, lane, it, p)) continue;
        const T* in = head_in<T>(a, it);
        T* out = head_out<T>(a, it);

        float y[E];
#pragma unroll
        for (int e = 0; e < E; e++) {
            const int i = e * 32 + lane;
            y[e] = i < hd ? to_f32(in[i]) : 0.f; // zeros past the head add nothing to the sum of squares
        }

        if (a.has_norm) {
            float ss = 0.f;
#pragma unroll
            for (int e = 0; e < E; e++) ss += y[e] * y[e];
            ss = warp_sum(ss);
            const float r = 1.0f / sqrtf(ss / static_cast<float>(hd) + a.epsilon);
            const void* wt = it.is_q ? a.q_weight : a.k_weight;
#pragma unroll
            for (int e = 0; e < E; e++) {
                const int i = e * 32 + lane;
                if (i < hd) y[e] = y[e] * r * (load_f32(wt, i, a.weight_dtype) + a.weight_offset);
            }
        }

        if (rot > 0) {
#pragma unroll
            for (int e = 0; e < E; e++)
                if (e * 32 + lane < hd) st[e * 32 + lane] = y[e];
            __syncwarp();
            const int64_t token_row = it.b * a.table_stride[0] + it.s * a.table_stride[1];
            float o[E];
#pragma unroll
            for (int e = 0; e < E; e++) {
                const int i = e * 32 + lane;
                o[e] = i < rot ? rotated(a, i, y[e], st, p, token_row) : y[e];
            }
            __syncwarp();
#pragma unroll
            for (int e = 0; e < E; e++) y[e] = o[e];
        }

        const bool store_all = a.has_norm || !(it.is_q ? L.q_in_place : L.k_in_place);
#pragma unroll
        for (int e = 0; e < E; e++) {
            const int i = e * 32 + lane;
            if (i < hd && (store_all || i < rot)) out[i] = from_f32<T>(y[e]);
        }
    }
}

#include "rope_fast.cuh"
#include "rope_tiled.cuh"
#include "rope_split.cuh"
#include "rope_decode.cuh"

// Launches of at most this many (token, head) items take the decode kernel (rope_decode.cuh).
#ifndef GF_DECODE_MAX_ITEMS
#define GF_DECODE_MAX_ITEMS 1280
#endif

template <typename T>
void launch_typed(const RopeLaunch& L, cudaStream_t stream) {
    const unsigned blocks = blocks_for(L.work, kWarps);
    const int hd = L.a.head_dim;
    switch (hd) {
    case 64: launch(rope_kernel<T, 64>, blocks, kThreads, 0, stream, L); return;
    case 128: launch(rope_kernel<T, 128>, blocks, kThreads, 0, stream, L); return;
    case 256: launch(rope_kernel<T, 256>, blocks, kThreads, 0, stream, L); return;
    default: break;
    }
    if (hd <= 128) {
        launch(rope_any_kernel<T, 4>, blocks, kThreads, 0, stream, L);
    } else if (hd <= 256) {
        launch(rope_any_kernel<T, 8>, blocks, kThreads, 0, stream, L);
    } else {
        launch(rope_any_kernel<T, 16>, blocks, kThreads, 0, stream, L); // validated: at most GF_MAX_HEAD_DIM
    }
}

// GF_GENERAL_KERNEL=1 forces the general kernel: the benchmark's baseline and a cross-check of the fast path.
bool general_only() {
    static const bool v = [] {
        const char* e = getenv("GF_GENERAL_KERNEL");
        return e != nullptr && e[0] == '1';
    }();
    return v;
}

// GF_REGISTER_KERNEL=1 keeps the register-pipelined fast kernel at every size (the tiled one's baseline).
bool register_only() {
    static const bool v = [] {
        const char* e = getenv("GF_REGISTER_KERNEL");
        return e != nullptr && e[0] == '1';
    }();
    return v;
}

// GF_SPLIT_KERNEL=0 turns the split-lane kernel off (the earlier paths' baseline in the same run).
bool split_disabled() {
    static const bool v = [] {
        const char* e = getenv("GF_SPLIT_KERNEL");
        return e != nullptr && e[0] == '0';
    }();
    return v;
}

int launch_rope(const gf_rope_args* args, RopeOp op, void* stream) {
    const int rc = validate_rope(args, op);
    if (rc != 0) return rc;
    RopeLaunch L{};
    L.a = *args;
    // without a rotation the angle fields are unvalidated leftovers: make sure the kernel never reads them
    if (args->rotary_dim == 0) L.a.position_rows = 0;
    L.work = args->batch * args->seq * (static_cast<int64_t>(args->num_q_heads) + args->num_k_heads);
    if (L.work == 0) return 0;
    L.check_range = args->rotary_dim > 0 && args->position_rows > 0 &&
                    (args->angle_source == GF_ANGLES_TABLE || args->max_position > 0);
    L.q_in_place = args->q == args->q_out;
    L.k_in_place = args->k == args->k_out;

    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    clear_last_error();
    // the specialised kernels are instantiated for these head sizes; any other takes the general kernel
    const bool special = !general_only() && (args->head_dim == 64 || args->head_dim == 128 || args->head_dim == 256);
    if (special && fast_path_fits(L.a) && L.work <= GF_DECODE_MAX_ITEMS) {
        if (args->dtype == GF_DTYPE_BF16) {
            launch_decode<__nv_bfloat16>(L, s);
        } else {
            launch_decode<__half>(L, s);
        }
        return launch_status();
    }
    SplitShape sp{};
    if (special && !split_disabled() && split_fits(L.a, sp)) {
        if (args->dtype == GF_DTYPE_BF16) {
            launch_split<__nv_bfloat16>(L, sp, s);
        } else {
            launch_split<__half>(L, sp, s);
        }
        return launch_status();
    }
    TiledShape sh{};
    const int64_t items = args->batch * args->seq * (static_cast<int64_t>(args->num_q_heads) + args->num_k_heads);
    if (special && fast_path_fits(L.a) && items >= 4096 && tiled_fits(L.a, sh) && !register_only()) {
        if (args->dtype == GF_DTYPE_BF16) {
            launch_tiled<__nv_bfloat16>(L, sh, s);
        } else {
            launch_tiled<__half>(L, sh, s);
        }
        return launch_status();
    }
    if (special && fast_path_fits(L.a)) {
        if (args->dtype == GF_DTYPE_BF16) {
            launch_fast<__nv_bfloat16>(L, s);
        } else {
            launch_fast<__half>(L, s);
        }
        return launch_status();
    }
    switch (args->dtype) {
    case GF_DTYPE_BF16: launch_typed<__nv_bfloat16>(L, s); break;
    case GF_DTYPE_F16: launch_typed<__half>(L, s); break;
    default: launch_typed<float>(L, s); break;
    }
    return launch_status();
}

} // namespace
} // namespace gf

extern "C" {

int gf_qk_norm(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::QkNorm, stream); }
int gf_qk_norm_rope(const gf_rope_args* args, void* stream) {
    return gf::launch_rope(args, gf::RopeOp::QkNormRope, stream);
}
int gf_qk_norm_mrope(const gf_rope_args* args, void* stream) {
    return gf::launch_rope(args, gf::RopeOp::QkNormMRope, stream);
}
int gf_mrope(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::MRope, stream); }
int gf_rope(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::Rope, stream); }

} // extern "C"
