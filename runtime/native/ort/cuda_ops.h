// The CUDA execution provider's side: the kernels of include/graphfuse_kernels.h, and MRopeCosSin's
// own, launched on the stream ORT gives the compute call. Nothing here allocates or synchronises, so
// ORT's CUDA-graph mode can capture every launch.
#pragma once

#include "binding.h"
#include "graphfuse_kernels.h"

namespace gf::ort {

// 0 or a CUDA / GF_ERR_* code (gf_error_string names it). The entry point is the one whose contract the
// bound arguments meet (graphfuse_kernels.h), so the op itself is not needed.
int cuda_rope(const gf_rope_args& a, void* stream);
int cuda_norm(const gf_norm_args& a, void* stream);
int cuda_cos_sin(const CosSinCall& c, float* cos, float* sin, void* stream);
const char* cuda_error_string(int code);

} // namespace gf::ort
