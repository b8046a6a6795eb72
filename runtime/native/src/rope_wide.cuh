// Wide-lane path of the rope family: a lane holds 16 bytes (8 consecutive 16-bit elements) of a head, so a
// head of 256 is one warp access, 128 two heads and 64 four. It exists for what the split-lane kernel
// (rope_split.cuh) cannot do in one launch: an out-of-place rotation of part of a head (Qwen3.5's MRoPE, 64
// of 256 dims), where every byte of the head must reach the output. Here the lanes past the rotary dims copy
// their 16 bytes as they are, in the same access as the rotating ones, so the launch moves each byte of Q and
// K once, as a copy does. The neox partner of an element sits rot / 16 lanes away (one shuffle of each
// value); gpt-j pairs are within a lane.
//
// Work: items of `spi` steps of one token (a step is the HPS heads one warp access covers), Q steps before
// K steps. Many tokens: a warp takes a whole token, reading its angles once for all its heads. Few tokens
// (decode): a step per warp, so the grid is sized for the heads, and every warp's loads (heads, positions,
// norm weights) go out before the first of them is used; nothing is staged through shared memory.
// A position outside the table still loads (row 0) and computes; only the stores are dropped.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <stdint.h>

#include "config.h"
#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "rope_items.cuh"

namespace gf::rope {

struct WideShape {
    int q_steps, k_steps; // ceil(heads / HPS) of Q and of K
    ItemPlan items;       // which token's steps each warp takes (rope_items.cuh)
    int vec_table;        // fp32 or 16-bit table rows whose 8 entries a lane needs are 16-byte aligned
};

// Warps per block: 4 where the launch spreads tokens' steps over the warps; 1 where warps take whole tokens,
// each a long item (20 head accesses for Qwen3.5), so that a warp's slot is refilled as soon as it is done
// instead of when the slowest of its block is. H100, 2026-12-07 23:46 UTC, out-of-place MRope (Qwen3.5) built
// with 1-warp blocks (kWideWarps = 1 at compile time) against 4-warp ones in the same run: 16,384 tokens
// 128.37 against 130.26 us, 65,536 474.8 against 481.6 (2-warp blocks: 128.97, 478.1); at T = 256 (spread)
// 1-warp blocks were 2.5 % slower. This form (block size at launch) measured 128.66 and 481.8 in a later run:
// the 16,384 gain held, the 65,536 one did not, and the two forms have not been timed side by side.
constexpr int kWideWarps = 4;
constexpr int kWideThreads = 32 * kWideWarps;
constexpr int kWideUnroll = 4; // steps whose loads are issued together
// blocks per SM the registers must allow: 6 (24 warps, 80 registers), so that enough 16-byte loads are in
// flight for the copy bandwidth; at 8 (64 registers) every rotating instantiation spilled
constexpr int kWideMinBlocks = 6;

// n consecutive entries of a table row (fp32 or 16-bit) from element e, 16-byte loads where vec says the
// row is aligned for them.
__device__ __forceinline__ void load_row8(const void* t, int64_t e, int dtype, bool vec, int n, float* out) {
    if (vec && dtype == GF_DTYPE_F32) {
        const float4* p = reinterpret_cast<const float4*>(static_cast<const float*>(t) + e);
        const float4 a = __ldg(p);
        out[0] = a.x, out[1] = a.y, out[2] = a.z, out[3] = a.w;
        if (n == 8) {
            const float4 b = __ldg(p + 1);
            out[4] = b.x, out[5] = b.y, out[6] = b.z, out[7] = b.w;
        }
        return;
    }
    if (vec && n == 8) { // 16-bit: 8 entries are one 16-byte load
        const uint4 v = __ldg(reinterpret_cast<const uint4*>(static_cast<const uint16_t*>(t) + e));
        if (dtype == GF_DTYPE_BF16) {
            Oct<__nv_bfloat16>::unpack(v, out);
        } else {
            Oct<__half>::unpack(v, out);
        }
        return;
    }
    with_float_type(dtype, [&](auto tag) { // loads issued together (dtype.cuh)
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int k = 0; k < 8; k++)
            if (k < n) out[k] = load_as_f32<E>(t, e + k);
    });
}

