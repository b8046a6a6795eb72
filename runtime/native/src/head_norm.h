// The per-head norm of the rope family (gf_rope_args.has_norm, a GF_NORM_* kind), written once for the two
// kernels that implement every kind: the ORT CPU kernel (ort/cpu_kernels.cpp) and the general CUDA kernel
// (rope_general.cuh). What else depends on the kind is here too: which CUDA launches may take it
// (norm_kind_has_fast_path, asked by rope.cu) and the checks of the fields only it reads (norm_args_valid,
// called by validate.cpp). So a new kind changes this file and the ABI header's fields, and no kernel.
//
// Plain C++ for the host compilers, __host__ __device__ under nvcc. Each kernel keeps its own rounding of
// the few operations where the two differ (the sum's order, 1/sqrt), through the holder below, so moving
// the step here changed no result.
#pragma once

#include <stdint.h>

#include "graphfuse_kernels.h"

#if defined(__CUDACC__)
#define GF_NORM_FN __host__ __device__ __forceinline__
#else
#define GF_NORM_FN inline
#endif
#if defined(__CUDA_ARCH__) // the device pass; a host compiler would warn about the pragma
#define GF_NORM_UNROLL _Pragma("unroll")
#else
#define GF_NORM_UNROLL
#endif

namespace gf {

// Whether the specialised CUDA kernels (rope_fast / rope_tiled / rope_split) implement this norm kind;
// a launch of any other kind takes the general kernel.
GF_NORM_FN bool norm_kind_has_fast_path(int kind) { return kind == GF_NORM_NONE || kind == GF_NORM_RMS; }

// The part of validate_rope that depends on the norm kind: has_norm is a kind this library implements, and
// the fields that only some kind reads are consistent with it. (Which entry points normalize at all, and
// the fields every norm reads, are validate.cpp's.)
inline bool norm_args_valid(const gf_rope_args& a) {
    switch (a.has_norm) {
    case GF_NORM_NONE:
    case GF_NORM_RMS:
        // the LayerNorm's own fields stay unset: nothing reads them
        return a.q_bias == nullptr && a.k_bias == nullptr && a.weight_head_stride == 0 && a.bias_head_stride == 0;
    case GF_NORM_LAYER:
        // a weight or bias row per head (stride head_dim) or one for all (0); no Gemma offset
        return (a.weight_head_stride == 0 || a.weight_head_stride == a.head_dim) &&
               (a.bias_head_stride == 0 || a.bias_head_stride == a.head_dim) && a.weight_offset == 0.0f;
    default: return false;
    }
}

// One head's fp32 values y[0 .. held) as one kernel thread holds them, and that kernel's arithmetic. H has
//   bool in_head(int e)      value e is an element of the head (the general CUDA kernel pads a head to
//                            whole lanes with zeros; padding is never written back)
//   int64_t element(int e)   its index i < head_dim
//   float head_sum(float s)  the sum over the whole head of every holder's s (a warp sum on the device)
//   float inv_sqrt(float v)  1 / sqrt(v), rounded as that kernel rounds it
//   float load(const void* p, int64_t i, int32_t dtype)   element i of a weight
//   bool is_q; int64_t head  which tensor, which head of it
//   int hd                   head_dim (where the kernel has it as a constant, a division by it becomes a
//                            multiplication, and the kernel keeps its registers)
// Control flow depends on the arguments only, never on the holder, so a warp reaches head_sum together.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable // H's members are __device__ in the CUDA kernel, host code in the CPU one
#endif
template <class H>
GF_NORM_FN void rms_norm_head(const gf_rope_args& a, const H& h, float* y, int held) {
    // y_i = x_i * r * (w_i + weight_offset), r = 1 / sqrt(sum(x^2) / head_dim + epsilon)
    const void* w = h.is_q ? a.q_weight : a.k_weight;
    float ss = 0.f;
    GF_NORM_UNROLL
    for (int e = 0; e < held; e++) ss += y[e] * y[e]; // padding is 0: adds nothing
    const float r = h.inv_sqrt(h.head_sum(ss) / static_cast<float>(h.hd) + a.epsilon);
    GF_NORM_UNROLL
    for (int e = 0; e < held; e++)
        if (h.in_head(e)) y[e] = y[e] * r * (h.load(w, h.element(e), a.weight_dtype) + a.weight_offset);
}

// QkLayerNormRope's norm: the mean, then the variance of the centred values (two passes over the head, not
// E[x^2] - mean^2, which cancels catastrophically when the mean is large next to the spread), then the head's
// own weight and bias rows (stride head_dim, Cohere's [heads, head_dim]) or the shared ones (stride 0).
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class H>
GF_NORM_FN void layer_norm_head(const gf_rope_args& a, const H& h, float* y, int held) {
    float s = 0.f;
    GF_NORM_UNROLL
    for (int e = 0; e < held; e++)
        if (h.in_head(e)) s += y[e];
    const float mean = h.head_sum(s) / static_cast<float>(h.hd);
    float ss = 0.f;
    GF_NORM_UNROLL
    for (int e = 0; e < held; e++) {
        if (h.in_head(e)) {
            y[e] -= mean;
            ss += y[e] * y[e];
        }
    }
    const float r = h.inv_sqrt(h.head_sum(ss) / static_cast<float>(h.hd) + a.epsilon);
    const void* w = h.is_q ? a.q_weight : a.k_weight;
    const void* b = h.is_q ? a.q_bias : a.k_bias;
    const int64_t w_row = h.head * a.weight_head_stride;
    const int64_t b_row = h.head * a.bias_head_stride;
    GF_NORM_UNROLL
    for (int e = 0; e < held; e++) {
        if (h.in_head(e)) {
            float v = y[e] * r * h.load(w, w_row + h.element(e), a.weight_dtype);
            if (b != nullptr) v += h.load(b, b_row + h.element(e), a.weight_dtype);
            y[e] = v;
        }
    }
}

// Step 1 of the header's per-head semantics: y (the head as loaded) becomes the normalized head.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class H>
GF_NORM_FN void norm_head(const gf_rope_args& a, const H& h, float* y, int held) {
    switch (a.has_norm) {
    case GF_NORM_RMS: rms_norm_head(a, h, y, held); return;
    case GF_NORM_LAYER: layer_norm_head(a, h, y, held); return;
    default: return; // GF_NORM_NONE
    }
}

} // namespace gf
