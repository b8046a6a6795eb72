// The pass-through dims of an out-of-place partial rotation without a norm (Qwen3.5's MRope: 64 of 256
// dims rotate): the split kernel reads and writes only the rotary dims of each head, in its fast lane layout,
// and this kernel copies dims [rotary_dim, head_dim) of every head from q / k to q_out / k_out. The two
// launches touch disjoint bytes, so together they move each byte of Q and K once, as a copy does.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "launch.cuh"
#include "rope_common.cuh"

namespace gf::rope {

// One warp per (token, head), its lanes over the head's pass-through part in V-sized units (16 bytes where
// every head start is aligned for it).
template <typename T, typename V>
__global__ void __launch_bounds__(kThreads) pass_through_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int kElems = sizeof(V) / sizeof(T);
    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int units = (a.head_dim - a.rotary_dim) / kElems;
    for (int64_t w = static_cast<int64_t>(blockIdx.x) * kWarps + (threadIdx.x >> 5); w < L.work;
         w += static_cast<int64_t>(gridDim.x) * kWarps) {
        const Item it = item_of(a, w);
        Pos p;
        if (!load_positions(L, it.b, it.s, p)) continue; // the token's outputs stay unwritten (status: split kernel)
        const V* src = reinterpret_cast<const V*>(head_in<T>(a, it) + a.rotary_dim);
        V* dst = reinterpret_cast<V*>(head_out<T>(a, it) + a.rotary_dim);
        for (int u = lane; u < units; u += 32) __stcs(dst + u, __ldcs(src + u));
    }
}

// Whether every head start (in and out) and the pass-through part are aligned for a unit of `bytes`.
inline bool pass_through_aligned(const gf_rope_args& a, int elem_bytes, int bytes) {
    const int64_t e = bytes / elem_bytes;
    return a.rotary_dim % e == 0 && a.head_dim % e == 0 && heads_aligned(a, elem_bytes, bytes);
}

template <typename T>
void launch_pass_through(const RopeLaunch& L, cudaStream_t stream) {
    const unsigned blocks = blocks_for(L.work, kWarps);
    if (pass_through_aligned(L.a, sizeof(T), 16)) {
        launch(pass_through_kernel<T, uint4>, blocks, kThreads, 0, stream, L);
    } else {
        launch(pass_through_kernel<T, T>, blocks, kThreads, 0, stream, L);
    }
}

} // namespace gf::rope
