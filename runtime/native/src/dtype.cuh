// Element types on the device: conversion to fp32 for the math and one round-to-nearest-even at the store.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <stdint.h>

#include "config.h"
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

// Operands that are small or reused (weights, cos/sin rows, positions) take their dtype at run time rather
// than as a template parameter of the kernel: it keeps the number of kernel instantiations (and the nvcc
// build time on CI) small.
//
// The dtype switch must not sit inside the loop over elements. With a switch per element (load_f32 below in
// a loop), each element's load and its conversion sit in a branch arm of their own, and the next element's
// load follows the join: the decode kernels issued their weight and cos / sin loads one after another, each
// waited for. Nsight Compute on an H100 (2026-12-07) measured the norm's decode kernel at 2,106 active SM
// cycles for a decode step where ATOM's Triton kernel (dtypes fixed at compile time) took 788, and the
// MRoPE decode launch (16 table loads a lane) at 6,996 against 1,084. So a loop of such loads is written
// inside with_float_type / with_index_type: one switch around the loop, and each arm a loop of typed loads
// that the compiler issues together.
template <typename E> struct TypeTag {
    using type = E;
};

// f(TypeTag<E>{}) for the float element type E that dtype names (fp32, bf16 or fp16).
template <typename F> __device__ __forceinline__ void with_float_type(int dtype, F&& f) {
    switch (dtype) {
    case GF_DTYPE_BF16: f(TypeTag<__nv_bfloat16>{}); break;
    case GF_DTYPE_F16: f(TypeTag<__half>{}); break;
    default: f(TypeTag<float>{}); break;
    }
}

// f(TypeTag<E>{}) for the index type E that dtype names (int32 or int64).
template <typename F> __device__ __forceinline__ void with_index_type(int dtype, F&& f) {
    if (dtype == GF_DTYPE_I32) {
        f(TypeTag<int32_t>{});
    } else {
        f(TypeTag<int64_t>{});
    }
}

// A weight's bits, held until its conversion: a conversion in the load's own branch arm waits for the load,
// and everything the warp issues after it waits too.
template <typename E> __device__ __forceinline__ uint32_t bits_of(E v);
template <> __device__ __forceinline__ uint32_t bits_of<float>(float v) { return __float_as_uint(v); }
template <> __device__ __forceinline__ uint32_t bits_of<__half>(__half v) { return __half_as_ushort(v); }
template <> __device__ __forceinline__ uint32_t bits_of<__nv_bfloat16>(__nv_bfloat16 v) { return __bfloat16_as_ushort(v); }
template <typename E> __device__ __forceinline__ float f32_of_bits(uint32_t b);
template <> __device__ __forceinline__ float f32_of_bits<float>(uint32_t b) { return __uint_as_float(b); }
template <> __device__ __forceinline__ float f32_of_bits<__half>(uint32_t b) {
    return __half2float(__ushort_as_half(static_cast<unsigned short>(b)));
}
template <> __device__ __forceinline__ float f32_of_bits<__nv_bfloat16>(uint32_t b) { return __uint_as_float(b << 16); }

// Element i of p, of type E, as fp32.
template <typename E> __device__ __forceinline__ float load_as_f32(const void* p, int64_t i) {
    return to_f32(static_cast<const E*>(p)[i]);
}

// One element of a run-time dtype, for code outside the loops above (the general kernels).
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

// Four 16-bit values <-> fp32, as one 8-byte word: bf16 widens by a shift, and two values narrow in one
// instruction (cvt.rn.bf16x2.f32 / cvt.rn.f16x2.f32), round-to-nearest-even as from_f32.
template <typename T> struct Quad;
template <> struct Quad<__nv_bfloat16> {
    static __device__ __forceinline__ void unpack(uint2 v, float* y) {
        y[0] = __uint_as_float(v.x << 16);
        y[1] = __uint_as_float(v.x & 0xffff0000u);
        y[2] = __uint_as_float(v.y << 16);
        y[3] = __uint_as_float(v.y & 0xffff0000u);
    }
    static __device__ __forceinline__ uint2 pack(const float* y) {
        const __nv_bfloat162 lo = __floats2bfloat162_rn(y[0], y[1]), hi = __floats2bfloat162_rn(y[2], y[3]);
        return make_uint2(*reinterpret_cast<const uint32_t*>(&lo), *reinterpret_cast<const uint32_t*>(&hi));
    }
};
template <> struct Quad<__half> {
    static __device__ __forceinline__ void unpack(uint2 v, float* y) {
        const float2 lo = __half22float2(*reinterpret_cast<const __half2*>(&v.x));
        const float2 hi = __half22float2(*reinterpret_cast<const __half2*>(&v.y));
        y[0] = lo.x, y[1] = lo.y, y[2] = hi.x, y[3] = hi.y;
    }
    static __device__ __forceinline__ uint2 pack(const float* y) {
        const __half2 lo = __floats2half2_rn(y[0], y[1]), hi = __floats2half2_rn(y[2], y[3]);
        return make_uint2(*reinterpret_cast<const uint32_t*>(&lo), *reinterpret_cast<const uint32_t*>(&hi));
    }
};

// Eight 16-bit values <-> fp32, as one 16-byte word: two Quads.
template <typename T> struct Oct {
    static __device__ __forceinline__ void unpack(uint4 v, float* y) {
        Quad<T>::unpack(make_uint2(v.x, v.y), y);
        Quad<T>::unpack(make_uint2(v.z, v.w), y + 4);
    }
    static __device__ __forceinline__ uint4 pack(const float* y) {
        const uint2 lo = Quad<T>::pack(y), hi = Quad<T>::pack(y + 4);
        return make_uint4(lo.x, lo.y, hi.x, hi.y);
    }
};

} // namespace gf
