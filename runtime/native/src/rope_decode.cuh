// Decode path of the rope family: a launch of few (token, head) items, such as one decode step, with or
// without a rotation. Such a launch moves a few kilobytes; its time is the length of one warp's dependent
// chain, not bandwidth. Nsight Compute on an H100 (2026-12-07, T = 1) put the time of the general-purpose
// kernels at these sizes into that chain's length: 800 instructions a warp for Qwen3.5's MRoPE, a load
// converted in its own branch arm before the next one was issued, misses of the constant cache on the
// 368-byte gf_rope_args read field by field, 64-bit index arithmetic and divisions. So this kernel:
//  - takes an argument block of its own (DecodeArgs, 216 bytes) that the host derives once: a token stride
//    per tensor instead of (batch, seq) strides and the divisions they need, 32-bit offsets where the host
//    has checked that they fit, the rotation's constants;
//  - is specialised on what its instructions depend on (element type, head size, norm, rotation kind, angle
//    source), so each instantiation is a short straight line;
//  - issues its loads in the order of the chain they start: positions (then table entries) first, the head
//    and the norm weights next, and converts nothing before all of them are out;
//  - runs one warp per (token, head), two-warp blocks: the grid is sized for the heads, no loop, no pipeline.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "row_norm.cuh"
#include "vec.cuh"

namespace gf::rope {

constexpr int kDecodeWarps = 2;
constexpr int kDecodeThreads = 32 * kDecodeWarps;

// One tensor's addressing at decode: element (token t, head h, i) is at base + t * tok + h * head + i.
struct DecodeTensor {
    const void* in;
    void* out;
    int64_t tok, out_tok;
    int32_t head, out_head;
};

struct DecodeArgs {
    DecodeTensor q, k;
    const void* q_weight;
    const void* k_weight;
    const void* cos; // the table, or inv_freq (float) with INV
    const void* sin;
    const void* positions;
    int32_t* status;
    int64_t table_tok;   // no positions: the table row of token t is t * table_tok
    int64_t pos_tok;     // positions: token t's T row entry is positions[t * pos_tok] ...
    int64_t pos_axis;    // ... and its H / W entries pos_axis and 2 * pos_axis further
    int64_t max_position; // positions must lie in [0, max_position); 0 = unchecked
    int32_t heads;       // num_q_heads + num_k_heads
    int32_t num_q_heads;
    int32_t rot;         // rotary_dim
    int32_t table_row;   // positions: row p starts at p * table_row (32 bits: checked on the host)
    int32_t section1_end, section2_end; // MRoPE: chunked, the first frequency of H and of W; interleaved:
                                        // 3 * section[1] and 3 * section[2]
    int8_t table_dtype, weight_dtype, position_dtype;
    int8_t position_rows;  // 0, 1 or 3
    int8_t mrope_interleaved;
    int8_t full_table;     // the table holds an entry per element (width rotary_dim), not per frequency
    int8_t q_idle, k_idle; // in place without a norm: lanes past the rotary dims neither load nor store
    int8_t slots;          // inv_freq: frequencies a lane computes for the warp (rope_decode_kernel)
    int32_t held;          // inv_freq: frequencies in all (rotary_dim / 2)
    float epsilon, weight_offset, attention_scaling;
};

// Which position row frequency j takes (0 = T, 1 = H, 2 = W), as mrope_axis in rope_common.cuh, without a
// branch: a branch between two table loads puts the first one's conversion before the second one's issue.
__device__ __forceinline__ int decode_axis(const DecodeArgs& a, int j) {
    const int m = j % 3;
    const int interleaved = (m == 1 && j < a.section1_end) ? 1 : ((m == 2 && j < a.section2_end) ? 2 : 0);
    const int chunked = static_cast<int>(j >= a.section1_end) + static_cast<int>(j >= a.section2_end);
    return a.mrope_interleaved ? interleaved : chunked;
}

// The lane layout. RE = 0: lane l holds elements [l * EPL, (l + 1) * EPL) of the head, one vector access.
// RE > 0 (a neox rotation of rotary_dim = 32 * RE dims, less than the head): lane l holds rotary elements
// [l * RE, (l + 1) * RE) and EPL - RE of the others, from 32 * RE + l * (EPL - RE). Every lane then rotates
// RE elements, where the first layout gives a lane EPL of them and leaves the others idle: for Qwen3.5's
// MRoPE (64 of 256 dims) 2 angle entries on a lane's critical path instead of 8. In place without a norm the
// other elements are neither read nor written.
template <typename T, int HD, bool NORM, int ROT, bool INV, int RE = 0>
__global__ void __launch_bounds__(kDecodeThreads) rope_decode_kernel(const __grid_constant__ DecodeArgs a) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = HD / 32;
    constexpr int SMAX = HD / 64; // frequencies a lane may compute for the warp (rotary_dim <= HD)
    constexpr bool SPLIT = RE > 0;
    constexpr int NA = SPLIT ? RE : EPL; // elements a rotating lane rotates
    constexpr int PE = EPL - RE;         // SPLIT: the lane's other elements (an even count: 32-bit words)
    static_assert(!SPLIT || (ROT == kRotNeox && RE % 2 == 0 && PE % 2 == 0 && PE > 0), "split layout");
    using P = Packed<T, EPL>;
    // the grid: x over the heads (kDecodeWarps a block), y over the tokens, so no division finds the item
    const int tok = blockIdx.y;
    const int h = static_cast<int>(blockIdx.x) * kDecodeWarps + static_cast<int>(threadIdx.x >> 5);
    if (h >= a.heads) return; // a whole warp: the shuffles below are reached by all 32 lanes or none
    const int lane = threadIdx.x & 31;
    const bool is_q = h < a.num_q_heads;
    const int hh = is_q ? h : h - a.num_q_heads;
    const int i0 = lane * EPL;
    const int r0 = SPLIT ? lane * RE : i0; // the lane's first rotary element
    const bool rotates = ROT != kRotNone && (SPLIT || i0 < a.rot);
    const int half = a.rot >> 1;
    // the lane's first frequency (its elements lie in one half of the rotary dims: fast_path_fits)
    const int j0 = ROT == kRotGptj ? r0 >> 1 : (r0 < half ? r0 : r0 - half);
    // element k's frequency, and its table entry (a full-width table has one per element)
    auto freq = [&](int k) { return ROT == kRotGptj ? (r0 + k) >> 1 : j0 + k; };
    auto entry = [&](int k) { return a.full_table ? r0 + k : freq(k); };
    // the head element lane's value k is
    auto elem = [&](int k) { return !SPLIT ? i0 + k : (k < RE ? r0 + k : RE * 32 + lane * PE + (k - RE)); };
    // 1. positions: the head of the longest chain (position -> table entry -> rotation)
    int64_t pt = 0, ph = 0, pw = 0;
    if (ROT != kRotNone && a.position_rows > 0) {
        with_index_type(a.position_dtype, [&](auto tag) {
            using E = typename decltype(tag)::type;
            const E* p = static_cast<const E*>(a.positions) + tok * a.pos_tok;
            pt = p[0];
            ph = pw = pt;
            if (a.position_rows == 3) {
                ph = p[a.pos_axis];
                pw = p[2 * a.pos_axis];
            }
        });
    }
    // inv_freq entries do not depend on the positions
    float f[SMAX];
    if (INV) {
#pragma unroll
        for (int k = 0; k < SMAX; k++) {
            const int e = k * 32 + lane;
            f[k] = k < a.slots && e < a.held ? static_cast<const float*>(a.cos)[e] : 0.f;
        }
    }

