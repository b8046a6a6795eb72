#include "host_api.h"

#include <dlfcn.h>

namespace gf::bench {

namespace {
using ort::OrtFailure;
}

HostApi::HostApi(const std::string& library) {
    void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (handle == nullptr) {
        throw std::runtime_error("cannot load ONNX Runtime from " + library + ": " + dlerror());
    }
    using GetApiBase = const OrtApiBase* (*)();
    auto base_fn = reinterpret_cast<GetApiBase>(dlsym(handle, "OrtGetApiBase"));
    if (base_fn == nullptr) {
        throw std::runtime_error(library + " has no OrtGetApiBase: not an ONNX Runtime library");
    }
    const OrtApiBase* base = base_fn();
    version_ = base->GetVersionString();
    const OrtApi* table = base->GetApi(ort::kApiVersion);
    if (table == nullptr) {
        throw std::runtime_error("ONNX Runtime " + version_ + " at " + library + " is older than API version "
                                 + std::to_string(ort::kApiVersion) + " (ORT 1.17)");
    }
    api_ = ort::Api(table);
}

void HostApi::ok(OrtStatus* s, const std::string& what) const {
    if (s == nullptr) return;
    std::string m = api_.message(s);
    api_.release(s);
    throw std::runtime_error(what + ": " + m);
}

OrtAllocator* HostApi::default_allocator() const {
    OrtAllocator* a = nullptr;
    ok(at<OrtStatus* (*)(OrtAllocator**)>(ort::kGetAllocatorWithDefaultOptions)(&a), "GetAllocatorWithDefaultOptions");
    return a;
}

DeclaredTensor HostApi::from_type_info(const OrtTypeInfo* info) const {
    const OrtTensorTypeAndShapeInfo* t = nullptr;
    ok(at<OrtStatus* (*)(const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo**)>(ort::kCastTypeInfoToTensorInfo)(info, &t),
       "CastTypeInfoToTensorInfo");
    if (t == nullptr) {
        throw std::runtime_error("not a tensor (sequences and maps are not benchmarked)");
    }
    DeclaredTensor d;
    ONNXTensorElementDataType et{};
    ok(at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)>(ort::kGetTensorElementType)(t, &et),
       "GetTensorElementType");
    d.elem_type = et;
    size_t rank = 0;
    ok(at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t*)>(ort::kGetDimensionsCount)(t, &rank), "GetDimensionsCount");
    d.dims.resize(rank);
    ok(at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)>(ort::kGetDimensions)(t, d.dims.data(), rank),
       "GetDimensions");
    std::vector<const char*> names(rank, nullptr);
    ok(at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, const char**, size_t)>(ort::kGetSymbolicDimensions)(t, names.data(), rank),
       "GetSymbolicDimensions");
    for (const char* n : names) d.dim_names.emplace_back(n == nullptr ? "" : n);
    return d;
}

std::vector<DeclaredTensor> HostApi::declared(const OrtSession* session, bool inputs) const {
    size_t count = 0;
    ok(at<OrtStatus* (*)(const OrtSession*, size_t*)>(inputs ? ort::kSessionGetInputCount : ort::kSessionGetOutputCount)(session, &count),
       "SessionGetInputCount");
    OrtAllocator* alloc = default_allocator();
    std::vector<DeclaredTensor> out;
    for (size_t i = 0; i < count; ++i) {
        char* name = nullptr;
        ok(at<OrtStatus* (*)(const OrtSession*, size_t, OrtAllocator*, char**)>(
               inputs ? ort::kSessionGetInputName : ort::kSessionGetOutputName)(session, i, alloc, &name),
           "SessionGetInputName");
        std::string n = name;
        ok(at<OrtStatus* (*)(OrtAllocator*, void*)>(ort::kAllocatorFree)(alloc, name), "AllocatorFree");
        OrtTypeInfo* info = nullptr;
        ok(at<OrtStatus* (*)(const OrtSession*, size_t, OrtTypeInfo**)>(
               inputs ? ort::kSessionGetInputTypeInfo : ort::kSessionGetOutputTypeInfo)(session, i, &info),
           "SessionGetInputTypeInfo");
        try {
            DeclaredTensor d = from_type_info(info);
            d.name = n;
            out.push_back(std::move(d));
        } catch (const std::runtime_error& e) {
            at<void (*)(OrtTypeInfo*)>(ort::kReleaseTypeInfo)(info);
            throw std::runtime_error((inputs ? "input '" : "output '") + n + "': " + e.what());
        }
        at<void (*)(OrtTypeInfo*)>(ort::kReleaseTypeInfo)(info);
    }
    return out;
}

DeclaredTensor HostApi::describe(const OrtValue* value) const {
    OrtTensorTypeAndShapeInfo* t = nullptr;
    ok(at<OrtStatus* (*)(const OrtValue*, OrtTensorTypeAndShapeInfo**)>(ort::kGetTensorTypeAndShape)(value, &t),
       "GetTensorTypeAndShape");
    DeclaredTensor d;
    ONNXTensorElementDataType et{};
    size_t rank = 0;
    OrtStatus* s = at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)>(ort::kGetTensorElementType)(t, &et);
    if (s == nullptr) s = at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t*)>(ort::kGetDimensionsCount)(t, &rank);
    if (s == nullptr) {
        d.dims.resize(rank);
        s = at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)>(ort::kGetDimensions)(t, d.dims.data(), rank);
    }
    at<void (*)(OrtTensorTypeAndShapeInfo*)>(ort::kReleaseTensorTypeAndShapeInfo)(t);
    ok(s, "reading an output's type and shape");
    d.elem_type = et;
    return d;
}

void* HostApi::data(OrtValue* value) const {
    void* p = nullptr;
    ok(at<OrtStatus* (*)(OrtValue*, void**)>(ort::kGetTensorMutableData)(value, &p), "GetTensorMutableData");
    return p;
}

size_t element_size(int t) {
    switch (t) {
    case 1: case 6: case 12: return 4;    // float, int32, uint32
    case 7: case 11: case 13: return 8;   // int64, double, uint64
    case 10: case 16: case 4: case 5: return 2; // float16, bfloat16, uint16, int16
    case 2: case 3: case 9: return 1;     // uint8, int8, bool
    default: throw std::runtime_error("element type " + type_name(t) + " is not supported by the bench tool");
    }
}

std::string type_name(int t) {
    switch (t) {
    case 1: return "float32";
    case 6: return "int32";
    case 7: return "int64";
    case 9: return "bool";
    case 10: return "float16";
    case 11: return "float64";
    case 16: return "bfloat16";
    default: return "ONNX type " + std::to_string(t);
    }
}

} // namespace gf::bench
