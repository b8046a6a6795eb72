// Split-lane path of the rope family. It exists because a profile of the earlier fast paths (rope_fast.cuh,
// rope_tiled.cuh) showed them bound by instruction issue, not memory: 150-195 warp instructions per head, most
// of them integer address arithmetic and the shuffles of the neox partner exchange. Here:
//  - a head of width W (head_dim, or only the rotary dims when nothing else changes) is spread over
//    W / 8 lanes, and each lane holds 4 elements of the first half and the 4 elements W / 2 further on:
//    the neox partner of every element sits in the same lane (no shuffle), gpt-j pairs too, and one
//    warp instruction covers 32 / (W / 8) heads (2 at head_dim 128) instead of one;
//  - Q heads and K heads are visited in separate phases (Q ∪ K as "steps" of 32 / (W / 8) heads), so the
//    weights are 8 registers per phase and a head's address is the phase base plus a step;
//  - a warp takes a whole token (many tokens; the grid's first and last tokens and, without a rotation, all
//    tokens are split finer, so that the first wave ends staggered and the last one evenly) or a few steps
//    of one (decode), issues the loads of U steps together (the first group before the position -> cos /
//    sin chain) and reads the token's angles once for all its steps;
//  - a position outside the table still loads (from row 0) and computes, and only its stores are dropped:
//    the head loads never wait for the position check.
// Every shuffle is reached by all 32 lanes: control flow depends on the item and step only. The tuned
// constants (kSplit*) are in config.h, each with the measurement behind it.
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

struct SplitShape {
    int width;           // W: elements of a head the kernel reads and writes
    int q_steps;         // ceil(num_q_heads / heads per step)
    int k_steps;         // ceil(num_k_heads / heads per step)
    ItemPlan items;      // which token's steps each warp takes (rope_items.cuh)
    int table_keep;       // cos / sin loads evict-last in L2 (table_policy)
    int64_t pos_bytes;    // size of a contiguous positions tensor, prefetched into L2 (0: none)
    int angles;          // kAngles*: how a token's cos / sin reach the lanes
};

constexpr int kSplitThreads = 32 * kSplitWarps;
// __launch_bounds__'s minimum blocks per SM, from the resident warps config.h asks for
constexpr int kSplitMinBlocksNorm = kSplitMinWarpsNorm / kSplitWarps;
constexpr int kSplitMinBlocksRot = kSplitMinWarpsRot / kSplitWarps;
static_assert(kSplitMinBlocksNorm * kSplitWarps == kSplitMinWarpsNorm && kSplitMinBlocksRot * kSplitWarps == kSplitMinWarpsRot,
              "resident warps: a whole number of blocks");

// A head's 8-byte piece, streamed (evict-first).
__device__ __forceinline__ uint2 load_quad(const void* p) { return __ldcs(reinterpret_cast<const uint2*>(p)); }

