#include "cuda_ops.h"

#include <cuda_runtime.h>

#include "mrope_axis.h"

namespace gf::ort {
namespace {

// One thread per (token, frequency): tiny next to the rope kernels it feeds, so no tiling.
__global__ void cos_sin_kernel(const void* positions, int position_dtype, int64_t tokens, const float* inv_freq,
                               int half, int s0, int s1, int s2, int interleaved, float scaling, float* cos, float* sin) {
    const int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= tokens * half) return;
    const int64_t t = i / half;
    const int j = static_cast<int>(i % half);
    const int64_t at = mrope_axis_of(j, interleaved, s0, s1, s2) * tokens + t;
    const int64_t p = position_dtype == GF_DTYPE_I32 ? static_cast<int64_t>(static_cast<const int32_t*>(positions)[at])
                                                     : static_cast<const int64_t*>(positions)[at];
    float s, c;
    sincosf(static_cast<float>(p) * inv_freq[j], &s, &c); // accurate sincosf: no --use_fast_math in this build
    cos[i] = c * scaling;
    sin[i] = s * scaling;
}

} // namespace

int cuda_rope(OpKind op, const gf_rope_args& a, void* stream) {
    switch (op) {
    case OpKind::QkNorm: return gf_qk_norm(&a, stream);
    case OpKind::QkNormRope: return gf_qk_norm_rope(&a, stream);
    case OpKind::QkNormMRope: return gf_qk_norm_mrope(&a, stream);
    case OpKind::MRope: return gf_mrope(&a, stream);
    case OpKind::Rope: return gf_rope(&a, stream);
    default: return GF_ERR_INVALID_ARGUMENT;
    }
}

int cuda_norm(OpKind op, const gf_norm_args& a, void* stream) {
    switch (op) {
    case OpKind::RmsNorm: return gf_rms_norm(&a, stream);
    case OpKind::GemmaRmsNorm: return gf_gemma_rms_norm(&a, stream);
    case OpKind::RmsNormGated: return gf_rms_norm_gated(&a, stream);
    default: return GF_ERR_INVALID_ARGUMENT;
    }
}

int cuda_cos_sin(const CosSinCall& c, float* cos, float* sin, void* stream) {
    const int64_t n = c.tokens * c.half;
    if (n == 0) return 0;
    const int threads = 256;
    const int64_t blocks = (n + threads - 1) / threads;
    if (blocks > 0x7fffffff) return GF_ERR_INVALID_ARGUMENT;
    cos_sin_kernel<<<static_cast<unsigned>(blocks), threads, 0, static_cast<cudaStream_t>(stream)>>>(
        c.positions, c.position_dtype, c.tokens, c.inv_freq, c.half, c.section[0], c.section[1], c.section[2],
        c.interleaved_sections, c.attention_scaling, cos, sin);
    const cudaError_t e = cudaGetLastError();
    return static_cast<int>(e);
}

const char* cuda_error_string(int code) { return gf_error_string(code); }

} // namespace gf::ort
