// Launch geometry and launch-status helpers shared by the kernel families.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include <utility>

#include "config.h"

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

// Programmatic dependent launch (sm_90). Every kernel here is launched with the programmatic stream
// serialization attribute and starts with pdl_enter(): it waits (griddepcontrol.wait) until the kernel
// before it in the stream has completed and its writes are visible, before it reads anything, so the
// result is the same as with plain stream order; what changes is that the GPU may launch it, and place
// its blocks, while that kernel's last blocks still run, instead of after (about 0.5 us less per kernel
// back to back). And it lets the kernel after it be launched as soon as all its own blocks have started
// (launch_dependents), which that kernel's own wait makes safe. Before a predecessor that does not trigger,
// the launch follows that kernel's end as usual. A build with GF_PDL=0 launches plainly (config.h).
__device__ __forceinline__ void pdl_enter() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
#ifndef GF_PDL_NO_WAIT // the negative control of gpu_kernel_check's dependent-launch case (config.h)
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}

// k<<<grid, threads, smem, stream>>>(args...), with the PDL attribute unless built with GF_PDL=0; the
// launch error, if any, is left for launch_status().
template <typename... P, typename... A>
void launch(void (*k)(P...), dim3 grid, int threads, size_t smem, cudaStream_t stream, A&&... args) {
    cudaLaunchConfig_t cfg{};
    cfg.gridDim = grid;
    cfg.blockDim = dim3(threads);
    cfg.dynamicSmemBytes = smem;
    cfg.stream = stream;
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    cfg.attrs = attr;
    cfg.numAttrs = kPdl ? 1 : 0;
    cudaLaunchKernelEx(&cfg, k, std::forward<A>(args)...);
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