    // 2. the head and the norm weights (their bits: converted once the angles' loads are out)
    const void* in = is_q ? a.q.in : a.k.in;
    const int64_t in_tok = is_q ? a.q.tok : a.k.tok;
    const int in_head = is_q ? a.q.head : a.k.head;
    // in place without a norm, values that do not rotate are neither read nor written: the whole lane in the
    // first layout, the other elements in the split one
    const bool keep = !NORM && (is_q ? a.q_idle : a.k_idle);
    const bool idle = keep && !rotates;
    const T* src = static_cast<const T*>(in) + tok * in_tok + hh * in_head;
    P x;
    x.v = typename P::V{};
    if constexpr (SPLIT) {
        using R = Packed<T, RE>;
        R xr;
        xr.v = *reinterpret_cast<const typename R::V*>(src + r0);
#pragma unroll
        for (int k = 0; k < RE; k++) x.e[k] = xr.e[k];
        if (!keep) {
            const uint32_t* sp = reinterpret_cast<const uint32_t*>(src + RE * 32 + lane * PE);
#pragma unroll
            for (int k = 0; k < PE / 2; k++) {
                const uint32_t wv = sp[k];
                x.e[RE + 2 * k] = reinterpret_cast<const T*>(&wv)[0];
                x.e[RE + 2 * k + 1] = reinterpret_cast<const T*>(&wv)[1];
            }
        }
    } else if (!idle) {
        x.v = *reinterpret_cast<const typename P::V*>(src + i0);
    }
    uint32_t wb[EPL];
    if (NORM) {
        with_float_type(a.weight_dtype, [&](auto tag) {
            using E = typename decltype(tag)::type;
            const E* wp = static_cast<const E*>(is_q ? a.q_weight : a.k_weight);
#pragma unroll
            for (int e = 0; e < EPL; e++) wb[e] = bits_of<E>(wp[elem(e)]);
        });
    }

