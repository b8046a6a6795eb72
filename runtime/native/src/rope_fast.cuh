// Register fast path of the rope family: one warp per (token, group of heads), each lane holding
// EPL = head_dim / 32 contiguous elements of every head of its group, loaded as one vector. Why it is faster
// than the general kernel:
//  - all heads of the group are loaded before any is used, and before the position and cos/sin loads
//    that depend on each other, so a warp has G x 256 B (hd 128) in flight instead of 256 B, which a
//    memory-bound kernel needs to approach the copy bandwidth;
//  - the angles of a token are computed (or read from the table) once per warp and reused by its G heads;
//  - the neox partner is one xor shuffle away (rot/2 is a multiple of EPL and rot/2 / EPL a power of two),
//    so nothing is staged through shared memory; gpt-j pairs sit inside a lane;
//  - in place without a norm, lanes that hold only pass-through dims neither load nor store (Qwen3.5's
//    MRope touches 64 of 256 dims).
// Every shuffle is executed by all 32 lanes: control flow depends on the work item only.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "vec.cuh"

namespace gf::rope {

// One work item: a token and G consecutive heads of Q ∪ K, with their (warp-uniform) addresses.
struct FastItem {
    int64_t b, s;
    int h0;
};

template <typename T, int HD, int G>
__device__ __forceinline__ void fast_load(const RopeLaunch& L, const FastItem& it, int i0, bool rotates,
                                          Packed<T, HD / 32> (&x)[G]) {
    const gf_rope_args& a = L.a;
    const int heads = a.num_q_heads + a.num_k_heads;
#pragma unroll
    for (int g = 0; g < G; g++) {
        const int h = it.h0 + g;
        if (h >= heads) break;
        const bool is_q = h < a.num_q_heads;
        if (!a.has_norm && !rotates && (is_q ? L.q_in_place : L.k_in_place)) continue;
        const int64_t hh = is_q ? h : h - a.num_q_heads;
        const T* in = static_cast<const T*>(is_q ? a.q : a.k) +
                      (is_q ? it.b * a.q_stride[0] + it.s * a.q_stride[1] + hh * a.q_stride[2]
                            : it.b * a.k_stride[0] + it.s * a.k_stride[1] + hh * a.k_stride[2]);
        x[g].v = __ldcs(reinterpret_cast<const typename Packed<T, HD / 32>::V*>(in + i0));
    }
}

template <typename T, int HD, int G>
__global__ void __launch_bounds__(kThreads) rope_fast_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = HD / 32;
    using P = Packed<T, EPL>;
    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int heads = a.num_q_heads + a.num_k_heads;
    const int groups = (heads + G - 1) / G;
    const int rot = a.rotary_dim;
    const int half = rot >> 1;
    const int i0 = lane * EPL;
    const int off = a.interleaved || rot == 0 ? 0 : half / EPL; // neox partner lane distance
    const bool rotates = i0 < rot;
    const bool first = rotates && (lane & off) == 0; // neox: this lane holds the first member of its pairs

    float wq[EPL], wk[EPL];
    load_norm_weights<EPL>(a, i0, wq, wk);
    auto item = [&](int64_t w) {
        const int64_t tok = w / groups;
        const int64_t b = tok / a.seq;
        return FastItem{b, tok - b * a.seq, static_cast<int>(w - tok * groups) * G};
    };

