// RegisterCustomOps: every op of op_contract.cpp, once for ORT's CPU execution provider and, in a CUDA
// build, once for its CUDA execution provider (same name, same schema; ORT picks the kernel by the EP the
// node is placed on). Attributes and input types are checked once, when ORT creates the kernel, so a
// model the library cannot run fails at session creation with the node named; shapes are checked per
// call, since they can change between runs.
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "abi_layout.h"
#include "binding.h"
#include "cpu_kernels.h"
#include "node_attrs.h"
#include "op_contract.h"
#include "ort_api.h"
#include "cuda_ops.h"
#include "ort_c_api.h"
#include "shape_inference.h"

namespace gf::ort {

// The table RegisterCustomOps was given; shape inference gets no API pointer of its own.
const OrtApi* g_api = nullptr;

namespace {

constexpr const char* kDomain = "graphfuse";
constexpr const char* kCudaEp = "CUDAExecutionProvider";

struct OpEntry : OrtCustomOp {
    const OpDecl* decl;
    bool cuda;
};

const OpEntry& entry(const OrtCustomOp* op) { return *static_cast<const OpEntry*>(op); }

struct Kernel {
    const OpDecl* decl;
    bool cuda;
    Api api;
    NodeAttrs attrs;
    std::string where; // "graphfuse.QkNormRope node 'name' on CPUExecutionProvider: "
    int out_type = 0;  // the norms' output element type, as the graph declares it
};

bool is_float(int t) { return t == ONNX_TYPE_FLOAT || t == ONNX_TYPE_FLOAT16 || t == ONNX_TYPE_BFLOAT16; }
bool is_index(int t) { return t == ONNX_TYPE_INT64 || t == ONNX_TYPE_INT32; }

std::string node_name(const Api& api, const OrtKernelInfo* info) {
    size_t size = 0;
    OrtStatus* s = api.at<OrtStatus* (*)(const OrtKernelInfo*, char*, size_t*)>(kKernelInfo_GetNodeName)(info, nullptr, &size);
    if (s != nullptr) {
        api.release(s);
        return "?";
    }
    std::string name(size, '\0');
    check(api.at<OrtStatus* (*)(const OrtKernelInfo*, char*, size_t*)>(kKernelInfo_GetNodeName)(info, name.data(), &size));
    name.resize(std::strlen(name.c_str()));
    return name;
}

// Reads a declared attribute; false when the node does not carry it (or carries another kind).
bool read_attr(const Api& api, const OrtKernelInfo* info, const AttrDecl& d, AttrValue& v) {
    OrtStatus* s = nullptr;
    switch (d.kind) {
    case AttrKind::Float: {
        float f = 0;
        s = api.at<OrtStatus* (*)(const OrtKernelInfo*, const char*, float*)>(kKernelInfoGetAttribute_float)(info, d.name, &f);
        v.f = f;
        break;
    }
    case AttrKind::Int:
        s = api.at<OrtStatus* (*)(const OrtKernelInfo*, const char*, int64_t*)>(kKernelInfoGetAttribute_int64)(info, d.name, &v.i);
        break;
    case AttrKind::String: {
        auto get = api.at<OrtStatus* (*)(const OrtKernelInfo*, const char*, char*, size_t*)>(kKernelInfoGetAttribute_string);
        size_t size = 0;
        s = get(info, d.name, nullptr, &size);
        if (s == nullptr) {
            std::string text(size, '\0');
            s = get(info, d.name, text.data(), &size);
            text.resize(std::strlen(text.c_str()));
            v.s = text;
        }
        break;
    }
    case AttrKind::Ints: {
        auto get = api.at<OrtStatus* (*)(const OrtKernelInfo*, const char*, int64_t*, size_t*)>(kKernelInfoGetAttributeArray_int64);
        size_t count = 0;
        s = get(info, d.name, nullptr, &count);
        if (s == nullptr) {
            v.ints.assign(count, 0);
            s = count == 0 ? nullptr : get(info, d.name, v.ints.data(), &count);
        }
        break;
    }
    }
    if (s != nullptr) {
        api.release(s);
        return false;
    }
    return true;
}

const char* kind_word(AttrKind k) {
    switch (k) {
    case AttrKind::Float: return "a float";
    case AttrKind::Int: return "an int";
    case AttrKind::Ints: return "ints";
    case AttrKind::String: return "a string";
    }
    return "?";
}

int io_type(const Api& api, const OrtKernelInfo* info, Slot slot, size_t i) {
    Owned<OrtTypeInfo> ti{api, kReleaseTypeInfo};
    check(api.at<OrtStatus* (*)(const OrtKernelInfo*, size_t, OrtTypeInfo**)>(slot)(info, i, &ti.p));
    const OrtTensorTypeAndShapeInfo* tensor = nullptr;
    check(api.at<OrtStatus* (*)(const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo**)>(kCastTypeInfoToTensorInfo)(ti.p, &tensor));
    if (tensor == nullptr) return -1;
    ONNXTensorElementDataType t = ONNX_TYPE_UNDEFINED;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)>(kGetTensorElementType)(tensor, &t));
    return t;
}

