// The CPU execution provider's kernels: the semantics of include/graphfuse_kernels.h (fp32 math, one
// round-to-nearest-even at the store) on host memory. A head is read whole before it is written, so
// in-place arguments are fine. Returns 0 or a GF_ERR_* code; nothing is written when a position is out
// of range (positions are checked before the first store).
#pragma once

#include "binding.h"
#include "graphfuse_kernels.h"

namespace gf::ort {

int cpu_rope(const gf_rope_args& a);
int cpu_norm(const gf_norm_args& a);
void cpu_cos_sin(const CosSinCall& c, float* cos, float* sin);

} // namespace gf::ort