    // 3. the angles
    float c[EPL], s[EPL];
#pragma unroll
    for (int k = 0; k < EPL; k++) c[k] = 1.f, s[k] = 0.f;
    if (ROT != kRotNone) {
        // every row checked, also one no frequency uses: a bad row means bad input either way
        const bool ok = a.position_rows == 0 || a.max_position == 0 ||
                        (static_cast<uint64_t>(pt) < static_cast<uint64_t>(a.max_position) &&
                         static_cast<uint64_t>(ph) < static_cast<uint64_t>(a.max_position) &&
                         static_cast<uint64_t>(pw) < static_cast<uint64_t>(a.max_position));
        if (!ok) {
            if (lane == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE); // the token's outputs stay unwritten
            return; // the whole warp (one token): no shuffle below is left waiting
        }
        auto pos_of = [&](int j) {
            if (a.position_rows != 3) return pt;
            const int ax = decode_axis(a, j);
            return ax == 0 ? pt : (ax == 1 ? ph : pw);
        };
        float hc[SMAX], hs[SMAX];
        if constexpr (INV) {
            // inv_freq: lane l computes the angles of frequencies l, l + 32, ... (a.slots of them), and every
            // lane gathers its own by shuffles: one sincosf a lane for Qwen3.5's MRoPE (rot 64 of 256), where
            // a lane's own 8 frequencies were 8 sincosf on the critical path of the 8 lanes that rotate
#pragma unroll
            for (int k = 0; k < SMAX; k++) {
                float sn = 0.f, cs = 1.f;
                if (k < a.slots) sincosf(static_cast<float>(pos_of(k * 32 + lane)) * f[k], &sn, &cs); // accurate
                hc[k] = cs * a.attention_scaling;
                hs[k] = sn * a.attention_scaling;
            }
        } else {
            with_float_type(a.table_dtype, [&](auto tag) {
                using E = typename decltype(tag)::type;
                const E* cb = static_cast<const E*>(a.cos);
                const E* sb = static_cast<const E*>(a.sin);
                // positions index a table of max_position rows: 32-bit offsets (the host checks they fit)
                auto row_of = [&](int j) { return static_cast<int>(pos_of(j)) * a.table_row; };
                if (rotates && a.position_rows == 3) {
#pragma unroll
                    for (int k = 0; k < NA; k++) {
                        const int o = row_of(freq(k)) + entry(k);
                        c[k] = to_f32(cb[o]);
                        s[k] = to_f32(sb[o]);
                    }
                } else if (rotates) { // one row: consecutive entries
                    const int64_t row = a.position_rows == 0 ? tok * a.table_tok : static_cast<int64_t>(row_of(0));
#pragma unroll
                    for (int k = 0; k < NA; k++) {
                        c[k] = to_f32(cb[row + entry(k)]);
                        s[k] = to_f32(sb[row + entry(k)]);
                    }
                }
            });
        }
        if (INV) {
#pragma unroll
            for (int k = 0; k < NA; k++) {
                const int n = freq(k);
#pragma unroll
                for (int m = 0; m < SMAX; m++) {
                    if (m >= a.slots) break; // uniform: every lane shuffles
                    const float cv = __shfl_sync(0xffffffffu, hc[m], n & 31);
                    const float sv = __shfl_sync(0xffffffffu, hs[m], n & 31);
                    if ((n >> 5) == m) c[k] = cv, s[k] = sv;
                }
            }
        }
    }

