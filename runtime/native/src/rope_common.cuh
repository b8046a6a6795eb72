// Definitions every kernel of the rope family (QkNorm, QkNormRope, QkNormMRope, MRope, Rope) shares: the
// launch record, a work item and its token's positions, the angles of an element, the addresses of a head,
// and the per-lane norm and rotation of the register-resident kernels (fast, tiled). Semantics: the
// header graphfuse_kernels.h and docs/ops.md (#conventions, #mrope-section-layouts).
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "dtype.cuh"
#include "graphfuse_kernels.h"
#include "launch.cuh"
#include "vec.cuh"

namespace gf::rope {

// Rotation kinds of the split and wide kernels, as a template argument so that their step loops have no
// branch on them. kRotNeoxHalf (split kernel only): neox with a half-width table (cos / sin entry j serves
// elements j and j + rot / 2), so a lane's two chunks share their 4 angles: 8 registers fewer than kRotNeox
// holds for a full-width table.
constexpr int kRotNone = 0, kRotNeox = 1, kRotGptj = 2, kRotNeoxHalf = 3;
__host__ __device__ constexpr bool rot_neox(int rot) { return rot == kRotNeox || rot == kRotNeoxHalf; }

// Steps of one token a warp takes when `tokens` tokens of `total` steps each spread over `warps` warps:
// at least one, at most the whole token. Rounded down, the grid may run 1.x waves of shorter items (the split
// kernel's tuning); rounded up (`one_wave`), at most one wave of longer ones.
inline int64_t steps_per_warp(int64_t tokens, int total, int64_t warps, bool one_wave = false) {
    const int64_t w = warps > 0 ? warps : 1;
    const int64_t spi = (tokens * total + (one_wave ? w - 1 : 0)) / w;
    return spi < 1 ? 1 : (spi > total ? total : spi);
}

// Whether every head start of Q and K, in and out, is aligned for an access of `bytes` (the tensors' base
// addresses, and every stride in elements of `elem_bytes`).
inline bool heads_aligned(const gf_rope_args& a, int elem_bytes, int bytes) {
    const int64_t e = bytes / elem_bytes;
    auto ok = [&](const void* p, const int64_t* st) {
        if (p == nullptr) return true;
        if (reinterpret_cast<uintptr_t>(p) % bytes != 0) return false;
        for (int d = 0; d < 3; d++)
            if (st[d] % e != 0) return false;
        return true;
    };
    return ok(a.q, a.q_stride) && ok(a.q_out, a.q_out_stride) &&
           (a.num_k_heads == 0 || (ok(a.k, a.k_stride) && ok(a.k_out, a.k_out_stride)));
}

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
    with_index_type(a.position_dtype, [&](auto tag) { // the three rows' loads issued together (dtype.cuh)
        using E = typename decltype(tag)::type;
        const E* q = static_cast<const E*>(a.positions) + base;
        p.t = q[0];
        p.h = p.w = p.t;
        if (a.position_rows == 3) {
            p.h = q[a.position_stride[0]];
            p.w = q[2 * a.position_stride[0]];
        }
    });
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

// The table entry of element i, whose frequency is j, as angle() below reads it. A full-width table (HF's
// cat(freqs, freqs) or gpt-j's repeat) holds an entry per element, so element i reads entry i; a half-width
// one entry j.
__device__ __forceinline__ int64_t table_entry(const gf_rope_args& a, int i, int j, const Pos& p, int64_t token_row) {
    const int64_t row = a.position_rows == 0 ? token_row : p.at(mrope_axis(a, j)) * a.table_stride[1];
    return row + (a.table_width == a.rotary_dim ? i : j);
}

// cos and sin of a lane's N consecutive elements from i0 (gpt-j pairs or neox halves), read from the table
// entry by entry (each from its own position row for MRoPE): the 2N loads in one arm of the dtype switch, so
// that they are issued together (dtype.cuh).
template <int N>
__device__ __forceinline__ void table_angles(const gf_rope_args& a, int i0, bool gptj, const Pos& p, int64_t token_row,
                                             float (&c)[N], float (&s)[N]) {
    const int half = a.rotary_dim >> 1;
    with_float_type(a.table_dtype, [&](auto tag) {
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int k = 0; k < N; k++) {
            const int i = i0 + k;
            const int64_t e = table_entry(a, i, gptj ? i >> 1 : (i < half ? i : i - half), p, token_row);
            c[k] = load_as_f32<E>(a.cos, e);
            s[k] = load_as_f32<E>(a.sin, e);
        }
    });
}

// cos and sin for element i of a head, whose frequency is j: table_entry's entry of the table, or computed
// from inv_freq. One element; a loop of table reads is table_angles.
__device__ __forceinline__ void angle(const gf_rope_args& a, int i, int j, const Pos& p, int64_t token_row,
                                      float& c, float& s) {
    if (a.angle_source == GF_ANGLES_INV_FREQ) {
        const int axis = mrope_axis(a, j);
        // f32(p) * inv_freq rounded once, then the accurate sincosf (this file is never built with
        // --use_fast_math, which would turn it into __sincosf, exact only on [-pi, pi])
        const float theta = static_cast<float>(p.at(axis)) * a.inv_freq[j];
        float sn, cs;
        sincosf(theta, &sn, &cs);
        c = cs * a.attention_scaling;
        s = sn * a.attention_scaling;
        return;
    }
    const int64_t e = table_entry(a, i, j, p, token_row);
    c = load_f32(a.cos, e, a.table_dtype);
    s = load_f32(a.sin, e, a.table_dtype);
}

