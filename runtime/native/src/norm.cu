// The norm family (RmsNorm, GemmaRmsNorm, RmsNormGated) over rows of any width n: a warp per row for
// narrow rows (per-head norms), a block per row for wide ones (hidden-size norms).
#include <cuda_runtime.h>

#include "dtype.cuh"
#include "launch.cuh"
#include "validate.h"

namespace gf {
namespace {

constexpr int64_t kWarpRowMax = 1024; // widest row still given to a single warp

// G threads per row: 32 (a warp) or kThreads (the block). Each row is read twice, for the sum of squares
// and for the output; the second read is served by L1/L2. Each thread writes only elements it read
// itself, so in place (out == x) needs no barrier.
template <typename TI, typename TO, int G>
__global__ void __launch_bounds__(kThreads) norm_kernel(const __grid_constant__ gf_norm_args a) {
    constexpr int R = kThreads / G; // rows per block
    __shared__ float partial[kWarps];
    const int t = threadIdx.x % G;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int64_t n = a.n;

    // uniform over the G threads of a row: with G = kThreads every thread of the block takes the same
    // trip count, as the __syncthreads below require
    for (int64_t row = static_cast<int64_t>(blockIdx.x) * R + threadIdx.x / G; row < a.rows;
         row += static_cast<int64_t>(gridDim.x) * R) {
        const TI* x = static_cast<const TI*>(a.x) + row * a.x_row_stride;
        const TI* z = static_cast<const TI*>(a.z) + (a.gated ? row * a.z_row_stride : 0);
        TO* out = static_cast<TO*>(a.out) + row * a.out_row_stride;

        float ss = 0.f;
        for (int64_t i = t; i < n; i += G) {
            const float v = to_f32(x[i]);
            ss += v * v;
        }
        ss = warp_sum(ss);
        if (G > 32) {
            if (lane == 0) partial[warp] = ss;
            __syncthreads();
            ss = 0.f;
#pragma unroll
            for (int k = 0; k < kWarps; k++) ss += partial[k]; // same order in every thread: same r
            __syncthreads(); // all have read partial before the next row writes it
        }
        const float r = 1.0f / sqrtf(ss / static_cast<float>(n) + a.epsilon);

        for (int64_t i = t; i < n; i += G) {
            float v = to_f32(x[i]) * r * (load_f32(a.weight, i, a.weight_dtype) + a.weight_offset);
            if (a.gated) {
                const float zv = to_f32(z[i]);
                v *= zv / (1.0f + expf(-zv)); // silu; expf overflow to inf gives -0, the limit
            }
            out[i] = from_f32<TO>(v);
        }
    }
}

template <typename TI, typename TO>
void launch_io(const gf_norm_args& a, cudaStream_t stream) {
    if (a.n <= kWarpRowMax) {
        norm_kernel<TI, TO, 32><<<blocks_for(a.rows, kWarps), kThreads, 0, stream>>>(a);
    } else {
        norm_kernel<TI, TO, kThreads><<<blocks_for(a.rows, 1), kThreads, 0, stream>>>(a);
    }
}

template <typename TI>
void launch_in(const gf_norm_args& a, cudaStream_t stream) {
    switch (a.out_dtype) {
    case GF_DTYPE_BF16: launch_io<TI, __nv_bfloat16>(a, stream); break;
    case GF_DTYPE_F16: launch_io<TI, __half>(a, stream); break;
    default: launch_io<TI, float>(a, stream); break;
    }
}

int launch_norm(const gf_norm_args* args, NormOp op, void* stream) {
    const int rc = validate_norm(args, op);
    if (rc != 0) return rc;
    if (args->rows == 0) return 0;
    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    clear_last_error();
    switch (args->dtype) {
    case GF_DTYPE_BF16: launch_in<__nv_bfloat16>(*args, s); break;
    case GF_DTYPE_F16: launch_in<__half>(*args, s); break;
    default: launch_in<float>(*args, s); break;
    }
    return launch_status();
}

} // namespace
} // namespace gf

extern "C" {

int gf_rms_norm(const gf_norm_args* args, void* stream) { return gf::launch_norm(args, gf::NormOp::Rms, stream); }
int gf_gemma_rms_norm(const gf_norm_args* args, void* stream) {
    return gf::launch_norm(args, gf::NormOp::Gemma, stream);
}
int gf_rms_norm_gated(const gf_norm_args* args, void* stream) {
    return gf::launch_norm(args, gf::NormOp::Gated, stream);
}

} // extern "C"