    // 4. the math and the store
    float wt[EPL];
    if (NORM) {
        with_float_type(a.weight_dtype, [&](auto tag) {
            using E = typename decltype(tag)::type;
#pragma unroll
            for (int e = 0; e < EPL; e++) wt[e] = f32_of_bits<E>(wb[e]) + a.weight_offset;
        });
    }
    float y[EPL];
    if constexpr (SPLIT) {
#pragma unroll
        for (int e = 0; e < EPL; e++) y[e] = to_f32(x.e[e]);
    } else {
        unpack_vec<T>(x, y);
    }
    if (NORM) rms_scale<HD>(y, wt, a.epsilon);
    if (ROT == kRotNeox) {
        const int off = half / NA; // the partner lane's distance (a power of two: fast_path_fits, decode_fits)
        const bool first = (lane & off) == 0;
#pragma unroll
        for (int e = 0; e < NA; e++) {
            const float yp = __shfl_xor_sync(0xffffffffu, y[e], off);
            if (rotates) y[e] = first ? y[e] * c[e] - yp * s[e] : y[e] * c[e] + yp * s[e];
        }
    } else if (ROT == kRotGptj && rotates) {
#pragma unroll
        for (int e = 0; e < EPL; e += 2) {
            const float x1 = y[e], x2 = y[e + 1];
            y[e] = x1 * c[e] - x2 * s[e];
            y[e + 1] = x2 * c[e + 1] + x1 * s[e + 1];
        }
    }
    if (idle) return;
    void* out = is_q ? a.q.out : a.k.out;
    const int64_t out_tok = is_q ? a.q.out_tok : a.k.out_tok;
    const int out_head = is_q ? a.q.out_head : a.k.out_head;
    T* dst = static_cast<T*>(out) + tok * out_tok + hh * out_head;
    P r;
    if constexpr (SPLIT) {
#pragma unroll
        for (int e = 0; e < EPL; e++) r.e[e] = from_f32<T>(y[e]);
        using R = Packed<T, RE>;
        R rr;
#pragma unroll
        for (int k = 0; k < RE; k++) rr.e[k] = r.e[k];
        *reinterpret_cast<typename R::V*>(dst + r0) = rr.v;
        if (!keep) {
            uint32_t* dp = reinterpret_cast<uint32_t*>(dst + RE * 32 + lane * PE);
#pragma unroll
            for (int k = 0; k < PE / 2; k++) {
                uint32_t wv;
                reinterpret_cast<T*>(&wv)[0] = r.e[RE + 2 * k];
                reinterpret_cast<T*>(&wv)[1] = r.e[RE + 2 * k + 1];
                dp[k] = wv;
            }
        }
        return;
    } else {
        r = pack_vec<T, P>(y);
    }
    *reinterpret_cast<typename P::V*>(dst + i0) = r.v;
}

// The token stride that addresses token t = b * seq + s as t * tok, where (b, s) strides st0, st1 allow one.
inline bool token_stride(const gf_rope_args& a, int64_t st0, int64_t st1, int64_t& tok) {
    if (a.seq == 1) {
        tok = st0;
        return true;
    }
    if (a.batch == 1 || st0 == a.seq * st1) {
        tok = st1;
        return true;
    }
    return false;
}

inline bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// One tensor's decode addressing; false where its tokens are not evenly strided or its head offsets need
// more than 32 bits.
inline bool decode_tensor(const gf_rope_args& a, const void* in, void* out, const int64_t* st, const int64_t* out_st,
                          int heads, DecodeTensor& d) {
    d.in = in;
    d.out = out;
    if (heads == 0) return true;
    if (!token_stride(a, st[0], st[1], d.tok) || !token_stride(a, out_st[0], out_st[1], d.out_tok)) return false;
    const int64_t last = static_cast<int64_t>(heads - 1);
    if (!fits_i32(st[2] * last + a.head_dim) || !fits_i32(out_st[2] * last + a.head_dim)) return false;
    d.head = static_cast<int32_t>(st[2]);
    d.out_head = static_cast<int32_t>(out_st[2]);
    return true;
}

