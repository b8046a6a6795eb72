// The CPU execution provider's kernels: the semantics of include/graphfuse_kernels.h (fp32 math, one
// round-to-nearest-even at the store) on host memory. A head is read whole before it is written, so
// in-place arguments are fine. Returns 0 or a GF_ERR_* code; nothing is written when a position is out
// of range (positions are checked before the first store).
#pragma once

#include "binding.h"
#include "graphfuse_kernels.h"

namespace gf::ort {

// Runs body(first, last) over [0, total) in chunks, possibly on several threads (ORT's intra-op pool).
using ForEach = void (*)(void* runner, int64_t total, void (*body)(void* data, int64_t first, int64_t last), void* data);

// The work splits over tokens (rope family, MRopeCosSin) or rows (norms); for_each may be null (one thread).
int cpu_rope(const gf_rope_args& a, ForEach for_each = nullptr, void* runner = nullptr);
int cpu_norm(const gf_norm_args& a, ForEach for_each = nullptr, void* runner = nullptr);
void cpu_cos_sin(const CosSinCall& c, float* cos, float* sin, ForEach for_each = nullptr, void* runner = nullptr);

} // namespace gf::ort
