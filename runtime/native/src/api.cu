// Library, device, memory and stream entry points. Every CUDA runtime call of the process that concerns
// these kernels must go through here: the runtime is linked statically and keeps its own state (current
// device, last error), which a second, shared libcudart would not see.
#include <cuda_runtime.h>

#include "abi_layout.h"
#include "graphfuse_kernels.h"
#include "library_errors.h"

namespace {

cudaStream_t as_stream(void* s) { return static_cast<cudaStream_t>(s); }

// A failed call also leaves its error as the runtime's "last error"; clear it so that the next kernel
// launch does not report it a second time (sticky errors stay sticky regardless).
int rc_of(cudaError_t e) {
    if (e != cudaSuccess) cudaGetLastError();
    return static_cast<int>(e);
}

int copy(void* dst, const void* src, size_t bytes, cudaMemcpyKind kind, void* stream) {
    if (bytes == 0) return 0;
    if (dst == nullptr || src == nullptr) return GF_ERR_INVALID_ARGUMENT;
    return rc_of(cudaMemcpyAsync(dst, src, bytes, kind, as_stream(stream)));
}

} // namespace

extern "C" {

int gf_abi_version(void) { return GF_ABI_VERSION; }

int64_t gf_args_size(int which) {
    switch (which) {
    case 1: return static_cast<int64_t>(sizeof(gf_rope_args));
    case 2: return static_cast<int64_t>(sizeof(gf_norm_args));
    default: return -1;
    }
}

const char* gf_abi_layout(void) { return gf::abi_layout_text(); }

const char* gf_error_string(int code) {
    if (const char* own = gf::library_error(code)) return own;
    if (code < 0 || code >= 10000) return "graphfuse: unknown error code";
    // a pure table look-up in the static runtime: works without a driver
    return cudaGetErrorString(static_cast<cudaError_t>(code));
}

int gf_device_count(int* count) {
    if (count == nullptr) return GF_ERR_INVALID_ARGUMENT;
    int n = 0;
    const cudaError_t e = cudaGetDeviceCount(&n);
    *count = e == cudaSuccess ? n : 0;
    return rc_of(e);
}

int gf_set_device(int device) { return rc_of(cudaSetDevice(device)); }

int gf_malloc(void** ptr, size_t bytes) {
    if (ptr == nullptr) return GF_ERR_INVALID_ARGUMENT;
    *ptr = nullptr;
    return rc_of(cudaMalloc(ptr, bytes));
}

int gf_free(void* ptr) { return ptr == nullptr ? 0 : rc_of(cudaFree(ptr)); }

int gf_memset(void* ptr, int value, size_t bytes, void* stream) {
    if (bytes == 0) return 0;
    if (ptr == nullptr) return GF_ERR_INVALID_ARGUMENT;
    return rc_of(cudaMemsetAsync(ptr, value, bytes, as_stream(stream)));
}

int gf_memcpy_h2d(void* dst, const void* src, size_t bytes, void* stream) {
    return copy(dst, src, bytes, cudaMemcpyHostToDevice, stream);
}

int gf_memcpy_d2h(void* dst, const void* src, size_t bytes, void* stream) {
    return copy(dst, src, bytes, cudaMemcpyDeviceToHost, stream);
}

int gf_memcpy_d2d(void* dst, const void* src, size_t bytes, void* stream) {
    return copy(dst, src, bytes, cudaMemcpyDeviceToDevice, stream);
}

int gf_stream_create(void** stream) {
    if (stream == nullptr) return GF_ERR_INVALID_ARGUMENT;
    *stream = nullptr;
    cudaStream_t s = nullptr;
    // a blocking stream, so work the caller put on the legacy default stream (NULL) stays ordered with it
    const cudaError_t e = cudaStreamCreate(&s);
    if (e == cudaSuccess) *stream = s;
    return rc_of(e);
}

int gf_stream_destroy(void* stream) {
    return stream == nullptr ? 0 : rc_of(cudaStreamDestroy(as_stream(stream)));
}

int gf_stream_synchronize(void* stream) { return rc_of(cudaStreamSynchronize(as_stream(stream))); }

} // extern "C"
