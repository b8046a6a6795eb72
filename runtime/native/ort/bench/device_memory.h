// Where the bench keeps a model's inputs and outputs: on the GPU for the CUDA provider (so a run moves no
// tensor between host and device, as a serving stack's does), in host memory for the CPU provider.
#pragma once

#include <cstddef>
#include <string>

namespace gf::bench {

class DeviceMemory {
public:
    // "cuda" or "cpu"; "cuda" in a build without CUDA, or on a machine without a GPU, throws.
    explicit DeviceMemory(const std::string& device);
    ~DeviceMemory();
    DeviceMemory(const DeviceMemory&) = delete;
    DeviceMemory& operator=(const DeviceMemory&) = delete;

    bool cuda() const { return cuda_; }
    // The name ORT's CreateMemoryInfo knows the memory by ("Cuda", "Cpu").
    const char* ort_name() const { return cuda_ ? "Cuda" : "Cpu"; }
    std::string device_name() const { return device_name_; }

    void* allocate(size_t bytes);
    void upload(void* dst, const void* src, size_t bytes);
    void download(void* dst, const void* src, size_t bytes);
    // Sets every byte of [dst, dst + bytes) to `byte`.
    void fill(void* dst, int byte, size_t bytes);
    // Waits until the device has finished everything queued (a no-op on the CPU).
    void synchronize();

private:
    bool cuda_;
    std::string device_name_;
    struct Block;
    Block* blocks_ = nullptr;
};

} // namespace gf::bench