// Whether the node gives optional input i: it has that many inputs and the one at i is a tensor (ONNX
// writes a left-out input in the middle as an empty name).
bool has_input(const Api& api, const OrtKernelInfo* info, size_t i) {
    size_t n = 0;
    check(api.at<OrtStatus* (*)(const OrtKernelInfo*, size_t*)>(kKernelInfo_GetInputCount)(info, &n));
    if (i >= n) return false;
    Owned<OrtTypeInfo> ti{api, kReleaseTypeInfo};
    OrtStatus* s = api.at<OrtStatus* (*)(const OrtKernelInfo*, size_t, OrtTypeInfo**)>(kKernelInfo_GetInputTypeInfo)(info, i, &ti.p);
    if (s != nullptr) {
        api.release(s);
        return false;
    }
    const OrtTensorTypeAndShapeInfo* tensor = nullptr;
    check(api.at<OrtStatus* (*)(const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo**)>(kCastTypeInfoToTensorInfo)(ti.p, &tensor));
    return tensor != nullptr;
}

// Element types against the declaration: the first input's type is shared by every SameAsFirst input.
void check_input_types(const Kernel& k, const OrtKernelInfo* info) {
    const OpDecl& d = *k.decl;
    int first = -1;
    for (size_t i = 0; i < d.inputs.size(); i++) {
        if (d.optional_input(i) && !has_input(k.api, info, i)) continue;
        const int t = io_type(k.api, info, kKernelInfo_GetInputTypeInfo, i);
        const TypeRule rule = d.input_types[i];
        std::string want;
        if (rule == TypeRule::SameAsFirst) {
            if (i == 0) {
                first = t;
                if (!is_float(t)) want = "f32, f16 or bf16";
            } else if (t != first) {
                want = "the type of " + std::string(d.inputs[0]) + " (" + dtype_name(first) + ")";
            }
        } else if (rule == TypeRule::Float && !is_float(t)) {
            want = "f32, f16 or bf16";
        } else if (rule == TypeRule::Index && !is_index(t)) {
            want = "int64 or int32";
        } else if (rule == TypeRule::F32 && t != ONNX_TYPE_FLOAT) {
            want = "f32";
        }
        if (!want.empty())
            throw BindError("input " + std::string(d.inputs[i]) + " is " + dtype_name(t) + ", expected " + want);
    }
}

#ifdef GF_ORT_WITH_CUDA
// The CUDA kernels take heads up to GF_MAX_HEAD_DIM: refuse a wider one when the session is built, not at run time.
// The last dim of input i as the graph declares it; -1 when it is symbolic or the rank is unknown.
int64_t declared_last_dim(const Api& api, const OrtKernelInfo* info, size_t i) {
    Owned<OrtTypeInfo> ti{api, kReleaseTypeInfo};
    check(api.at<OrtStatus* (*)(const OrtKernelInfo*, size_t, OrtTypeInfo**)>(kKernelInfo_GetInputTypeInfo)(info, i, &ti.p));
    const OrtTensorTypeAndShapeInfo* tensor = nullptr;
    check(api.at<OrtStatus* (*)(const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo**)>(kCastTypeInfoToTensorInfo)(ti.p, &tensor));
    if (tensor == nullptr) return -1;
    size_t rank = 0;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t*)>(kGetDimensionsCount)(tensor, &rank));
    if (rank == 0) return -1;
    std::vector<int64_t> dims(rank);
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)>(kGetDimensions)(tensor, dims.data(), rank));
    return dims.back();
}

void check_cuda_geometry(const Kernel& k, const OrtKernelInfo* info) {
    // the QkNorm family names its head size; Rope and MRope rotate their input's last dim
    int64_t hd = k.attrs.has("head_dim") ? k.attrs.i("head_dim") : -1;
    if (k.decl->is("Rope") || k.decl->is("MRope")) hd = declared_last_dim(k.api, info, 0);
    if (hd > GF_MAX_HEAD_DIM)
        throw BindError("head_dim " + std::to_string(hd) + " has no CUDA kernel (at most " +
                        std::to_string(GF_MAX_HEAD_DIM) + ")");
}
#endif

