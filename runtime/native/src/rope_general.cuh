// The general kernels of the rope family: one warp per (token, head), the normalized head staged through
// shared memory so that a lane can read its rotation partner wherever it lives. They take every argument
// set the entry points accept (any head_dim up to GF_MAX_HEAD_DIM, any dtype, any rotary width), and are the
// reference the fast paths are cross-checked against (a build with GF_ONLY_GENERAL_KERNEL=1, config.h).
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "dtype.cuh"
#include "head_norm.h"
#include "launch.cuh"
#include "rope_common.cuh"

namespace gf::rope {

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

// A lane's share of one head for norm_head (head_norm.h): value e is element base + e * step. Padded: the
// values at or past hd are rope_any_kernel's zero padding to whole lanes, never written back.
template <bool Padded>
struct LaneHead {
    bool is_q;
    int64_t head;
    int base, step, hd;
    __device__ __forceinline__ int64_t element(int e) const { return base + e * step; }
    __device__ __forceinline__ bool in_head(int e) const { return !Padded || base + e * step < hd; }
    __device__ __forceinline__ float head_sum(float s) const { return warp_sum(s); }
    // 1/sqrtf (both IEEE-rounded without fast math) rather than rsqrtf's 2 ulp
    __device__ __forceinline__ float inv_sqrt(float v) const { return 1.0f / sqrtf(v); }
    __device__ __forceinline__ float load(const void* p, int64_t i, int32_t dtype) const { return load_f32(p, i, dtype); }
};

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

        norm_head(a, LaneHead<false>{it.is_q, it.hh, i0, 1, HD}, y, EPL);

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
            y[e] = i < hd ? to_f32(in[i]) : 0.f; // zeros past the head add nothing to a sum, and are never stored
        }

        norm_head(a, LaneHead<true>{it.is_q, it.hh, lane, 32, hd}, y, E);

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

template <typename T>
void launch_general(const RopeLaunch& L, cudaStream_t stream) {
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

} // namespace gf::rope
