// Output types and shapes from the inputs' (possibly symbolic) shapes, declared to ORT when it resolves the
// graph, so it can plan memory and run its shape-dependent passes.
#include "shape_inference.h"

#include <atomic>
#include <string>
#include <vector>

namespace gf::ort {
namespace {

struct Dim {
    int64_t size; // -1: symbolic or unknown
    std::string name;
};

bool read_int_attr(const Api& api, OrtShapeInferContext* ctx, const char* name, std::vector<int64_t>& out) {
    const OrtOpAttr* attr = nullptr;
    OrtStatus* s = api.at<OrtStatus* (*)(const OrtShapeInferContext*, const char*, const OrtOpAttr**)>(
        kShapeInferContext_GetAttribute)(ctx, name, &attr);
    if (s != nullptr || attr == nullptr) {
        api.release(s);
        return false;
    }
    auto read = api.at<OrtStatus* (*)(const OrtOpAttr*, OrtOpAttrType, void*, size_t, size_t*)>(kReadOpAttr);
    size_t bytes = 0;
    int64_t one = 0;
    s = read(attr, ORT_ATTR_INT, &one, sizeof one, &bytes);
    if (s == nullptr) {
        out.assign(1, one);
        return true;
    }
    api.release(s);
    s = read(attr, ORT_ATTR_INTS, nullptr, 0, &bytes); // asks for the size
    api.release(s);
    out.assign(bytes / sizeof(int64_t), 0);
    if (out.empty()) return true;
    s = read(attr, ORT_ATTR_INTS, out.data(), bytes, &bytes);
    if (s != nullptr) {
        api.release(s);
        return false;
    }
    return true;
}

std::vector<Dim> input_dims(const Api& api, OrtShapeInferContext* ctx, size_t i, int& type) {
    OrtTensorTypeAndShapeInfo* info = nullptr; // owned by the context
    check(api.at<OrtStatus* (*)(const OrtShapeInferContext*, size_t, OrtTensorTypeAndShapeInfo**)>(
        kShapeInferContext_GetInputTypeShape)(ctx, i, &info));
    ONNXTensorElementDataType t = ONNX_TYPE_UNDEFINED;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)>(kGetTensorElementType)(info, &t));
    type = t;
    size_t rank = 0;
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, size_t*)>(kGetDimensionsCount)(info, &rank));
    std::vector<int64_t> sizes(rank);
    std::vector<const char*> names(rank, nullptr);
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)>(kGetDimensions)(info, sizes.data(), rank));
    check(api.at<OrtStatus* (*)(const OrtTensorTypeAndShapeInfo*, const char**, size_t)>(kGetSymbolicDimensions)(
        info, names.data(), rank));
    std::vector<Dim> dims(rank);
    for (size_t d = 0; d < rank; d++) dims[d] = Dim{sizes[d], names[d] != nullptr ? names[d] : ""};
    return dims;
}

void set_output(const Api& api, OrtShapeInferContext* ctx, size_t i, int type, const std::vector<Dim>& dims) {
    Owned<OrtTensorTypeAndShapeInfo> info{api, kReleaseTensorTypeAndShapeInfo};
    check(api.at<OrtStatus* (*)(OrtTensorTypeAndShapeInfo**)>(kCreateTensorTypeAndShapeInfo)(&info.p));
    check(api.at<OrtStatus* (*)(OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType)>(kSetTensorElementType)(
        info.p, static_cast<ONNXTensorElementDataType>(type)));
    std::vector<int64_t> sizes;
    std::vector<const char*> names;
    // A dim neither fixed nor named (ORT knows nothing of it) gets a name of its own: a size of -1 would
    // reach ORT's graph as the fixed size -1 and fail every broadcast after it.
    std::vector<std::string> fresh;
    fresh.reserve(dims.size());
    static std::atomic<unsigned> unnamed{0};
    for (const Dim& d : dims) {
        sizes.push_back(d.size);
        if (d.size < 0 && d.name.empty()) {
            fresh.push_back("graphfuse_dim_" + std::to_string(unnamed.fetch_add(1)));
            names.push_back(fresh.back().c_str());
        } else {
            names.push_back(d.name.c_str());
        }
    }
    check(api.at<OrtStatus* (*)(OrtTensorTypeAndShapeInfo*, const int64_t*, size_t)>(kSetDimensions)(info.p, sizes.data(), sizes.size()));
    check(api.at<OrtStatus* (*)(OrtTensorTypeAndShapeInfo*, const char**, size_t)>(kSetSymbolicDimensions)(
        info.p, names.data(), names.size()));
    check(api.at<OrtStatus* (*)(const OrtShapeInferContext*, size_t, const OrtTensorTypeAndShapeInfo*)>(
        kShapeInferContext_SetOutputTypeShape)(ctx, i, info.p));
}

