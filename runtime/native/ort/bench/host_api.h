// ORT's host-side C API as the bench tool uses it: the runtime is dlopen'ed (no ORT library or header
// at build time), every call that fails throws with ORT's own message and the call's name.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ort_c_api.h"
#include "ort_api.h"

namespace gf::bench {

using ort::Slot;

enum class OrtAllocatorKind : int { Device = 0, Arena = 1 };

// A tensor's element type and dims as a session declares them (symbolic dims: value -1, name kept).
struct DeclaredTensor {
    std::string name;
    int elem_type = 0;
    std::vector<int64_t> dims;
    std::vector<std::string> dim_names;
};

class HostApi {
public:
    // Loads the runtime at `library` (libonnxruntime.so.1) and asks for the table of kApiVersion.
    explicit HostApi(const std::string& library);

    template <typename Fn> Fn at(Slot s) const { return api_.at<Fn>(s); }

    // Throws std::runtime_error("<what>: <ORT's message>") for a failed call.
    void ok(OrtStatus* s, const std::string& what) const;

    std::string version() const { return version_; }

    std::vector<DeclaredTensor> inputs(const OrtSession* session) const { return declared(session, true); }
    std::vector<DeclaredTensor> outputs(const OrtSession* session) const { return declared(session, false); }

    // The element type and dims of a tensor value.
    DeclaredTensor describe(const OrtValue* value) const;

    void* data(OrtValue* value) const;

    OrtAllocator* default_allocator() const;

private:
    std::vector<DeclaredTensor> declared(const OrtSession* session, bool inputs) const;
    DeclaredTensor from_type_info(const OrtTypeInfo* info) const;

    ort::Api api_{nullptr};
    std::string version_;
};

size_t element_size(int elem_type);

std::string type_name(int elem_type);

} // namespace gf::bench
