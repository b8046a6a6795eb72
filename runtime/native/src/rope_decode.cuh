// Decode path of the rope family: a launch with few (token, head)
// items, such as one decode step. Such a launch moves a few kilobytes; its time is the length of one warp's
// dependent chain (head and position loads, then the cos / sin loads, then the math and the store) plus how
// soon its blocks start, not bandwidth. So: one warp per (token, head), two-warp blocks spread over as many
// SMs as there are head pairs (the grid sized for the heads), no loop, no software pipeline, no L2 prefetch,
// no occupancy query at launch; every independent load of a warp (head, position, norm weights) is issued
// before the first of them is used.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "vec.cuh"

namespace gf::rope {

constexpr int kDecodeWarps = 2;
constexpr int kDecodeThreads = 32 * kDecodeWarps;

template <typename T, int HD>
__global__ void __launch_bounds__(kDecodeThreads) rope_decode_kernel(const __grid_constant__ RopeLaunch L) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = HD / 32;
    using P = Packed<T, EPL>;
    const gf_rope_args& a = L.a;
    const int64_t w = static_cast<int64_t>(blockIdx.x) * kDecodeWarps + (threadIdx.x >> 5);
    if (w >= L.work) return; // a whole warp: the shuffles below are reached by all 32 lanes or none
    const int lane = threadIdx.x & 31;
    const Item it = item_of(a, w);
    const int rot = a.rotary_dim;
    const int half = rot >> 1;
    const int i0 = lane * EPL;
    const int off = a.interleaved || rot == 0 ? 0 : half / EPL; // neox partner lane distance
    const bool rotates = i0 < rot;
    const bool first = rotates && (lane & off) == 0;
    // in place without a norm, a lane holding only pass-through dims has nothing to change
    const bool idle = !a.has_norm && !rotates && (it.is_q ? L.q_in_place : L.k_in_place);

    P x;
    if (!idle) x.v = *reinterpret_cast<const typename P::V*>(head_in<T>(a, it) + i0);
    float wt[EPL];
    if (a.has_norm) load_head_weights<EPL>(a, it.is_q, i0, wt);
    Pos p;
    if (!load_positions(L, it.b, it.s, p)) {
        if (lane == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE); // the item's output stays unwritten
        return;
    }
    float c[EPL], sn[EPL];
    if (rotates) lane_angles<EPL>(a, i0, it.b, it.s, p, c, sn);
    float y[EPL];
#pragma unroll
    for (int e = 0; e < EPL; e++) y[e] = to_f32(x.e[e]);
    norm_and_rotate<HD, EPL>(a, y, it.is_q, wt, wt, c, sn, off, first, rotates);
    if (idle) return;
    P r;
#pragma unroll
    for (int e = 0; e < EPL; e++) r.e[e] = from_f32<T>(y[e]);
    *reinterpret_cast<typename P::V*>(head_out<T>(a, it) + i0) = r.v;
}

template <typename T>
void launch_decode(const RopeLaunch& L, cudaStream_t stream) {
    const unsigned blocks = blocks_for(L.work, kDecodeWarps);
    switch (L.a.head_dim) {
    case 64: launch(rope_decode_kernel<T, 64>, blocks, kDecodeThreads, 0, stream, L); break;
    case 128: launch(rope_decode_kernel<T, 128>, blocks, kDecodeThreads, 0, stream, L); break;
    default: launch(rope_decode_kernel<T, 256>, blocks, kDecodeThreads, 0, stream, L); break;
    }
}

} // namespace gf::rope