// cos / sin table loads carry an L2 policy: evict-last by default, so that the table (reused by every
// token and, in a model, by every layer) outlives the streamed Q / K lines, which are loaded and stored
// evict-first. A build with GF_TABLE_EVICT_LAST=0 makes it evict-normal (config.h).
__device__ __forceinline__ uint64_t table_policy(bool keep) {
    uint64_t pol;
    if (keep) {
        asm volatile("createpolicy.fractional.L2::evict_last.b64 %0, 1.0;" : "=l"(pol));
    } else {
        asm volatile("createpolicy.fractional.L2::evict_normal.b64 %0, 1.0;" : "=l"(pol));
    }
    return pol;
}
// Entries [e, e + 4) of a table of element type E as fp32, one vector load (16 bytes of fp32, 8 of a 16-bit
// type) with the policy.
template <typename E> __device__ __forceinline__ void load_table4(const void* t, int64_t e, uint64_t pol, float* out) {
    if constexpr (sizeof(E) == 4) {
        asm volatile("ld.global.nc.L2::cache_hint.v4.f32 {%0, %1, %2, %3}, [%4], %5;"
                     : "=f"(out[0]), "=f"(out[1]), "=f"(out[2]), "=f"(out[3])
                     : "l"(static_cast<const float*>(t) + e), "l"(pol));
    } else {
        uint2 v;
        asm volatile("ld.global.nc.L2::cache_hint.v2.u32 {%0, %1}, [%2], %3;"
                     : "=r"(v.x), "=r"(v.y) : "l"(static_cast<const E*>(t) + e), "l"(pol));
        Quad<E>::unpack(v, out);
    }
}
// Entry i of a table of element type E as fp32: fp32 with the policy, 16-bit (half the bytes) left to the
// default one.
template <typename E> __device__ __forceinline__ float load_table(const void* p, int64_t i, uint64_t pol) {
    if constexpr (sizeof(E) == 4) {
        float v;
        asm volatile("ld.global.nc.L2::cache_hint.f32 %0, [%1], %2;" : "=f"(v) : "l"(static_cast<const float*>(p) + i), "l"(pol));
        return v;
    } else {
        return load_as_f32<E>(p, i);
    }
}

// How the split kernel gets a token's angles: a table with one row per token (not MRoPE's three) as vector
// loads of 4 entries a chunk; any other table entry by entry into registers; inv_freq through shared memory.
constexpr int kAnglesVec = 0, kAnglesTable = 1, kAnglesInvFreq = 2;

// One phase (the Q heads or the K heads of a token): its pointers, already offset to the lane's head of
// step 0 and to the lane's first chunk, and how far a step moves them.
template <typename T> struct Phase {
    const T* in;
    T* out;
    int64_t in_step, out_step; // elements per step: heads-per-step x head stride
    int heads;
};

// The U steps' loads of one group, issued together.
template <int U> struct Group {
    uint2 a[U], b[U];
};

template <typename T, int W, int U>
__device__ __forceinline__ void load_group(const T* in, int64_t in_step, int heads, int s, int s_end, int sub,
                                           Group<U>& g) {
    constexpr int HPS = 32 / (W / 8);
#pragma unroll
    for (int u = 0; u < U; u++) {
        g.a[u] = g.b[u] = make_uint2(0, 0);
        // a partial last step leaves some lanes without a head: they neither load nor store
        if (s + u < s_end && (s + u) * HPS + sub < heads) {
            const T* p = in + (s + u) * in_step;
            g.a[u] = load_quad(p);
            g.b[u] = load_quad(p + W / 2);
        }
    }
}

template <typename T, int W, bool NORM, int ROT, int U>
__device__ __forceinline__ void compute_group(const Phase<T>& ph, int s, int s_end, int sub, const Group<U>& g,
                                              const float (&w)[8], const float (&c)[8], const float (&sn)[8],
                                              float eps, bool store) {
    constexpr int LPH = W / 8;
    constexpr int HPS = 32 / LPH;
#pragma unroll
    for (int u = 0; u < U; u++) {
        if (s + u >= s_end) break; // uniform: every lane reaches the shuffles below
        float y[8];
        Quad<T>::unpack(g.a[u], y);
        Quad<T>::unpack(g.b[u], y + 4);
        if (NORM) {
            float ss = 0.f;
#pragma unroll
            for (int e = 0; e < 8; e++) ss += y[e] * y[e];
#pragma unroll
            for (int m = LPH / 2; m > 0; m >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, m);
            const float r = rsqrtf(ss * (1.0f / W) + eps);
#pragma unroll
            for (int e = 0; e < 8; e++) y[e] = y[e] * r * w[e];
        }
        float o[8];
        if (rot_neox(ROT)) {
            constexpr int B = ROT == kRotNeoxHalf ? 0 : 4; // where chunk b's angles are
#pragma unroll
            for (int e = 0; e < 4; e++) {
                o[e] = y[e] * c[e] - y[4 + e] * sn[e];
                o[4 + e] = y[4 + e] * c[B + e] + y[e] * sn[B + e];
            }
        } else if (ROT == kRotGptj) {
#pragma unroll
            for (int e = 0; e < 8; e += 2) {
                o[e] = y[e] * c[e] - y[e + 1] * sn[e];
                o[e + 1] = y[e + 1] * c[e + 1] + y[e] * sn[e + 1];
            }
        } else {
#pragma unroll
            for (int e = 0; e < 8; e++) o[e] = y[e];
        }
        if (store && (s + u) * HPS + sub < ph.heads) {
            T* p = ph.out + (s + u) * ph.out_step;
            __stcs(reinterpret_cast<uint2*>(p), Quad<T>::pack(o));
            __stcs(reinterpret_cast<uint2*>(p + W / 2), Quad<T>::pack(o + 4));
        }
    }
}