// cos / sin of the lane's 8 elements [i0, i0 + 8) of token (b, s) at positions p.
template <int ROT, bool INV>
__device__ __forceinline__ void wide_angles(const gf_rope_args& a, bool vec, int i0, int64_t b, int64_t s,
                                            const Pos& p, float (&c)[8], float (&sn)[8]) {
    const int half = a.rotary_dim >> 1;
    const bool full = a.table_width == a.rotary_dim;
    const int64_t token_row = b * a.table_stride[0] + s * a.table_stride[1];
    if constexpr (INV) {
        // inv_freq: entry by entry
#pragma unroll
        for (int k = 0; k < 8; k++) {
            const int i = i0 + k;
            angle(a, i, ROT == kRotGptj ? i >> 1 : (i < half ? i : i - half), p, token_row, c[k], sn[k]);
        }
    } else if (a.position_rows <= 1) {
        // one row: the 8 entries are consecutive (neox: j = i mod half; gpt-j: a half-width row has 4, each
        // serving a pair)
        const int64_t row = a.position_rows == 0 ? token_row : p.t * a.table_stride[1];
        if (ROT == kRotGptj && !full) {
            float c4[8], s4[8];
            load_row8(a.cos, row + (i0 >> 1), a.table_dtype, false, 4, c4);
            load_row8(a.sin, row + (i0 >> 1), a.table_dtype, false, 4, s4);
#pragma unroll
            for (int k = 0; k < 8; k++) c[k] = c4[k >> 1], sn[k] = s4[k >> 1];
            return;
        }
        const int64_t e = row + (full || ROT == kRotGptj ? i0 : (i0 < half ? i0 : i0 - half));
        load_row8(a.cos, e, a.table_dtype, vec, 8, c);
        load_row8(a.sin, e, a.table_dtype, vec, 8, sn);
    } else { // MRoPE rows
        table_angles<8>(a, i0, ROT == kRotGptj, p, token_row, c, sn);
    }
}

