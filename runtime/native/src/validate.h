// Argument checks shared by the entry points. They run on the host before any CUDA call, so a stale or
// malformed caller is refused the same way with or without a GPU (the CI smoke test relies on that).
#pragma once

#include "graphfuse_kernels.h"

namespace gf {

enum class RopeOp { QkNorm, QkNormRope, QkNormMRope, MRope, Rope };
enum class NormOp { Rms, Gemma, Gated };

bool is_float_dtype(int dtype);

// 0 when the args describe op and the library has a kernel for them, else a GF_ERR_* code.
int validate_rope(const gf_rope_args* a, RopeOp op);
int validate_norm(const gf_norm_args* a, NormOp op);

} // namespace gf