// A token's cos / sin for the lane's 8 elements ([0, 4) of chunk a at oa, [4, 8) of chunk b at ob), from
// the source sh.angles names; cs / ss are the warp's W-float staging rows (inv_freq only). Returns whether
// the token's positions lie in range (if not, the angles come from row 0 and must not be stored).
template <int W, int ROT>
__device__ __forceinline__ bool token_angles(const RopeLaunch& L, int angles, bool keep, int64_t b, int64_t s, int lane, int oa,
                                             float* cs, float* ss, float (&c)[8], float (&sn)[8]) {
    constexpr int HALF = W / 2;
    const gf_rope_args& a = L.a;
    const int ob = oa + HALF;
    if (ROT == kRotNone) {
#pragma unroll
        for (int e = 0; e < 8; e++) c[e] = 1.f, sn[e] = 0.f;
        return true;
    }
    Pos p;
    fetch_positions(L, b, s, p);
    const bool ok = positions_in_range(L, p);
    if (!ok) p = Pos{0, 0, 0}; // computed from row 0, never stored
    const int64_t token_row = b * a.table_stride[0] + s * a.table_stride[1];
    if (angles == kAnglesVec) {
        // chunk a's 4 entries start at oa; chunk b's at ob, or (a half-width neox row) they are chunk a's
        const int64_t row = a.position_rows == 0 ? token_row : p.t * a.table_stride[1];
        const uint64_t pol = table_policy(keep);
        with_float_type(a.table_dtype, [&](auto tag) {
            using E = typename decltype(tag)::type;
            load_table4<E>(a.cos, row + oa, pol, c);
            load_table4<E>(a.sin, row + oa, pol, sn);
            if (ROT != kRotNeoxHalf) {
                load_table4<E>(a.cos, row + ob, pol, c + 4);
                load_table4<E>(a.sin, row + ob, pol, sn + 4);
            }
        });
        if (ROT == kRotNeoxHalf) {
#pragma unroll
            for (int e = 0; e < 4; e++) c[4 + e] = c[e], sn[4 + e] = sn[e];
        }
    } else if (angles == kAnglesTable) {
        // straight from the table into registers, an entry per element (its own position row for
        // MRoPE); a half-width neox table gives chunk b the entries of chunk a
        const bool shared = ROT == kRotNeoxHalf || (ROT == kRotNeox && a.table_width != a.rotary_dim);
        const uint64_t pol = table_policy(keep);
        // a chunk's 8 loads issued together (dtype.cuh); both chunks' 16 at once spilled (28 bytes, against 16 a
        // chunk at a time, in the full-width neox kernel with a norm)
#pragma unroll
        for (int e0 = 0; e0 < 8; e0 += 4) {
            if (e0 == 4 && shared) {
#pragma unroll
                for (int e = 4; e < 8; e++) c[e] = c[e - 4], sn[e] = sn[e - 4];
                break;
            }
            with_float_type(a.table_dtype, [&](auto tag) {
                using E = typename decltype(tag)::type;
#pragma unroll
                for (int e = e0; e < e0 + 4; e++) {
                    const int i = e < 4 ? oa + e : ob + e - 4;
                    const int64_t ent = table_entry(a, i, ROT == kRotGptj ? i >> 1 : (i < HALF ? i : i - HALF), p, token_row);
                    c[e] = load_table<E>(a.cos, ent, pol);
                    sn[e] = load_table<E>(a.sin, ent, pol);
                }
            });
        }
    } else {
        // inv_freq: the warp computes the entries once into shared memory, a lane W / 32 of them, so
        // that little else is live while the accurate sincosf runs
        __syncwarp(); // the previous item's reads are done
        if (rot_neox(ROT) && a.table_width != a.rotary_dim) {
            // a half-width source: element j and j + W / 2 share frequency j and its entry
            for (int j = lane; j < HALF; j += 32) {
                angle(a, j, j, p, token_row, cs[j], ss[j]);
                cs[j + HALF] = cs[j];
                ss[j + HALF] = ss[j];
            }
        } else {
            for (int i = lane; i < W; i += 32) {
                const int j = ROT == kRotGptj ? i >> 1 : (i < HALF ? i : i - HALF);
                angle(a, i, j, p, token_row, cs[i], ss[i]);
            }
        }
        __syncwarp();
        const float4 ca = *reinterpret_cast<const float4*>(cs + oa), cb = *reinterpret_cast<const float4*>(cs + ob);
        const float4 sa = *reinterpret_cast<const float4*>(ss + oa), sb = *reinterpret_cast<const float4*>(ss + ob);
        c[0] = ca.x, c[1] = ca.y, c[2] = ca.z, c[3] = ca.w, c[4] = cb.x, c[5] = cb.y, c[6] = cb.z, c[7] = cb.w;
        sn[0] = sa.x, sn[1] = sa.y, sn[2] = sa.z, sn[3] = sa.w, sn[4] = sb.x, sn[5] = sb.y, sn[6] = sb.z, sn[7] = sb.w;
    }
    return ok;
}

