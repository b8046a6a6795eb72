// Launch geometry and launch-status helpers shared by the kernel families.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

namespace gf {

constexpr int kThreads = 256;          // threads per block
constexpr int kWarps = kThreads / 32;  // warps per block
constexpr int64_t kMaxBlocks = 1 << 20; // kernels loop over the rest (grid-stride), so any size fits

// Blocks of kernel k (threads per block, dynamic shared memory) that fit on the current device at once.
template <typename K>
int64_t resident_blocks(K k, int threads, size_t smem) {
    int dev = 0, sms = 0, per_sm = 0;
    cudaGetDevice(&dev);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
    cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, k, threads, smem);
    return static_cast<int64_t>(sms > 0 ? sms : 132) * (per_sm > 0 ? per_sm : 1);
}

inline unsigned blocks_for(int64_t items, int64_t items_per_block) {
    const int64_t b = (items + items_per_block - 1) / items_per_block;
    return static_cast<unsigned>(b < kMaxBlocks ? b : kMaxBlocks);
}

// An earlier failure was already returned by the call that caused it; drop it so that the status of this
// launch is its own.
inline void clear_last_error() { cudaGetLastError(); }

inline int launch_status() { return static_cast<int>(cudaGetLastError()); }

__device__ __forceinline__ float warp_sum(float v) {
    // all 32 lanes always arrive here (callers keep control flow warp-uniform): full mask is exact
    for (int m = 16; m > 0; m >>= 1) v += __shfl_xor_sync(0xffffffffu, v, m);
    return v;
}

} // namespace gf
