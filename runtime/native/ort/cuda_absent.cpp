// A build without nvcc registers no CUDA-provider ops, so these are never reached; they keep the op
// library's launch path the same in both builds.
#include "cuda_ops.h"
#include "library_errors.h"

namespace gf::ort {

int cuda_rope(const gf_rope_args&, void*) { return GF_ERR_NO_DEVICE; }
int cuda_norm(const gf_norm_args&, void*) { return GF_ERR_NO_DEVICE; }
int cuda_cos_sin(const CosSinCall&, float*, float*, void*) { return GF_ERR_NO_DEVICE; }

const char* cuda_error_string(int code) {
    const char* own = library_error(code);
    return own != nullptr ? own : "graphfuse: error code without a name in a build without CUDA";
}

} // namespace gf::ort