template <typename T, int W, bool NORM, int ROT>
__global__ void __launch_bounds__(kSplitThreads, NORM ? kSplitMinBlocksNorm : kSplitMinBlocksRot) rope_split_kernel(const __grid_constant__ RopeLaunch L, const SplitShape sh) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int LPH = W / 8;    // lanes per head
    constexpr int HPS = 32 / LPH; // heads per step
    constexpr int HALF = W / 2;
    constexpr int U = kSplitUnroll;
    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int sub = lane / LPH;      // which head of the step
    const int oa = 4 * (lane % LPH); // the lane's two chunks: [oa, oa + 4) and [oa + HALF, oa + HALF + 4)
    const int ob = oa + HALF;
    const int qs = sh.q_steps;

    // w + weight_offset of Q (row 0) and K (row 1), staged once per block
    __shared__ __align__(16) float wsm[NORM ? 2 : 1][W];
    __shared__ __align__(16) float ang[ROT != kRotNone ? kSplitWarps : 1][2][W]; // per-warp cos / sin (see below)
    if (NORM) {
        // a tensor without heads may come without a weight (validate.cpp)
        const bool qw = a.num_q_heads > 0, kw = a.num_k_heads > 0;
        with_float_type(a.weight_dtype, [&](auto tag) { // Q's and K's loads issued together (dtype.cuh)
            using E = typename decltype(tag)::type;
            for (int i = threadIdx.x; i < W; i += kSplitThreads) {
                wsm[0][i] = qw ? load_as_f32<E>(a.q_weight, i) + a.weight_offset : 0.f;
                wsm[NORM ? 1 : 0][i] = kw ? load_as_f32<E>(a.k_weight, i) + a.weight_offset : 0.f;
            }
        });
        __syncthreads();
    }

    // the grid's first threads pull the positions (contiguous, a few hundred KB at most) into L2, so that
    // the position -> cos / sin chain of every later block starts with an L2 hit
    if (sh.pos_bytes > 0) {
        // every 128-byte line the tensor touches (+ 1: its base need not be aligned), each address inside
        // it (the last one clamped to its last byte)
        const int64_t line = static_cast<int64_t>(blockIdx.x) * kSplitThreads + threadIdx.x;
        if (line <= (sh.pos_bytes + 127) / 128) {
            const int64_t off = line * 128 < sh.pos_bytes ? line * 128 : sh.pos_bytes - 1;
            asm volatile("prefetch.global.L2 [%0];" ::"l"(static_cast<const char*>(a.positions) + off));
        }
    }
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kSplitWarps;
    for (int64_t item = static_cast<int64_t>(blockIdx.x) * kSplitWarps + warp; item < sh.items.items; item += stride) {
        int64_t tok;
        int lo, hi;
        sh.items.locate(item, tok, lo, hi);
        int64_t b = 0, s = tok;
        if (a.batch > 1) {
            b = div_index(tok, a.seq);
            s = tok - b * a.seq;
        }
        // the item's steps of each phase: Q steps [q0, q1), K steps [k0, k1)
        const int q0 = lo, q1 = min(hi, qs);
        const int k0 = max(lo, qs) - qs, k1 = hi - qs;

        // a phase's pointers are built where the phase starts, so that few registers stay live across the
        // angle code (the token's b and s are all it needs)
        auto make_phase = [&](bool q) {
            Phase<T> ph;
            if (q) {
                ph.in = static_cast<const T*>(a.q) + b * a.q_stride[0] + s * a.q_stride[1] + sub * a.q_stride[2] + oa;
                ph.out = static_cast<T*>(a.q_out) + b * a.q_out_stride[0] + s * a.q_out_stride[1] + sub * a.q_out_stride[2] + oa;
                ph.in_step = HPS * a.q_stride[2];
                ph.out_step = HPS * a.q_out_stride[2];
                ph.heads = a.num_q_heads;
            } else {
                ph.in = static_cast<const T*>(a.k) + b * a.k_stride[0] + s * a.k_stride[1] + sub * a.k_stride[2] + oa;
                ph.out = static_cast<T*>(a.k_out) + b * a.k_out_stride[0] + s * a.k_out_stride[1] + sub * a.k_out_stride[2] + oa;
                ph.in_step = HPS * a.k_stride[2];
                ph.out_step = HPS * a.k_out_stride[2];
                ph.heads = a.num_k_heads;
            }
            return ph;
        };

        // the first group's loads go out before the position -> cos / sin chain below waits on anything. With a
        // norm, both phases' pointers are built here too, before the chain's stall, where that work is free
        // (QkNormRope 353 us against 364 building them where each phase starts); a rotation alone builds
        // each where its phase starts
        constexpr bool eager = NORM;
        Phase<T> eq{}, ek{};
        if (eager) {
            eq = make_phase(true);
            ek = make_phase(false);
        }
        Group<U> g;
        {
            const bool q_first = q0 < q1;
            if (eager) {
                load_group<T, W, U>(q_first ? eq.in : ek.in, q_first ? eq.in_step : ek.in_step,
                                    q_first ? eq.heads : ek.heads, q_first ? q0 : k0, q_first ? q1 : k1, sub, g);
            } else {
                const Phase<T> ph = make_phase(q_first);
                load_group<T, W, U>(ph.in, ph.in_step, ph.heads, q_first ? q0 : k0, q_first ? q1 : k1, sub, g);
            }
        }

        // cos / sin of the lane's 8 elements: [0, 4) for chunk a, [4, 8) for chunk b
        float c[8], sn[8];
        const bool ok = token_angles<W, ROT>(L, sh.angles, sh.table_keep != 0, b, s, lane, oa, ang[ROT != kRotNone ? warp : 0][0],
                                             ang[ROT != kRotNone ? warp : 0][1], c, sn);
        if (!ok && lane == 0 && lo == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE);

        bool preloaded = true;
        float w[8];
        if (q0 < q1) {
            const Phase<T> pq = eager ? eq : make_phase(true);
            if (NORM) {
                const float4 wa = *reinterpret_cast<const float4*>(wsm[0] + oa), wb = *reinterpret_cast<const float4*>(wsm[0] + ob);
                w[0] = wa.x, w[1] = wa.y, w[2] = wa.z, w[3] = wa.w, w[4] = wb.x, w[5] = wb.y, w[6] = wb.z, w[7] = wb.w;
            }
            for (int st = q0; st < q1; st += U) {
                if (!preloaded) load_group<T, W, U>(pq.in, pq.in_step, pq.heads, st, q1, sub, g);
                preloaded = false;
                compute_group<T, W, NORM, ROT, U>(pq, st, q1, sub, g, w, c, sn, a.epsilon, ok);
            }
        }
        if (k0 < k1) {
            const Phase<T> pk = eager ? ek : make_phase(false);
            if (NORM) {
                const float* wk = wsm[NORM ? 1 : 0];
                const float4 wa = *reinterpret_cast<const float4*>(wk + oa), wb = *reinterpret_cast<const float4*>(wk + ob);
                w[0] = wa.x, w[1] = wa.y, w[2] = wa.z, w[3] = wa.w, w[4] = wb.x, w[5] = wb.y, w[6] = wb.z, w[7] = wb.w;
            }
            for (int st = k0; st < k1; st += U) {
                if (!preloaded) load_group<T, W, U>(pk.in, pk.in_step, pk.heads, st, k1, sub, g);
                preloaded = false;
                compute_group<T, W, NORM, ROT, U>(pk, st, k1, sub, g, w, c, sn, a.epsilon, ok);
            }
        }
    }
}