OrtStatus* create_kernel(const OrtCustomOp* op, const OrtApi* ort, const OrtKernelInfo* info, void** out) {
    const OpEntry& e = entry(op);
    Api api(ort);
    *out = nullptr;
    std::string where = std::string(kDomain) + "." + e.decl->name + " node '?' on " +
                        (e.cuda ? kCudaEp : "CPUExecutionProvider") + ": ";
    try {
        auto k = std::make_unique<Kernel>(Kernel{e.decl, e.cuda, api, NodeAttrs{}, ""});
        where = std::string(kDomain) + "." + e.decl->name + " node '" + node_name(api, info) + "' on " +
                (e.cuda ? kCudaEp : "CPUExecutionProvider") + ": ";
        k->where = where;
        for (const AttrDecl& d : e.decl->attrs) {
            AttrValue v;
            if (read_attr(api, info, d, v)) {
                k->attrs.set(d.name, v);
                continue;
            }
            switch (d.presence) {
            case AttrDecl::Required:
                throw BindError("attribute " + std::string(d.name) + " (" + kind_word(d.kind) + ") is missing or not " +
                                kind_word(d.kind));
            case AttrDecl::Default:
                v.f = d.float_default;
                v.i = d.int_default;
                if (d.string_default != nullptr) v.s = d.string_default;
                k->attrs.set(d.name, v);
                break;
            case AttrDecl::Optional: break;
            }
        }
        check_attrs(*e.decl, k->attrs);
        check_input_types(*k, info);
        if (e.decl->family == OpFamily::Norm) {
            k->out_type = io_type(api, info, kKernelInfo_GetOutputTypeInfo, 0);
            if (!is_float(k->out_type))
                throw BindError("output is " + dtype_name(k->out_type) + ", expected f32, f16 or bf16");
        }
#ifdef GF_ORT_WITH_CUDA
        if (e.cuda) check_cuda_geometry(*k, info);
#endif
        *out = k.release();
        return nullptr;
    } catch (const OrtFailure& f) {
        return f.status;
    } catch (const std::exception& x) {
        return api.status(ORT_INVALID_ARGUMENT, where + x.what());
    }
}

TensorArg input(const Api& api, OrtKernelContext* ctx, size_t i) {
    size_t n = 0;
    check(api.at<OrtStatus* (*)(const OrtKernelContext*, size_t*)>(kKernelContext_GetInputCount)(ctx, &n));
    const OrtValue* v = nullptr;
    if (i < n) check(api.at<OrtStatus* (*)(const OrtKernelContext*, size_t, const OrtValue**)>(kKernelContext_GetInput)(ctx, i, &v));
    if (v == nullptr) return TensorArg{nullptr, 0, {}}; // an optional input the node left out
    Owned<OrtTensorTypeAndShapeInfo> info{api, kReleaseTensorTypeAndShapeInfo};
    check(api.at<OrtStatus* (*)(const OrtValue*, OrtTensorTypeAndShapeInfo**)>(kGetTensorTypeAndShape)(v, &info.p));
    ONNXTensorElementDataType t = ONNX_TYPE_UNDEFINED;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)>(kGetTensorElementType)(info.p, &t));
    size_t rank = 0;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t*)>(kGetDimensionsCount)(info.p, &rank));
    TensorArg a{nullptr, t, std::vector<int64_t>(rank)};
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)>(kGetDimensions)(info.p, a.shape.data(), rank));
    void* data = nullptr;
    check(api.at<OrtStatus* (*)(OrtValue*, void**)>(kGetTensorMutableData)(const_cast<OrtValue*>(v), &data));
    a.data = data;
    return a;
}

void* output(const Api& api, OrtKernelContext* ctx, size_t i, const std::vector<int64_t>& shape) {
    OrtValue* v = nullptr;
    check(api.at<OrtStatus* (*)(OrtKernelContext*, size_t, const int64_t*, size_t, OrtValue**)>(kKernelContext_GetOutput)(
        ctx, i, shape.data(), shape.size(), &v));
    void* data = nullptr;
    check(api.at<OrtStatus* (*)(OrtValue*, void**)>(kGetTensorMutableData)(v, &data));
    return data;
}

int64_t count(const std::vector<int64_t>& shape) {
    int64_t c = 1;
    for (int64_t d : shape) c *= d;
    return c;
}

void* stream_of(const Api& api, OrtKernelContext* ctx) {
    void* stream = nullptr;
    check(api.at<OrtStatus* (*)(const OrtKernelContext*, void**)>(kKernelContext_GetGPUComputeStream)(ctx, &stream));
    return stream;
}

