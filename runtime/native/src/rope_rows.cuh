// Row path of the rope family: a per-head norm without a rotation (QkNorm), many tokens. Each (token, head)
// is a row of head_dim elements, in order: a token's Q heads, its K heads, then the next token's. A lane holds
// 8 contiguous elements (16 bytes) of a row, so a row spans N / 8 lanes and one warp access covers 32 / (N / 8)
// consecutive rows (4 at head_dim 64, 2 at 128, 1 at 256). A warp takes kRowsPerWarp consecutive rows, their
// loads issued together before any is used, then Q's and K's weights, held in registers for the rows of
// either. H100, 2026-12-07, QkNorm (Qwen3-8B, in place) against FastDeploy's Triton kernel in the same run:
// 16-byte lanes 17.45 / 115.45 / 449.3 us at 2,048 / 16,384 / 65,536 tokens (FastDeploy 17.53 / 116.01 /
// 450.8), where lanes of head_dim / 32 elements (8 bytes at 128) took 18.20 / 120.69 / 470.6 and the split
// kernel 18.10 / 118.21 / 463.0: fewer, wider accesses for the same bytes.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#include <stdint.h>

#include "config.h"
#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "row_norm.cuh"
#include "vec.cuh"

namespace gf::rope {

// A lane's 8 elements of a row: a row spans G = N / 8 lanes, an access RPA rows, and a warp R accesses
// (kRowsPerWarp rows in all).
constexpr int kRowsLaneElems = 8;
template <int N> __host__ __device__ constexpr int rows_per_access() { return 32 / (N / kRowsLaneElems); }
template <int N> __host__ __device__ constexpr int rows_accesses() {
    return kRowsPerWarp / rows_per_access<N>() > 0 ? kRowsPerWarp / rows_per_access<N>() : 1;
}

template <typename T, int N, int WARPS>
__global__ void __launch_bounds__(32 * WARPS) rope_rows_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = kRowsLaneElems;
    constexpr int G = N / EPL;                 // lanes a row
    constexpr int RPA = rows_per_access<N>(); // rows an access
    constexpr int R = rows_accesses<N>();      // accesses a warp
    using P = Packed<T, EPL>;
    using V = typename P::V;
    const gf_rope_args& a = L.a;
    const int nq = a.num_q_heads, heads = nq + a.num_k_heads;
    const int lane = threadIdx.x & 31;
    const int i0 = (lane % G) * EPL;
    const int sub = lane / G;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * WARPS * R * RPA;
    for (int64_t r0 = (static_cast<int64_t>(blockIdx.x) * WARPS + (threadIdx.x >> 5)) * R * RPA; r0 < L.work; r0 += stride) {
        const int64_t rl = r0 + sub; // the lane's row in the first access; each next access is RPA rows on
        int64_t tok = div_index(rl, heads);
        int h = static_cast<int>(rl - tok * heads);
        int64_t b = 0, s = tok;
        if (a.batch > 1) {
            b = div_index(tok, a.seq);
            s = tok - b * a.seq;
        }
        const T* in[R];
        T* out[R];
        bool is_q[R];
#pragma unroll
        for (int j = 0; j < R; j++) {
            is_q[j] = h < nq;
            if (is_q[j]) {
                in[j] = static_cast<const T*>(a.q) + b * a.q_stride[0] + s * a.q_stride[1] + h * a.q_stride[2] + i0;
                out[j] = static_cast<T*>(a.q_out) + b * a.q_out_stride[0] + s * a.q_out_stride[1] + h * a.q_out_stride[2] + i0;
            } else {
                const int kh = h - nq;
                in[j] = static_cast<const T*>(a.k) + b * a.k_stride[0] + s * a.k_stride[1] + kh * a.k_stride[2] + i0;
                out[j] = static_cast<T*>(a.k_out) + b * a.k_out_stride[0] + s * a.k_out_stride[1] + kh * a.k_out_stride[2] + i0;
            }
            h += RPA;
            while (h >= heads) { // a token may have fewer heads than an access has rows
                h -= heads;
                if (++s == a.seq) s = 0, b++;
            }
        }
        // streamed through once: evict-first, as the norm kernel's rows
        P x[R];
#pragma unroll
        for (int j = 0; j < R; j++) {
            x[j].v = V{};
            if (rl + j * RPA < L.work) x[j].v = __ldcs(reinterpret_cast<const V*>(in[j]));
        }
        // the weights after the rows' loads, so that those go out first; from L1 after a warp's first rows
        // (a tensor without heads may come without a weight: validate.cpp)
        float wq[EPL], wk[EPL];
#pragma unroll
        for (int e = 0; e < EPL; e++) wq[e] = wk[e] = 0.f;
        if (nq > 0) load_head_weights<EPL>(a, true, i0, wq);
        if (a.num_k_heads > 0) load_head_weights<EPL>(a, false, i0, wk);
#pragma unroll
        for (int j = 0; j < R; j++) {
            if (r0 + j * RPA >= L.work) break; // uniform across the warp: every lane reaches the shuffles
            float v[EPL];
            unpack_vec<T>(x[j], v);
            // row_norm.cuh's rms_scale over G lanes instead of the warp, written out: calling it (a weight array
            // selected first) took this kernel from 48 to 59 registers at head_dim 128 (ptxas, 2026-12-08),
            // and fewer warps a SM than the build that was timed
            float ss = 0.f;
#pragma unroll
            for (int e = 0; e < EPL; e++) ss += v[e] * v[e];
#pragma unroll
            for (int m = G / 2; m > 0; m >>= 1) ss += __shfl_xor_sync(0xffffffffu, ss, m); // within the row's lanes
            const float r = rsqrtf(ss * (1.0f / N) + a.epsilon);
#pragma unroll
            for (int e = 0; e < EPL; e++) v[e] = v[e] * r * (is_q[j] ? wq[e] : wk[e]);
            if (rl + j * RPA < L.work) __stcs(reinterpret_cast<V*>(out[j]), pack_vec<T, P>(v).v);
        }
    }
}

// Whether the row kernel takes these arguments: the RMS norm without a rotation, 16-bit elements, head_dim
// 64, 128 or 256, every head start (in and out) 16-byte aligned for the lane's vector.
inline bool rows_fit(const gf_rope_args& a) {
    if (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16) return false;
    if (a.has_norm != GF_NORM_RMS || a.rotary_dim != 0) return false;
    if (a.head_dim != 64 && a.head_dim != 128 && a.head_dim != 256) return false;
    return heads_aligned(a, 2, 2 * kRowsLaneElems);
}

template <typename T, int N>
void launch_rows_hd(const RopeLaunch& L, cudaStream_t stream) {
    constexpr int W = kWarps;
    const unsigned blocks = blocks_for(L.work, static_cast<int64_t>(W) * rows_accesses<N>() * rows_per_access<N>());
    launch(rope_rows_kernel<T, N, W>, blocks, 32 * W, 0, stream, L);
}

template <typename T>
void launch_rows(const RopeLaunch& L, cudaStream_t stream) {
    switch (L.a.head_dim) {
    case 64: launch_rows_hd<T, 64>(L, stream); break;
    case 128: launch_rows_hd<T, 128>(L, stream); break;
    default: launch_rows_hd<T, 256>(L, stream); break;
    }
}

} // namespace gf::rope