// [lead..., heads, hd] from q / k stored as [lead..., heads*hd] or [lead..., heads, hd], then perm.
bool heads_shape(std::vector<Dim> x, int64_t heads, int64_t hd, const std::vector<int64_t>* perm, std::vector<Dim>& out) {
    const size_t r = x.size();
    if (r >= 2 && x[r - 1].size == hd && x[r - 2].size == heads) x.resize(r - 2);
    else if (r >= 1 && (x[r - 1].size == heads * hd || x[r - 1].size < 0)) x.resize(r - 1);
    else return false;
    x.push_back(Dim{heads, ""});
    x.push_back(Dim{hd, ""});
    if (perm == nullptr) {
        out = x;
        return true;
    }
    if (perm->size() != x.size()) return false;
    out.clear();
    for (int64_t a : *perm) {
        if (a < 0 || a >= static_cast<int64_t>(x.size())) return false;
        out.push_back(x[a]);
    }
    return true;
}

std::vector<Dim> permuted(const std::vector<Dim>& x, const std::vector<int64_t>* perm) {
    if (perm == nullptr || perm->size() != x.size()) return x;
    std::vector<Dim> out;
    for (int64_t a : *perm) out.push_back(a >= 0 && a < static_cast<int64_t>(x.size()) ? x[a] : Dim{-1, ""});
    return out;
}

bool declares(const OpDecl& d, const char* attr) {
    for (const AttrDecl& a : d.attrs)
        if (std::string(a.name) == attr) return true;
    return false;
}

} // namespace

OrtStatus* infer_output_shapes(const Api& api, const OpDecl& d, OrtShapeInferContext* ctx) {
    try {
        int type0 = 0;
        const std::vector<Dim> x = input_dims(api, ctx, 0, type0);
        // No op here takes a scalar first input, so rank 0 is ORT's answer for a shape it does not know
        // (a model without value_info for it). Declaring outputs from it would declare scalars, which
        // ORT then propagates into "Incompatible dimensions" downstream: leave the outputs to the model.
        if (x.empty()) return nullptr;
        std::vector<int64_t> perm_v;
        const std::vector<int64_t>* perm = read_int_attr(api, ctx, "perm", perm_v) ? &perm_v : nullptr;
        std::vector<int64_t> v;
        auto attr = [&](const char* name) { return read_int_attr(api, ctx, name, v) && v.size() == 1 ? v[0] : -1; };
        // the QK ops (those that declare head counts): [..., heads, head_dim] per tensor, then perm
        if (declares(d, "num_q_heads")) {
            int type1 = 0;
            const std::vector<Dim> k = input_dims(api, ctx, 1, type1);
            const int64_t nq = attr("num_q_heads"), nk = attr("num_kv_heads"), hd = attr("head_dim");
            std::vector<Dim> qo, ko;
            if (nq < 0 || nk < 0 || hd <= 0 || !heads_shape(x, nq, hd, perm, qo) || !heads_shape(k, nk, hd, perm, ko))
                return nullptr; // the kernel reports the mismatch with the actual shapes
            set_output(api, ctx, 0, type0, qo);
            set_output(api, ctx, 1, type0, ko);
            return nullptr;
        }
        if (d.is("MRope")) {
            set_output(api, ctx, 0, type0, permuted(x, perm));
        } else if (d.family == OpFamily::CosSin) {
            std::vector<int64_t> sec;
            if (x.empty() || !read_int_attr(api, ctx, "mrope_section", sec) || sec.size() != 3) return nullptr;
            std::vector<Dim> out(x.begin() + 1, x.end());
            out.push_back(Dim{sec[0] + sec[1] + sec[2], ""});
            set_output(api, ctx, 0, ONNX_TYPE_FLOAT, out);
            set_output(api, ctx, 1, ONNX_TYPE_FLOAT, out);
        } else if (d.is("Rope")) {
            set_output(api, ctx, 0, type0, x);
        } else {
            // norms keep X's shape; their output type is the graph's (Hugging Face's fp32 norm with a cast back
            // to fp16 is one op with an f32 X and an f16 output), so it is left for the model's value_info
            set_output(api, ctx, 0, ONNX_TYPE_UNDEFINED, x);
        }
        return nullptr;
    } catch (const OrtFailure& f) {
        return f.status;
    } catch (const std::exception& x) {
        return api.status(ORT_FAIL, std::string("graphfuse.") + d.name + ": shape inference: " + x.what());
    }
}

} // namespace gf::ort
