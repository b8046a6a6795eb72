// Row path of the rope family: a per-head norm without a rotation (QkNorm), many tokens. Each (token, head)
// is a row of head_dim elements, in order: a token's Q heads, its K heads, then the next token's. A warp takes
// R consecutive rows, each lane N / 32 contiguous elements of each as one vector, the R rows' loads issued
// together before any is used, then Q's and K's weights, held in registers for the rows of either. It is
// norm.cu's fast kernel with rows addressed by (token, head) instead of one row stride: that kernel moves
// RmsNormGated at the copy bandwidth, where the split kernel, whose work is built around a token's angles,
// left QkNorm 1-6 % behind FastDeploy's row-per-program Triton kernel from 2,048 tokens (docs/benchmarks.md).
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

template <typename T, int N, int R, int WARPS>
__global__ void __launch_bounds__(32 * WARPS) rope_rows_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = N / 32;
    using P = Packed<T, EPL>;
    using V = typename P::V;
    const gf_rope_args& a = L.a;
    const int nq = a.num_q_heads, heads = nq + a.num_k_heads;
    const int i0 = (threadIdx.x & 31) * EPL;
    const int64_t stride = static_cast<int64_t>(gridDim.x) * WARPS * R; // past kMaxBlocks blocks (launch.cuh)
    for (int64_t r0 = (static_cast<int64_t>(blockIdx.x) * WARPS + (threadIdx.x >> 5)) * R; r0 < L.work; r0 += stride) {
        // the rows' heads: one division for the first, then a step along the heads, carried into the next
        // token
        int64_t tok = div_index(r0, heads);
        int h = static_cast<int>(r0 - tok * heads);
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
            if (++h == heads) {
                h = 0;
                if (++s == a.seq) s = 0, b++;
            }
        }
        // streamed through once: evict-first, as the norm kernel's rows
        P x[R];
#pragma unroll
        for (int j = 0; j < R; j++)
            if (r0 + j < L.work) x[j].v = __ldcs(reinterpret_cast<const V*>(in[j]));
        // the weights after the rows' loads, so that those go out first; from L1 after a warp's first rows
        // (a tensor without heads may come without a weight: validate.cpp)
        float wq[EPL], wk[EPL];
#pragma unroll
        for (int e = 0; e < EPL; e++) wq[e] = wk[e] = 0.f;
        if (nq > 0) load_head_weights<EPL>(a, true, i0, wq);
        if (a.num_k_heads > 0) load_head_weights<EPL>(a, false, i0, wk);
#pragma unroll
        for (int j = 0; j < R; j++) {
            if (r0 + j >= L.work) break; // uniform across the warp: every lane reaches the shuffles
            float v[EPL], w[EPL];
            unpack_vec<T>(x[j], v);
#pragma unroll
            for (int e = 0; e < EPL; e++) w[e] = is_q[j] ? wq[e] : wk[e];
            rms_scale<N>(v, w, a.epsilon);
            __stcs(reinterpret_cast<V*>(out[j]), pack_vec<T, P>(v).v);
        }
    }
}

// Whether the row kernel takes these arguments: the RMS norm without a rotation, 16-bit elements, head_dim
// 64, 128 or 256, every head start (in and out) aligned for the lane's vector.
inline bool rows_fit(const gf_rope_args& a) {
    if (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16) return false;
    if (a.has_norm != GF_NORM_RMS || a.rotary_dim != 0) return false;
    if (a.head_dim != 64 && a.head_dim != 128 && a.head_dim != 256) return false;
    return heads_aligned(a, 2, 2 * (a.head_dim / 32));
}

template <typename T>
void launch_rows(const RopeLaunch& L, cudaStream_t stream) {
    constexpr int R = kRowsPerWarp, W = kWarps;
    const unsigned blocks = blocks_for(L.work, W * R);
    switch (L.a.head_dim) {
    case 64: launch(rope_rows_kernel<T, 64, R, W>, blocks, 32 * W, 0, stream, L); break;
    case 128: launch(rope_rows_kernel<T, 128, R, W>, blocks, 32 * W, 0, stream, L); break;
    default: launch(rope_rows_kernel<T, 256, R, W>, blocks, 32 * W, 0, stream, L); break;
    }
}

} // namespace gf::rope