// Whether the split-lane kernel takes these arguments, and its shape. W is head_dim when the whole head
// changes (a norm, no rotation, or a full-width rotation), or rotary_dim when only the rotary dims change
// (a rotation without a norm; out of place, rope_pass_through.cuh copies the other dims); a partial
// rotation of a normed head is left to the other paths.
inline bool split_fits(const gf_rope_args& a, SplitShape& sh) {
    if (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16) return false;
    int w;
    if (a.rotary_dim == 0 || a.rotary_dim == a.head_dim) {
        w = a.head_dim;
    } else if (!a.has_norm) {
        w = a.rotary_dim;
    } else {
        return false;
    }
    if (w != 64 && w != 128 && w != 256) return false;
    if (!heads_aligned(a, 2, 8)) return false;
    const int hps = 32 / (w / 8);
    sh.width = w;
    sh.q_steps = (a.num_q_heads + hps - 1) / hps;
    sh.k_steps = (a.num_k_heads + hps - 1) / hps;
    // vector loads of 4 entries: one row per token, entries consecutive within a chunk (not a half-width
    // gpt-j row, whose 4 elements share 2 entries), rows aligned for the access
    const int entry_bytes = a.table_dtype == GF_DTYPE_F32 ? 4 : 2;
    auto aligned = [&](const void* p) { return reinterpret_cast<uintptr_t>(p) % (4 * entry_bytes) == 0; };
    const bool vec = a.rotary_dim > 0 && a.angle_source == GF_ANGLES_TABLE && a.position_rows <= 1 &&
                     (!a.interleaved || a.table_width == a.rotary_dim) && aligned(a.cos) && aligned(a.sin) &&
                     a.table_stride[0] % 4 == 0 && a.table_stride[1] % 4 == 0;
    sh.angles = vec ? kAnglesVec : (a.angle_source == GF_ANGLES_TABLE ? kAnglesTable : kAnglesInvFreq);
    return true;
}