// Whether the decode kernel takes this launch (the caller has checked the head size, norm kind, vector
// alignment and neox lane distance: fast_path_fits), and its arguments.
inline bool decode_fits(const RopeLaunch& L, DecodeArgs& d) {
    const gf_rope_args& a = L.a;
    d = DecodeArgs{};
    if (!a.has_norm && a.rotary_dim == 0) return false; // nothing to compute: no instantiation for it
    if (a.batch * a.seq > 65535) return false; // the grid's y dimension
    if (!decode_tensor(a, a.q, a.q_out, a.q_stride, a.q_out_stride, a.num_q_heads, d.q) ||
        !decode_tensor(a, a.k, a.k_out, a.k_stride, a.k_out_stride, a.num_k_heads, d.k))
        return false;
    d.q_weight = a.q_weight;
    d.k_weight = a.k_weight;
    d.status = a.status;
    d.heads = a.num_q_heads + a.num_k_heads;
    d.num_q_heads = a.num_q_heads;
    d.rot = a.rotary_dim;
    d.weight_dtype = static_cast<int8_t>(a.weight_dtype);
    d.q_idle = static_cast<int8_t>(L.q_in_place);
    d.k_idle = static_cast<int8_t>(L.k_in_place);
    d.epsilon = a.epsilon;
    d.weight_offset = a.weight_offset;
    if (a.rotary_dim == 0) return true;
    const bool inv = a.angle_source == GF_ANGLES_INV_FREQ;
    d.cos = inv ? static_cast<const void*>(a.inv_freq) : a.cos;
    d.sin = a.sin;
    d.attention_scaling = a.attention_scaling;
    d.table_dtype = static_cast<int8_t>(a.table_dtype);
    d.full_table = static_cast<int8_t>(!inv && a.table_width == a.rotary_dim);
    d.positions = a.positions;
    d.position_dtype = static_cast<int8_t>(a.position_dtype);
    d.position_rows = static_cast<int8_t>(a.position_rows);
    d.max_position = L.check_range ? a.max_position : 0;
    if (a.position_rows == 0) {
        if (inv) return false; // inv_freq needs positions: validate_rope's, but never read past here without
        return token_stride(a, a.table_stride[0], a.table_stride[1], d.table_tok);
    }
    if (!token_stride(a, a.position_stride[1], a.position_stride[2], d.pos_tok)) return false;
    d.pos_axis = a.position_stride[0];
    if (!inv) {
        // a row's entries addressed in 32 bits from the table's start
        if (a.max_position <= 0 || !fits_i32(a.table_stride[1]) ||
            !fits_i32((a.max_position - 1) * a.table_stride[1] + a.table_width))
            return false;
        d.table_row = static_cast<int32_t>(a.table_stride[1]);
    }
    if (inv) { // the frequencies held across the warp's lanes (rope_decode_kernel)
        d.held = a.rotary_dim / 2;
        d.slots = static_cast<int8_t>((d.held + 31) / 32);
    }
    d.mrope_interleaved = static_cast<int8_t>(a.mrope_interleaved);
    if (a.mrope_interleaved) {
        d.section1_end = 3 * a.mrope_section[1];
        d.section2_end = 3 * a.mrope_section[2];
    } else {
        d.section1_end = a.mrope_section[0];
        d.section2_end = a.mrope_section[0] + a.mrope_section[1];
    }
    return true;
}

template <typename T, int HD, bool NORM, int ROT, int RE>
void launch_decode_src(const RopeLaunch& L, const DecodeArgs& d, cudaStream_t stream) {
    // x over the heads, y over the tokens: the kernel finds its item without a division (H100, 2026-12-07:
    // 0.02-0.15 us less at T = 1 than one dimension over (token, head) items, QkNorm 1.28 against 1.37)
    const dim3 grid((d.heads + kDecodeWarps - 1) / kDecodeWarps, static_cast<unsigned>(L.a.batch * L.a.seq));
    if (ROT != kRotNone && L.a.angle_source == GF_ANGLES_INV_FREQ) {
        launch(rope_decode_kernel<T, HD, NORM, ROT, true, RE>, grid, kDecodeThreads, 0, stream, d);
    } else {
        launch(rope_decode_kernel<T, HD, NORM, ROT, false, RE>, grid, kDecodeThreads, 0, stream, d);
    }
}

template <typename T, int HD>
void launch_decode_hd(const RopeLaunch& L, const DecodeArgs& d, cudaStream_t stream) {
    const bool norm = L.a.has_norm != GF_NORM_NONE;
    if (L.a.rotary_dim == 0) {
        launch_decode_src<T, HD, true, kRotNone, 0>(L, d, stream); // decode_fits: a norm without a rotation
    } else if (L.a.interleaved) {
        if (norm) launch_decode_src<T, HD, true, kRotGptj, 0>(L, d, stream);
        else launch_decode_src<T, HD, false, kRotGptj, 0>(L, d, stream);
    } else {
        if constexpr (HD > 64) {
            // the split layout where it is instantiated: 64 rotary dims (RE = 2) of a 128- or 256-wide head
            if (L.a.rotary_dim == 64) {
                if (norm) launch_decode_src<T, HD, true, kRotNeox, 2>(L, d, stream);
                else launch_decode_src<T, HD, false, kRotNeox, 2>(L, d, stream);
                return;
            }
        }
        if (norm) launch_decode_src<T, HD, true, kRotNeox, 0>(L, d, stream);
        else launch_decode_src<T, HD, false, kRotNeox, 0>(L, d, stream);
    }
}

template <typename T>
void launch_decode(const RopeLaunch& L, const DecodeArgs& d, cudaStream_t stream) {
    switch (L.a.head_dim) {
    case 64: launch_decode_hd<T, 64>(L, d, stream); break;
    case 128: launch_decode_hd<T, 128>(L, d, stream); break;
    default: launch_decode_hd<T, 256>(L, d, stream); break;
    }
}


} // namespace gf::rope
