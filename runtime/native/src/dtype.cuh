// Element types on the device: conversion to fp32 for the math and one round-to-nearest-even at the store.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "graphfuse_kernels.h"

namespace gf {

template <typename T> __device__ __forceinline__ float to_f32(T v);
template <> __device__ __forceinline__ float to_f32<float>(float v) { return v; }
template <> __device__ __forceinline__ float to_f32<__half>(__half v) { return __half2float(v); }
template <> __device__ __forceinline__ float to_f32<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat162float(v); }

template <typename T> __device__ __forceinline__ T from_f32(float v);
template <> __device__ __forceinline__ float from_f32<float>(float v) { return v; }
template <> __device__ __forceinline__ __half from_f32<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __forceinline__ __nv_bfloat16 from_f32<__nv_bfloat16>(float v) { return __float2bfloat16_rn(v); }

// Operands that are small or reused (weights, cos/sin rows) take their dtype at run time rather than as a
// template parameter: the branch is uniform across the warp, and it keeps the number of kernel
// instantiations (and the nvcc build time on CI) small.
__device__ __forceinline__ float load_f32(const void* p, int64_t i, int dtype) {
    switch (dtype) {
    case GF_DTYPE_BF16: return __bfloat162float(static_cast<const __nv_bfloat16*>(p)[i]);
    case GF_DTYPE_F16: return __half2float(static_cast<const __half*>(p)[i]);
    default: return static_cast<const float*>(p)[i];
    }
}

__device__ __forceinline__ int64_t load_index(const void* p, int64_t i, int dtype) {
    return dtype == GF_DTYPE_I32 ? static_cast<int64_t>(static_cast<const int32_t*>(p)[i])
                                 : static_cast<const int64_t*>(p)[i];
}

} // namespace gf
