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

// The rope family's entry points differ in what they accept: a norm (of any kind) or none, a rotation or
// none, and for the MRoPE ones angles from positions and inv_freq (the binding's only use of
// GF_ANGLES_INV_FREQ). The entry point validates the args again, so a wrong pick is refused, not run.
int cuda_rope(const gf_rope_args& a, void* stream) {
    const bool mrope = a.rotary_dim > 0 && a.angle_source == GF_ANGLES_INV_FREQ;
    if (a.has_norm == GF_NORM_NONE) return mrope ? gf_mrope(&a, stream) : gf_rope(&a, stream);
    if (a.rotary_dim == 0) return gf_qk_norm(&a, stream);
    return mrope ? gf_qk_norm_mrope(&a, stream) : gf_qk_norm_rope(&a, stream);
}

// RmsNorm, GemmaRmsNorm and RmsNormGated differ in gated and weight_offset (0, 1, any) only.
int cuda_norm(const gf_norm_args& a, void* stream) {
    if (a.gated) return gf_rms_norm_gated(&a, stream);
    return a.weight_offset == 1.0f ? gf_gemma_rms_norm(&a, stream) : gf_rms_norm(&a, stream);
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