// One work item: a (token, head) pair, token-major so that the warps of a block share a token's angles in L1.
struct Item {
    int64_t b, s;
    bool is_q;
    int64_t hh; // head index within q or k
};

// n / d for n, d >= 0, in 32 bits when both fit: a 64-bit division is a subroutine of some 70 instructions,
// on the path from a decode warp's index to its first load.
__host__ __device__ __forceinline__ int64_t div_index(int64_t n, int64_t d) {
    if (((n | d) >> 31) == 0) return static_cast<int64_t>(static_cast<uint32_t>(n) / static_cast<uint32_t>(d));
    return n / d;
}

__device__ __forceinline__ Item item_of(const gf_rope_args& a, int64_t w) {
    const int heads = a.num_q_heads + a.num_k_heads;
    const int64_t tok = div_index(w, heads);
    const int h = static_cast<int>(w - tok * heads);
    const int64_t b = div_index(tok, a.seq);
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

// The lane's norm weights for Q and K heads, with the weight offset (Gemma's 1) already added.
template <int EPL>
__device__ __forceinline__ void load_norm_weights(const gf_rope_args& a, int i0, float (&wq)[EPL], float (&wk)[EPL]) {
    if (!a.has_norm) return;
    // a tensor without heads may come without a weight (validate.cpp)
    const bool q = a.num_q_heads > 0, k = a.num_k_heads > 0;
    with_float_type(a.weight_dtype, [&](auto tag) { // loads issued together (dtype.cuh)
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int e = 0; e < EPL; e++) {
            wq[e] = q ? load_as_f32<E>(a.q_weight, i0 + e) + a.weight_offset : 0.f;
            wk[e] = k ? load_as_f32<E>(a.k_weight, i0 + e) + a.weight_offset : 0.f;
        }
    });
}

// N weights of one head's norm from element i0 (is_q: Q's, else K's), with the weight offset added.
template <int N>
__device__ __forceinline__ void load_head_weights(const gf_rope_args& a, bool is_q, int i0, float (&w)[N]) {
    const void* wp = is_q ? a.q_weight : a.k_weight;
    with_float_type(a.weight_dtype, [&](auto tag) {
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int e = 0; e < N; e++) w[e] = load_as_f32<E>(wp, i0 + e) + a.weight_offset;
    });
}

// The math the fast and tiled kernels share, on the EPL values a lane holds of one head: the per-head RMSNorm
// (wq / wk already hold w + weight_offset) and the rotation with the lane's cos / sin. Every lane calls it with
// the same arguments apart from its own values: the shuffles inside are reached by the whole warp.
// The cos / sin a lane needs for its EPL elements starting at i0 (frequency j of element i: i / 2 for gpt-j
// pairs, i mod rot / 2 for neox halves), for token (b, s) at positions p.
template <int EPL>
__device__ __forceinline__ void lane_angles(const gf_rope_args& a, int i0, int64_t b, int64_t s, const Pos& p,
                                            float (&c)[EPL], float (&sn)[EPL]) {
    const int half = a.rotary_dim >> 1;
    const int64_t token_row = b * a.table_stride[0] + s * a.table_stride[1];
    if (a.angle_source == GF_ANGLES_TABLE) {
        table_angles<EPL>(a, i0, a.interleaved, p, token_row, c, sn);
        return;
    }
#pragma unroll
    for (int e = 0; e < EPL; e++) {
        const int i = i0 + e;
        angle(a, i, a.interleaved ? i >> 1 : (i < half ? i : i - half), p, token_row, c[e], sn[e]);
    }
}

template <int HD, int EPL>
__device__ __forceinline__ void norm_and_rotate(const gf_rope_args& a, float (&y)[EPL], bool is_q,
                                                const float (&wq)[EPL], const float (&wk)[EPL], const float (&c)[EPL],
                                                const float (&sn)[EPL], int off, bool first, bool rotates) {
    if (a.has_norm) {
        float ss = 0.f;
#pragma unroll
        for (int e = 0; e < EPL; e++) ss += y[e] * y[e];
        ss = warp_sum(ss);
        // rsqrtf (2 ulp) is far inside the one-rounding budget of a 16-bit output, and is one instruction
        // where the IEEE sqrt and divide are dozens
        const float r = rsqrtf(ss * (1.0f / HD) + a.epsilon);
#pragma unroll
        for (int e = 0; e < EPL; e++) y[e] = y[e] * r * (is_q ? wq[e] : wk[e]);
    }
    if (a.rotary_dim > 0) {
        float o[EPL];
        if (a.interleaved) {
#pragma unroll
            for (int e = 0; e < EPL; e += 2) {
                o[e] = y[e] * c[e] - y[e + 1] * sn[e];
                o[e + 1] = y[e + 1] * c[e + 1] + y[e] * sn[e + 1];
            }
        } else {
#pragma unroll
            for (int e = 0; e < EPL; e++) {
                const float yp = __shfl_xor_sync(0xffffffffu, y[e], off);
                o[e] = first ? y[e] * c[e] - yp * sn[e] : y[e] * c[e] + yp * sn[e];
            }
        }
        if (rotates) {
#pragma unroll
            for (int e = 0; e < EPL; e++) y[e] = o[e];
        }
    }
}

} // namespace gf::rope