// Bytes of the positions tensor when it is one contiguous block (rows x batch x seq), else 0.
inline int64_t contiguous_position_bytes(const gf_rope_args& a) {
    const int64_t n = a.batch * a.seq, rows = a.position_rows;
    const bool contiguous = rows > 0 && a.rotary_dim > 0 && a.position_stride[2] == 1 &&
                            (a.batch == 1 || a.position_stride[1] == a.seq) && (rows == 1 || a.position_stride[0] == n);
    return contiguous ? rows * n * (a.position_dtype == GF_DTYPE_I32 ? 4 : 8) : 0;
}

template <typename T, int W, bool NORM, int ROT>
void launch_split_kernel(const RopeLaunch& L, SplitShape sh, cudaStream_t stream) {
    auto k = rope_split_kernel<T, W, NORM, ROT>;
    // once per instantiation (a thread-safe static)
    static const int64_t resident = resident_blocks(k, kSplitThreads, 0);
    // Enough warps for every SM: a warp takes a whole token when there are many tokens (angles read once
    // per token), a few steps of one when there are few (decode: a step per warp).
    const int64_t tokens = L.a.batch * L.a.seq;
    const int total = sh.q_steps + sh.k_steps;
    const int64_t want = resident * kSplitWarps;
    // at least a token per warp: without a rotation, split further until each warp has several items (not
    // below that: at a few tokens per warp, one-step items measured 1.6x slower)
    constexpr int rounds = ROT == kRotNone ? kSplitRoundsNoRot : kSplitRoundsRot;
    const int64_t spi = steps_per_warp(tokens, total, rounds > 0 && tokens >= want ? want * rounds : want);
    sh.items = plan_items(tokens, total, spi, want, kSplitTailPct, kSplitTailItems, NORM ? kSplitHeadPct : kSplitHeadPctRot);
    sh.table_keep = kTableEvictLast ? 1 : 0;
    // many tokens only: a decode launch reads its few positions once anyway
    sh.pos_bytes = tokens >= want ? contiguous_position_bytes(L.a) : 0;
    const int64_t need = (sh.items.items + kSplitWarps - 1) / kSplitWarps;
    const unsigned blocks = static_cast<unsigned>(need < kMaxBlocks ? need : kMaxBlocks);
    launch(k, blocks, kSplitThreads, 0, stream, L, sh);
}