    // Software pipeline over a persistent grid: the next item's heads load while this one computes, so a
    // warp always has loads in flight.
    const int64_t stride = static_cast<int64_t>(gridDim.x) * kWarps;
    int64_t w = static_cast<int64_t>(blockIdx.x) * kWarps + warp;
    P x[G];
    FastItem it{};
    if (w < L.work) {
        it = item(w);
        fast_load<T, HD, G>(L, it, i0, rotates, x);
    }
    for (; w < L.work; w += stride) {
        P xn[G];
        FastItem next{};
        if (w + stride < L.work) {
            next = item(w + stride);
            fast_load<T, HD, G>(L, next, i0, rotates, xn);
        }

        Pos p;
        if (load_positions(L, it.b, it.s, p)) {
            float c[EPL], sn[EPL];
            if (rotates) lane_angles<EPL>(a, i0, it.b, it.s, p, c, sn);
#pragma unroll
            for (int g = 0; g < G; g++) {
                const int h = it.h0 + g;
                if (h >= heads) break;
                const bool is_q = h < a.num_q_heads;
                const bool in_place = is_q ? L.q_in_place : L.k_in_place;
                float y[EPL];
#pragma unroll
                for (int e = 0; e < EPL; e++) y[e] = to_f32(x[g].e[e]);
                norm_and_rotate<HD, EPL>(a, y, is_q, wq, wk, c, sn, off, first, rotates);
                if (!a.has_norm && !rotates && in_place) continue;
                const int64_t hh = is_q ? h : h - a.num_q_heads;
                T* out = static_cast<T*>(is_q ? a.q_out : a.k_out) +
                         (is_q ? it.b * a.q_out_stride[0] + it.s * a.q_out_stride[1] + hh * a.q_out_stride[2]
                               : it.b * a.k_out_stride[0] + it.s * a.k_out_stride[1] + hh * a.k_out_stride[2]);
                P r;
#pragma unroll
                for (int e = 0; e < EPL; e++) r.e[e] = from_f32<T>(y[e]);
                __stcs(reinterpret_cast<typename P::V*>(out + i0), r.v);
            }
        } else if (lane == 0) {
            atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE); // the token's outputs stay unwritten
        }
#pragma unroll
        for (int g = 0; g < G; g++) x[g] = xn[g];
        it = next;
    }
}

// Whether the fast kernel can take these arguments: 16-bit q/k, the rotation partner one xor shuffle away
// (or in-lane for gpt-j), and every head start aligned for the vector load.
inline bool fast_path_fits(const gf_rope_args& a) {
    if (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16) return false;
    const int epl = a.head_dim / 32;
    if (a.rotary_dim > 0 && !a.interleaved) {
        const int half = a.rotary_dim / 2;
        if (half % epl != 0) return false;
        const int off = half / epl;
        if (off == 0 || (off & (off - 1)) != 0 || off > 16) return false;
    }
    if (a.rotary_dim > 0 && a.interleaved && a.rotary_dim % epl != 0) return false;
    const int64_t align = static_cast<int64_t>(epl) * 2;
    auto aligned = [&](const void* ptr, const int64_t* st) {
        if (ptr == nullptr) return true;
        if (reinterpret_cast<uintptr_t>(ptr) % align != 0) return false;
        for (int d = 0; d < 3; d++)
            if ((st[d] * 2) % align != 0) return false;
        return true;
    };
    return aligned(a.q, a.q_stride) && aligned(a.q_out, a.q_out_stride) &&
           (a.num_k_heads == 0 || (aligned(a.k, a.k_stride) && aligned(a.k_out, a.k_out_stride)));
}

// A persistent grid: as many blocks as fit on the device at once (occupancy of this instantiation), each
// warp looping over items; the loop is what the software pipeline overlaps. Sized per instantiation, once
// (the static lives in the kernel's own launcher: every instantiation has the same function-pointer type,
// so a static keyed on that type would be shared between them).
template <typename T, int HD, int G>
void launch_fast_kernel(const RopeLaunch& L, cudaStream_t stream) {
    auto k = rope_fast_kernel<T, HD, G>;
    static const int64_t resident = resident_blocks(k, kThreads, 0);
    const int64_t need = (L.work + kWarps - 1) / kWarps;
    launch(k, static_cast<unsigned>(need < resident ? need : resident), kThreads, 0, stream, L);
}

template <typename T, int G>
void launch_fast_hd(RopeLaunch L, cudaStream_t stream) {
    const int heads = L.a.num_q_heads + L.a.num_k_heads;
    L.work = L.a.batch * L.a.seq * ((heads + G - 1) / G);
    switch (L.a.head_dim) {
    case 64: launch_fast_kernel<T, 64, G>(L, stream); break;
    case 128: launch_fast_kernel<T, 128, G>(L, stream); break;
    default: launch_fast_kernel<T, 256, G>(L, stream); break;
    }
}

template <typename T>
void launch_fast(const RopeLaunch& L, cudaStream_t stream) {
    // Few tokens: one head per warp keeps every SM busy; many: 4 heads per warp (2 at head_dim 256, whose
    // heads take twice the registers), two items in flight per warp through the pipeline.
    const int64_t tokens = L.a.batch * L.a.seq;
    if (tokens * (L.a.num_q_heads + L.a.num_k_heads) < 4096) {
        launch_fast_hd<T, 1>(L, stream);
    } else if (L.a.head_dim == 256) {
        launch_fast_hd<T, 2>(L, stream);
    } else {
        launch_fast_hd<T, 4>(L, stream);
    }
}

} // namespace gf::rope
