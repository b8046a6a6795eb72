// One head-wide row's RMS norm as a warp holds it: each lane EPL contiguous elements, loaded as one packed
// vector (vec.cuh). Shared by the norm family's fast kernels (norm.cu) and the rope family's row kernel
// (rope_rows.cuh), which differ in how they address rows, not in the arithmetic.
#pragma once

#include <cuda_runtime.h>

#include "dtype.cuh"
#include "launch.cuh"
#include "vec.cuh"

namespace gf {

// EPL 16-bit values <-> fp32 as one packed vector (dtype.cuh's Quad / Oct where they apply): through a union
// element by element, the norm decode kernel's bf16 result went through local memory.
template <typename T, typename P, int EPL> __device__ __forceinline__ void unpack_vec(const P& x, float (&y)[EPL]) {
    if constexpr (EPL == 8) {
        Oct<T>::unpack(x.v, y);
    } else if constexpr (EPL == 4) {
        Quad<T>::unpack(x.v, y);
    } else {
#pragma unroll
        for (int e = 0; e < EPL; e++) y[e] = to_f32(x.e[e]);
    }
}
template <typename T, typename P, int EPL> __device__ __forceinline__ P pack_vec(const float (&y)[EPL]) {
    P o;
    if constexpr (EPL == 8) {
        o.v = Oct<T>::pack(y);
    } else if constexpr (EPL == 4) {
        o.v = Quad<T>::pack(y);
    } else {
#pragma unroll
        for (int e = 0; e < EPL; e++) o.e[e] = from_f32<T>(y[e]);
    }
    return o;
}

// v <- v * r * w with r = 1 / sqrt(mean(v^2) + eps) over the row of N elements the warp's lanes hold (w: the
// weight with any offset added). rsqrtf, whose few-ulp error is far inside one 16-bit rounding.
template <int N, int EPL>
__device__ __forceinline__ void rms_scale(float (&v)[EPL], const float (&w)[EPL], float eps) {
    float ss = 0.f;
#pragma unroll
    for (int e = 0; e < EPL; e++) ss += v[e] * v[e];
    ss = warp_sum(ss);
    const float r = rsqrtf(ss * (1.0f / N) + eps);
#pragma unroll
    for (int e = 0; e < EPL; e++) v[e] = v[e] * r * w[e];
}

} // namespace gf
