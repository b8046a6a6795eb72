// Which position row (0 = T, 1 = H, 2 = W) frequency j of a multimodal RoPE takes: the one definition for
// the CUDA kernels, the MRopeCosSin kernel and the CPU kernels (semantics: graphfuse_kernels.h).
#pragma once

#include <stdint.h>

#ifdef __CUDACC__
#define GF_HOST_DEVICE __host__ __device__ __forceinline__
#else
#define GF_HOST_DEVICE inline
#endif

namespace gf {

// interleaved (Qwen3-VL, Qwen3.5): H if j % 3 == 1 and j < 3 * s1, W if j % 3 == 2 and j < 3 * s2, else T;
// chunked (Qwen2-VL): T for j < s0, H for the next s1, W after. The sections come by value: taking the
// address of a kernel parameter's array could make the compiler copy the parameter to local memory.
GF_HOST_DEVICE int mrope_axis_of(int j, int interleaved, int s0, int s1, int s2) {
    if (interleaved) {
        if (j % 3 == 1 && j < 3 * s1) return 1;
        if (j % 3 == 2 && j < 3 * s2) return 2;
        return 0;
    }
    if (j < s0) return 0;
    return j < s0 + s1 ? 1 : 2;
}

} // namespace gf
