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
// than as a template parameter: it keeps the number of kernel instantiations (and the nvcc build time on CI)
// small.
//
// With a switch on the dtype, each element's load and its conversion sit in a branch arm of their own, and
// the next element's load follows the join: the PTX of the norm's decode kernel issues its four weight
// loads one after another, each waited for, before the row's own loads. Nsight Compute on an H100
// (2026-12-07) measured that kernel at 2,106 active SM cycles for a decode step where ATOM's Triton kernel
// (dtypes fixed at compile time) took 788. GF_PREDICATED_LOADS = 1 (config.h) reads the element with two
// predicated loads, one of which runs, and converts it with selects: no branch, so an unrolled loop of them
// issues every load before the first use.
#if GF_PREDICATED_LOADS
// The raw bits of element i: 32 bits of an fp32 element, or the 16 bits of a 16-bit one, zero-extended.
// volatile keeps it after pdl_enter()'s griddepcontrol.wait, which a preceding kernel's writes need.
__device__ __forceinline__ uint32_t load_bits32(const void* p, int64_t i, int dtype) {
    uint32_t b;
    const char* c = static_cast<const char*>(p);
    asm volatile("{\n\t.reg .pred w;\n\tsetp.eq.s32 w, %1, %4;\n\t"
                 "@w ld.global.b32 %0, [%2];\n\t@!w ld.global.u16 %0, [%3];\n\t}"
                 : "=r"(b)
                 : "r"(dtype), "l"(__cvta_generic_to_global(c + i * 4)), "l"(__cvta_generic_to_global(c + i * 2)),
                   "n"(GF_DTYPE_F32));
    return b;
}

// Those bits as fp32, with selects written out: as C++ ternaries they compiled to branches again.
__device__ __forceinline__ float bits_to_f32(uint32_t b, int dtype) {
    uint32_t r;
    asm("{\n\t.reg .pred f, g;\n\t.reg .b16 h;\n\t.reg .f32 x;\n\t.reg .b32 y, z;\n\t"
        "setp.eq.s32 f, %2, %3;\n\tsetp.eq.s32 g, %2, %4;\n\t"
        "cvt.u16.u32 h, %1;\n\tcvt.f32.f16 x, h;\n\tmov.b32 y, x;\n\t" // as fp16
        "shl.b32 z, %1, 16;\n\tselp.b32 y, z, y, g;\n\t"                // as bf16
        "selp.b32 %0, %1, y, f;\n\t}"                                     // as fp32
        : "=r"(r)
        : "r"(b), "r"(dtype), "n"(GF_DTYPE_F32), "n"(GF_DTYPE_BF16));
    return __uint_as_float(r);
}

__device__ __forceinline__ float load_f32(const void* p, int64_t i, int dtype) {
    return bits_to_f32(load_bits32(p, i, dtype), dtype);
}

// An int32 index sign-extended, or an int64 one.
__device__ __forceinline__ int64_t load_index(const void* p, int64_t i, int dtype) {
    int64_t r;
    const char* c = static_cast<const char*>(p);
    asm volatile("{\n\t.reg .pred n;\n\tsetp.eq.s32 n, %1, %4;\n\t"
                 "@n ld.global.s32 %0, [%2];\n\t@!n ld.global.s64 %0, [%3];\n\t}"
                 : "=l"(r)
                 : "r"(dtype), "l"(__cvta_generic_to_global(c + i * 4)), "l"(__cvta_generic_to_global(c + i * 8)),
                   "n"(GF_DTYPE_I32));
    return r;
}
#else
__device__ __forceinline__ uint32_t load_bits32(const void* p, int64_t i, int dtype) {
    return dtype == GF_DTYPE_F32 ? static_cast<const uint32_t*>(p)[i] : static_cast<const uint16_t*>(p)[i];
}

__device__ __forceinline__ float bits_to_f32(uint32_t b, int dtype) {
    if (dtype == GF_DTYPE_F32) return __uint_as_float(b);
    return dtype == GF_DTYPE_BF16 ? __uint_as_float(b << 16) : __half2float(__ushort_as_half(static_cast<unsigned short>(b)));
}

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
#endif

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
