#include "device_memory.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

#ifdef GF_ORT_WITH_CUDA
#include <cuda_runtime_api.h>
#endif

namespace gf::bench {

struct DeviceMemory::Block {
    void* p;
    Block* next;
};

namespace {
#ifdef GF_ORT_WITH_CUDA
void cuda_ok(cudaError_t e, const char* what) {
    if (e != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(e));
}
#endif
} // namespace

DeviceMemory::DeviceMemory(const std::string& device) : cuda_(device == "cuda") {
    if (device != "cuda" && device != "cpu") throw std::runtime_error("--device must be cuda or cpu, got '" + device + "'");
    if (!cuda_) {
        device_name_ = "host memory";
        return;
    }
#ifdef GF_ORT_WITH_CUDA
    cudaDeviceProp prop{};
    cuda_ok(cudaGetDeviceProperties(&prop, 0), "no usable GPU (cudaGetDeviceProperties)");
    device_name_ = prop.name;
#else
    throw std::runtime_error("--device cuda: this build of the bench tool has no CUDA (configure with GF_WITH_CUDA=ON)");
#endif
}

DeviceMemory::~DeviceMemory() {
    while (blocks_ != nullptr) {
        Block* b = blocks_;
        blocks_ = b->next;
#ifdef GF_ORT_WITH_CUDA
        if (cuda_) cudaFree(b->p); else std::free(b->p);
#else
        std::free(b->p);
#endif
        delete b;
    }
}

void* DeviceMemory::allocate(size_t bytes) {
    void* p = nullptr;
    size_t n = bytes == 0 ? 1 : bytes;
#ifdef GF_ORT_WITH_CUDA
    if (cuda_) cuda_ok(cudaMalloc(&p, n), "cudaMalloc");
    else p = std::aligned_alloc(64, (n + 63) / 64 * 64);
#else
    p = std::aligned_alloc(64, (n + 63) / 64 * 64);
#endif
    if (p == nullptr) throw std::runtime_error("out of memory allocating " + std::to_string(bytes) + " bytes");
    blocks_ = new Block{p, blocks_};
    return p;
}

void DeviceMemory::upload(void* dst, const void* src, size_t bytes) {
#ifdef GF_ORT_WITH_CUDA
    if (cuda_) {
        cuda_ok(cudaMemcpy(dst, src, bytes, cudaMemcpyHostToDevice), "cudaMemcpy to the device");
        return;
    }
#endif
    std::memcpy(dst, src, bytes);
}

void DeviceMemory::download(void* dst, const void* src, size_t bytes) {
#ifdef GF_ORT_WITH_CUDA
    if (cuda_) {
        cuda_ok(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost), "cudaMemcpy to the host");
        return;
    }
#endif
    std::memcpy(dst, src, bytes);
}

void DeviceMemory::fill(void* dst, int byte, size_t bytes) {
#ifdef GF_ORT_WITH_CUDA
    if (cuda_) {
        cuda_ok(cudaMemset(dst, byte, bytes), "cudaMemset");
        return;
    }
#endif
    std::memset(dst, byte, bytes);
}

void DeviceMemory::synchronize() {
#ifdef GF_ORT_WITH_CUDA
    if (cuda_) cuda_ok(cudaDeviceSynchronize(), "cudaDeviceSynchronize");
#endif
}

} // namespace gf::bench