template <typename T, bool NORM, int ROT>
void launch_split_w(const RopeLaunch& L, const SplitShape& sh, cudaStream_t stream) {
    switch (sh.width) {
    case 64: launch_split_kernel<T, 64, NORM, ROT>(L, sh, stream); break;
    case 128: launch_split_kernel<T, 128, NORM, ROT>(L, sh, stream); break;
    default: launch_split_kernel<T, 256, NORM, ROT>(L, sh, stream); break;
    }
}

// The rotation kind, for a kernel with or without the norm.
template <typename T, bool NORM>
void launch_split_rot(const RopeLaunch& L, const SplitShape& sh, cudaStream_t stream) {
    // a half-width table (or inv_freq, staged as one) gives both chunks of a lane the same angles
    const bool half = L.a.angle_source != GF_ANGLES_TABLE || 2 * L.a.table_width == L.a.rotary_dim;
    if (L.a.interleaved != 0) {
        launch_split_w<T, NORM, kRotGptj>(L, sh, stream);
    } else if (half) {
        launch_split_w<T, NORM, kRotNeoxHalf>(L, sh, stream);
    } else {
        launch_split_w<T, NORM, kRotNeox>(L, sh, stream);
    }
}

template <typename T>
void launch_split(const RopeLaunch& L, const SplitShape& sh, cudaStream_t stream) {
    if (L.a.rotary_dim == 0) {
        launch_split_w<T, true, kRotNone>(L, sh, stream);
    } else if (L.a.has_norm) {
        launch_split_rot<T, true>(L, sh, stream);
    } else {
        launch_split_rot<T, false>(L, sh, stream);
    }
}

} // namespace gf::rope