template <typename T, int HD, bool NORM, int ROT, bool INV>
__global__ void __launch_bounds__(kWideThreads, kWideMinBlocks) rope_wide_kernel(const __grid_constant__ RopeLaunch L, const WideShape sh) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int LPH = HD / 8;   // lanes per head
    constexpr int HPS = 32 / LPH; // heads per step
    constexpr int U = kWideUnroll;
    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int sub = lane / LPH;
    const int i0 = 8 * (lane % LPH);
    const int rot = a.rotary_dim;
    const bool rotates = ROT != kRotNone && i0 < rot;
    const bool first = i0 < (rot >> 1);       // neox: this lane holds x1 of its pairs
    // neox: the partner of element i sits rot / 2 further (or back), rot / 16 lanes away; a lane past the
    // rotary dims reads its own value
    const int partner = !rotates || ROT != kRotNeox ? lane : (first ? lane + (rot >> 4) : lane - (rot >> 4));
    const bool changes = NORM || rotates;
    const int qs = sh.q_steps;

    const int wpb = static_cast<int>(blockDim.x >> 5); // 1 or kWideWarps (launch_wide_kernel)
    for (int64_t item = static_cast<int64_t>(blockIdx.x) * wpb + (threadIdx.x >> 5); item < sh.items.items;
         item += static_cast<int64_t>(gridDim.x) * wpb) {
        int64_t tok;
        int lo, hi;
        sh.items.locate(item, tok, lo, hi);
        int64_t b = 0, s = tok;
        if (a.batch > 1) {
            b = div_index(tok, a.seq);
            s = tok - b * a.seq;
        }
        // step st's head for this lane: Q steps [0, qs), K steps [qs, total)
        auto in_ptr = [&](int st) {
            if (st < qs) return static_cast<const T*>(a.q) + b * a.q_stride[0] + s * a.q_stride[1] + (st * HPS + sub) * a.q_stride[2] + i0;
            return static_cast<const T*>(a.k) + b * a.k_stride[0] + s * a.k_stride[1] + ((st - qs) * HPS + sub) * a.k_stride[2] + i0;
        };
        auto out_ptr = [&](int st) {
            if (st < qs) return static_cast<T*>(a.q_out) + b * a.q_out_stride[0] + s * a.q_out_stride[1] + (st * HPS + sub) * a.q_out_stride[2] + i0;
            return static_cast<T*>(a.k_out) + b * a.k_out_stride[0] + s * a.k_out_stride[1] + ((st - qs) * HPS + sub) * a.k_out_stride[2] + i0;
        };
        auto has_head = [&](int st) { return st < qs ? st * HPS + sub < a.num_q_heads : (st - qs) * HPS + sub < a.num_k_heads; };
        // in place, a lane that changes nothing neither loads nor stores
        auto touches = [&](int st) { return changes || !(st < qs ? L.q_in_place : L.k_in_place); };

        uint4 g[U];
        auto load = [&](int st0) {
#pragma unroll
            for (int u = 0; u < U; u++) {
                g[u] = make_uint4(0, 0, 0, 0);
                const int st = st0 + u;
                if (st < hi && has_head(st) && touches(st)) g[u] = __ldcs(reinterpret_cast<const uint4*>(in_ptr(st)));
            }
        };
        load(lo); // before anything below waits

        // the norm weights of the phase the item starts in (decode: its only one), then the angles
        float w[8];
        int w_phase = -1;
        auto weights = [&](int st) {
            const int ph = st < qs ? 0 : 1;
            if (!NORM || ph == w_phase) return;
            w_phase = ph;
            load_head_weights<8>(a, ph == 0, i0, w);
        };
        weights(lo);
        float c[8], sn[8];
#pragma unroll
        for (int k = 0; k < 8; k++) c[k] = 1.f, sn[k] = 0.f;
        bool ok = true;
        if (ROT != kRotNone) {
            Pos p;
            fetch_positions(L, b, s, p);
            ok = positions_in_range(L, p);
            if (!ok) p = Pos{0, 0, 0}; // computed from row 0, never stored
            if (rotates) wide_angles<ROT, INV>(a, sh.vec_table != 0, i0, b, s, p, c, sn);
            if (!ok && lane == 0 && lo == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE);
        }

        for (int st0 = lo; st0 < hi; st0 += U) {
            if (st0 != lo) load(st0);
#pragma unroll
            for (int u = 0; u < U; u++) {
                const int st = st0 + u;
                if (st >= hi) break; // uniform: every lane reaches the shuffles below
                uint4 r = g[u];
                // the whole warp computes (the norm's and the neox rotation's shuffles need every lane);
                // a lane that changes nothing stores what it loaded
                if (NORM || ROT != kRotNone) {
                    weights(st);
                    float y[8];
                    Oct<T>::unpack(g[u], y);
                    if (NORM) {
                        float ss = 0.f;
#pragma unroll
                        for (int k = 0; k < 8; k++) ss += y[k] * y[k];
#pragma unroll
                        for (int m = LPH / 2; m > 0; m >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, m);
                        const float rs = rsqrtf(ss * (1.0f / HD) + a.epsilon);
#pragma unroll
                        for (int k = 0; k < 8; k++) y[k] = y[k] * rs * w[k];
                    }
                    if (ROT == kRotNeox) {
#pragma unroll
                        for (int k = 0; k < 8; k++) {
                            const float yp = __shfl_sync(0xffffffffu, y[k], partner);
                            if (rotates) y[k] = first ? y[k] * c[k] - yp * sn[k] : y[k] * c[k] + yp * sn[k];
                        }
                    } else if (ROT == kRotGptj && rotates) {
#pragma unroll
                        for (int k = 0; k < 8; k += 2) {
                            const float x1 = y[k], x2 = y[k + 1];
                            y[k] = x1 * c[k] - x2 * sn[k];
                            y[k + 1] = x2 * c[k + 1] + x1 * sn[k + 1];
                        }
                    }
                    if (changes) r = Oct<T>::pack(y);
                }
                if (ok && has_head(st) && touches(st)) __stcs(reinterpret_cast<uint4*>(out_ptr(st)), r);
            }
        }
    }
}