// The CPU kernels' work, split into chunks run by ORT's intra-op thread pool (KernelContext_ParallelFor).
struct Runner {
    const Api* api;
    OrtKernelContext* ctx;
};

struct Chunks {
    void (*body)(void*, int64_t, int64_t);
    void* data;
    int64_t total;
    int64_t count;
};

void run_chunk(void* p, size_t i) {
    const Chunks& c = *static_cast<const Chunks*>(p);
    const int64_t n = static_cast<int64_t>(i);
    c.body(c.data, c.total * n / c.count, c.total * (n + 1) / c.count);
}

void for_each(void* runner, int64_t total, void (*body)(void*, int64_t, int64_t), void* data) {
    const Runner& r = *static_cast<const Runner*>(runner);
    // a few chunks per thread balance the load; ORT runs them inline when its pool has one thread
    Chunks c{body, data, total, total < 256 ? total : 256};
    check(r.api->at<OrtStatus* (*)(const OrtKernelContext*, void (*)(void*, size_t), size_t, size_t, void*)>(
        kKernelContext_ParallelFor)(r.ctx, run_chunk, static_cast<size_t>(c.count), 0, &c));
}

// One launch: on ORT's stream for the CUDA provider's kernels, on ORT's thread pool for the CPU provider's.
template <typename OnCuda, typename OnCpu> int launch(const Kernel& k, OrtKernelContext* ctx, OnCuda cuda, OnCpu cpu) {
    if (k.cuda) return cuda(stream_of(k.api, ctx));
    Runner runner{&k.api, ctx};
    return cpu(&runner);
}

void run(Kernel& k, OrtKernelContext* ctx) {
    const OpDecl& d = *k.decl;
    std::vector<TensorArg> in;
    for (size_t i = 0; i < d.inputs.size(); i++) in.push_back(input(k.api, ctx, i));
    int rc = 0;
    switch (d.family) {
    case OpFamily::Norm: {
        NormCall c = bind_norm(d, k.attrs, in, k.out_type);
        c.args.out = output(k.api, ctx, 0, c.out_shape);
        if (c.args.rows == 0) return;
        rc = launch(k, ctx, [&](void* stream) { return cuda_norm(c.args, stream); },
                    [&](Runner* r) { return cpu_norm(c.args, for_each, r); });
        break;
    }
    case OpFamily::CosSin: {
        const CosSinCall c = bind_cos_sin(k.attrs, in);
        float* cos = static_cast<float*>(output(k.api, ctx, 0, c.out_shape));
        float* sin = static_cast<float*>(output(k.api, ctx, 1, c.out_shape));
        if (c.tokens == 0) return;
        rc = launch(k, ctx, [&](void* stream) { return cuda_cos_sin(c, cos, sin, stream); },
                    [&](Runner* r) { return cpu_cos_sin(c, cos, sin, for_each, r), 0; });
        break;
    }
    case OpFamily::Rope: {
        RopeCall c = bind_rope_family(d, k.attrs, in);
        c.args.q_out = output(k.api, ctx, 0, c.q_out_shape);
        if (d.outputs.size() > 1) c.args.k_out = output(k.api, ctx, 1, c.k_out_shape);
        if (count(c.q_out_shape) == 0 && (d.outputs.size() < 2 || count(c.k_out_shape) == 0)) return;
        rc = launch(k, ctx, [&](void* stream) { return cuda_rope(c.args, stream); },
                    [&](Runner* r) { return cpu_rope(c.args, for_each, r); });
        break;
    }
    }
    if (rc != 0) throw BindError(cuda_error_string(rc));
}

OrtStatus* compute(void* kernel, OrtKernelContext* ctx) {
    Kernel& k = *static_cast<Kernel*>(kernel);
    try {
        run(k, ctx);
        return nullptr;
    } catch (const OrtFailure& f) {
        return f.status;
    } catch (const BindError& x) {
        return k.api.status(ORT_INVALID_ARGUMENT, k.where + x.what());
    } catch (const std::exception& x) {
        return k.api.status(ORT_FAIL, k.where + x.what());
    }
}

void destroy(void* kernel) { delete static_cast<Kernel*>(kernel); }

OrtStatus* infer_shapes(const OrtCustomOp* op, OrtShapeInferContext* ctx) {
    return infer_output_shapes(Api(g_api), *entry(op).decl, ctx);
}

// ---- the op table ----

