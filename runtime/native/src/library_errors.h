// The text of the library's own error codes (GF_ERR_*), shared by gf_error_string and by the ONNX Runtime
// op library's build without CUDA; null for any other code.
#pragma once

#include "graphfuse_kernels.h"

namespace gf {

inline const char* library_error(int code) {
    switch (code) {
    case GF_ERR_ABI: return "graphfuse: argument struct size or ABI version mismatch";
    case GF_ERR_INVALID_ARGUMENT: return "graphfuse: invalid argument (NULL pointer, negative size or inconsistent geometry)";
    case GF_ERR_UNSUPPORTED: return "graphfuse: unsupported (no kernel for this dtype or head_dim)";
    case GF_ERR_POSITION_RANGE: return "graphfuse: a position is outside [0, max_position)";
    case GF_ERR_NO_DEVICE: return "graphfuse: no CUDA device";
    default: return nullptr;
    }
}

} // namespace gf