// Whether the wide-lane kernel takes these arguments, and its shape: 16-bit elements, head_dim 64, 128 or
// 256, every head start (in and out) 16-byte aligned, the RMS norm or none, and a rotation whose neox
// partners lie whole lanes apart (rotary_dim a multiple of 16).
inline bool wide_fits(const gf_rope_args& a, WideShape& sh) {
    if (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16) return false;
    if (a.head_dim != 64 && a.head_dim != 128 && a.head_dim != 256) return false;
    if (a.rotary_dim % 16 != 0) return false;
    if (!heads_aligned(a, 2, 16)) return false;
    const int hps = 32 / (a.head_dim / 8);
    sh.q_steps = (a.num_q_heads + hps - 1) / hps;
    sh.k_steps = (a.num_k_heads + hps - 1) / hps;
    const int eb = a.table_dtype == GF_DTYPE_F32 ? 4 : 2;
    const int64_t per = 16 / eb; // table entries per 16 bytes
    sh.vec_table = a.rotary_dim > 0 && a.angle_source == GF_ANGLES_TABLE && !a.interleaved &&
                   reinterpret_cast<uintptr_t>(a.cos) % 16 == 0 && reinterpret_cast<uintptr_t>(a.sin) % 16 == 0 &&
                   a.table_stride[0] % per == 0 && a.table_stride[1] % per == 0;
    return true;
}

template <typename T, int HD, bool NORM, int ROT, bool INV>
void launch_wide_kernel(const RopeLaunch& L, WideShape sh, cudaStream_t stream) {
    auto k = rope_wide_kernel<T, HD, NORM, ROT, INV>;
    static const int64_t resident = resident_blocks(k, kWideThreads, 0);
    const int64_t tokens = L.a.batch * L.a.seq;
    const int total = sh.q_steps + sh.k_steps;
    const int64_t want = resident * kWideWarps;
    // whole tokens once there are enough of them to fill every resident warp, with split ends (config.h,
    // kWideTailPct), else the tokens' steps spread over the warps (a step per warp at decode), rounded up: a
    // grid of 1.6 waves, each warp's chain paid twice, was 18 % slower than one wave of two-step warps (MRope
    // out of place, T = 256, H100)
    const int64_t spi = steps_per_warp(tokens, total, want, /*one_wave=*/true);
    sh.items = plan_items(tokens, total, spi, want, kWideTailPct, kWideTailItems, kWideHeadPct);
    const int warps = spi == total ? 1 : kWideWarps; // whole tokens: 1-warp blocks (kWideWarps)
    const unsigned blocks = blocks_for(sh.items.items, warps);
    launch(k, blocks, 32 * warps, 0, stream, L, sh);
}

template <typename T, bool NORM, int ROT, bool INV = false>
void launch_wide_hd(const RopeLaunch& L, const WideShape& sh, cudaStream_t stream) {
    switch (L.a.head_dim) {
    case 64: launch_wide_kernel<T, 64, NORM, ROT, INV>(L, sh, stream); break;
    case 128: launch_wide_kernel<T, 128, NORM, ROT, INV>(L, sh, stream); break;
    default: launch_wide_kernel<T, 256, NORM, ROT, INV>(L, sh, stream); break;
    }
}

// The angle source as a template argument (INV: from inv_freq): the table path's loads, issued together,
// and the inv_freq path's sincosf in one kernel took more registers than the cap allows, and the spills
// slowed the inv_freq launches by 3 % at 65,536 tokens (H100, 2026-12-07).
template <typename T, bool NORM, int ROT>
void launch_wide_src(const RopeLaunch& L, const WideShape& sh, cudaStream_t stream) {
    if (L.a.angle_source == GF_ANGLES_INV_FREQ) {
        launch_wide_hd<T, NORM, ROT, true>(L, sh, stream);
    } else {
        launch_wide_hd<T, NORM, ROT>(L, sh, stream);
    }
}

template <typename T>
void launch_wide(const RopeLaunch& L, const WideShape& sh, cudaStream_t stream) {
    const int rot = L.a.rotary_dim == 0 ? kRotNone : (L.a.interleaved ? kRotGptj : kRotNeox);
    if (L.a.has_norm) {
        if (rot == kRotNone) launch_wide_hd<T, true, kRotNone>(L, sh, stream);
        else if (rot == kRotNeox) launch_wide_src<T, true, kRotNeox>(L, sh, stream);
        else launch_wide_src<T, true, kRotGptj>(L, sh, stream);
    } else {
        if (rot == kRotNeox) launch_wide_src<T, false, kRotNeox>(L, sh, stream);
        else launch_wide_src<T, false, kRotGptj>(L, sh, stream);
    }
}

} // namespace gf::rope