const char* get_name(const OrtCustomOp* op) { return entry(op).decl->name; }
const char* get_ep(const OrtCustomOp* op) { return entry(op).cuda ? kCudaEp : nullptr; }
// Any type here; the kernel checks each against the declaration when it is created (check_input_types),
// with a message a user can act on, and shape inference gives the outputs their types.
ONNXTensorElementDataType any_type(const OrtCustomOp*, size_t) { return ONNX_TYPE_UNDEFINED; }
size_t input_count(const OrtCustomOp* op) { return entry(op).decl->inputs.size(); }
size_t output_count(const OrtCustomOp* op) { return entry(op).decl->outputs.size(); }
OrtCustomOpInputOutputCharacteristic input_kind(const OrtCustomOp* op, size_t i) {
    return entry(op).decl->optional_input(i) ? ORT_IO_OPTIONAL : ORT_IO_REQUIRED;
}
OrtCustomOpInputOutputCharacteristic required(const OrtCustomOp*, size_t) { return ORT_IO_REQUIRED; }
OrtMemType device_memory(const OrtCustomOp*, size_t) { return ORT_MEM_DEFAULT; }
int min_arity(const OrtCustomOp*) { return 1; }
int homogeneous(const OrtCustomOp*) { return 0; }
int start_version(const OrtCustomOp*) { return 1; }

OpEntry make_entry(const OpDecl& d, bool cuda) {
    OpEntry e{};
    e.version = kApiVersion;
    e.GetName = get_name;
    e.GetExecutionProviderType = get_ep;
    e.GetInputType = any_type;
    e.GetInputTypeCount = input_count;
    e.GetOutputType = any_type;
    e.GetOutputTypeCount = output_count;
    e.KernelDestroy = destroy;
    e.GetInputCharacteristic = input_kind;
    e.GetOutputCharacteristic = required;
    e.GetInputMemoryType = device_memory;
    e.GetVariadicInputMinArity = min_arity;
    e.GetVariadicInputHomogeneity = homogeneous;
    e.GetVariadicOutputMinArity = min_arity;
    e.GetVariadicOutputHomogeneity = homogeneous;
    e.CreateKernelV2 = create_kernel;
    e.KernelComputeV2 = compute;
    e.InferOutputShapeFn = infer_shapes;
    e.GetStartVersion = start_version;
    e.decl = &d;
    e.cuda = cuda;
    return e;
}

// ORT keeps pointers to the op structs for the life of every session that registered them.
const std::vector<OpEntry>& entries() {
    static const std::vector<OpEntry> all = [] {
        std::vector<OpEntry> v;
        for (const OpDecl& d : op_decls()) {
            v.push_back(make_entry(d, false));
#ifdef GF_ORT_WITH_CUDA
            v.push_back(make_entry(d, true));
#endif
        }
        return v;
    }();
    return all;
}

} // namespace
} // namespace gf::ort

extern "C" {

__attribute__((visibility("default"))) OrtStatus* RegisterCustomOps(OrtSessionOptions* options, const OrtApiBase* base) {
    using namespace gf::ort;
    const OrtApi* ort = base->GetApi(kApiVersion);
    if (ort == nullptr) return nullptr; // cannot even build a status: ORT reports the failed registration itself
    g_api = ort;
    Api api(ort);
    try {
        OrtCustomOpDomain* domain = nullptr;
        check(api.at<OrtStatus* (*)(const char*, OrtCustomOpDomain**)>(kCreateCustomOpDomain)(kDomain, &domain));
        for (const OpEntry& e : entries())
            check(api.at<OrtStatus* (*)(OrtCustomOpDomain*, const OrtCustomOp*)>(kCustomOpDomain_Add)(domain, &e));
        // the domain must outlive the sessions; ORT does not take ownership, so it is never released
        check(api.at<OrtStatus* (*)(OrtSessionOptions*, OrtCustomOpDomain*)>(kAddCustomOpDomain)(options, domain));
        return nullptr;
    } catch (const OrtFailure& f) {
        return f.status;
    } catch (const std::exception& x) {
        return api.status(ORT_FAIL, std::string("graphfuse: registering the custom ops failed: ") + x.what());
    }
}

// The registered ops in .fuse signature syntax; tests compare it with ops/graphfuse.fuse.
__attribute__((visibility("default"))) const char* gf_ort_contract(void) {
    static const std::string text = gf::ort::contract_text();
    return text.c_str();
}

// The argument structs' layout as compiled (abi_layout.h); tests compare the Java layouts with it.
__attribute__((visibility("default"))) const char* gf_ort_abi_layout(void) { return gf::abi_layout_text(); }

// 1 when this build registers the CUDA execution provider's kernels too.
__attribute__((visibility("default"))) int gf_ort_has_cuda(void) {
#ifdef GF_ORT_WITH_CUDA
    return 1;
#else
    return 0;
#endif
}

} // extern "C"
