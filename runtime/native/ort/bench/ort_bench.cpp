// gf-ort-bench: an ORIGINAL model and its graphfuse-OPTIMIZED form, each in an ONNX Runtime session with
// libgraphfuse_ort registered, fed the same inputs and timed run against run, alternating. Inputs and
// outputs are bound where the provider computes (IO binding), so a run on the CUDA provider moves no
// tensor between host and device: what a serving stack sees, and what ORT's CUDA graphs require. ORT's
// Java API has no IO binding, hence a C++ tool beside `graphfuse bench` (which includes host I/O).
//
//   gf-ort-bench --ort LIBONNXRUNTIME --library LIBGRAPHFUSE_ORT ORIGINAL OPTIMIZED [options]
//     --device cuda|cpu         provider and where the tensors live (default cuda)
//     --dim NAME=N              a value for a symbolic input dim (repeatable; every one must have a value)
//     --fix-dims                also give ORT those values as free-dimension overrides, so it folds the
//                               shape computations (implied by --cuda-graph, which needs every node on CUDA)
//     --cuda-graph              ORT's enable_cuda_graph on both sessions
//     --int NAME=V              the value of every element of an integer input
//     --int-max N               other integer inputs are uniform in [0, N) (default 1000: token ids and
//                               positions valid for a real vocabulary and context)
//     --warmup N --iterations N (default 5 / 50)   --seed N   --json FILE   --tf32
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "device_memory.h"
#include "half.h"
#include "host_api.h"

namespace gf::bench {
namespace {

struct Options {
    std::string ort_library, op_library, original, optimized, device = "cuda", json;
    std::map<std::string, int64_t> dims, ints;
    bool fix_dims = false, cuda_graph = false, tf32 = false;
    int warmup = 5, iterations = 50;
    int64_t int_max = 1000;
    uint64_t seed = 1;
};

[[noreturn]] void usage(const std::string& why) {
    throw std::invalid_argument(why + "\nusage: gf-ort-bench --ort LIBONNXRUNTIME --library LIBGRAPHFUSE_ORT ORIGINAL "
                                      "OPTIMIZED [--device cuda|cpu] [--dim NAME=N]... [--fix-dims] [--cuda-graph] "
                                      "[--int NAME=V]... [--int-max N] [--warmup N] [--iterations N] [--seed N] [--json FILE] [--tf32]");
}

int64_t parse_int(const std::string& text, const std::string& what, int64_t min) {
    try {
        size_t used = 0;
        long long v = std::stoll(text, &used);
        if (used == text.size() && v >= min) return v;
    } catch (const std::exception&) {
    }
    usage(what + ": expected an integer ≥ " + std::to_string(min) + ", got '" + text + "'");
}

std::pair<std::string, int64_t> name_value(const std::string& arg, const std::string& flag, int64_t min) {
    size_t eq = arg.find('=');
    if (eq == 0 || eq == std::string::npos) usage(flag + ": expected NAME=N, got '" + arg + "'");
    return {arg.substr(0, eq), parse_int(arg.substr(eq + 1), flag + " " + arg, min)};
}

Options parse(int argc, char** argv) {
    Options o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--ort") o.ort_library = value();
        else if (a == "--library") o.op_library = value();
        else if (a == "--device") o.device = value();
        else if (a == "--json") o.json = value();
        else if (a == "--dim") o.dims.insert(name_value(value(), a, 1));
        else if (a == "--int") o.ints.insert(name_value(value(), a, INT64_MIN));
        else if (a == "--int-max") o.int_max = parse_int(value(), a, 1);
        else if (a == "--warmup") o.warmup = static_cast<int>(parse_int(value(), a, 0));
        else if (a == "--iterations") o.iterations = static_cast<int>(parse_int(value(), a, 1));
        else if (a == "--seed") o.seed = static_cast<uint64_t>(parse_int(value(), a, 0));
        else if (a == "--fix-dims") o.fix_dims = true;
        else if (a == "--cuda-graph") o.cuda_graph = o.fix_dims = true;
        else if (a == "--tf32") o.tf32 = true;
        else if (a.rfind("--", 0) == 0) usage("unknown option " + a);
        else positional.push_back(a);
    }
    if (positional.size() != 2) usage("expected ORIGINAL and OPTIMIZED, got " + std::to_string(positional.size()) + " models");
    if (o.ort_library.empty() || o.op_library.empty()) usage("--ort and --library are required");
    if (o.cuda_graph && o.device != "cuda") usage("--cuda-graph needs --device cuda");
    o.original = positional[0];
    o.optimized = positional[1];
    return o;
}

// One model's session, its bound inputs and outputs, and its timings.
struct Side {
    std::string label, path;
    OrtSession* session = nullptr;
    OrtIoBinding* binding = nullptr;
    OrtRunOptions* run_options = nullptr;
    std::vector<DeclaredTensor> outputs; // with the shapes the first run produced
    std::vector<void*> output_data;
    std::vector<double> micros;
};

OrtSession* open_session(const HostApi& api, OrtEnv* env, const Options& o, const std::string& path, bool cuda_graph) {
    OrtSessionOptions* so = nullptr;
    api.ok(api.at<OrtStatus* (*)(OrtSessionOptions**)>(ort::kCreateSessionOptions)(&so), "CreateSessionOptions");
    std::unique_ptr<OrtSessionOptions, std::function<void(OrtSessionOptions*)>> guard(
        so, [&](OrtSessionOptions* p) { api.at<void (*)(OrtSessionOptions*)>(ort::kReleaseSessionOptions)(p); });
    api.ok(api.at<OrtStatus* (*)(OrtSessionOptions*, int)>(ort::kSetSessionLogSeverityLevel)(so, 3), "SetSessionLogSeverityLevel");
    api.ok(api.at<OrtStatus* (*)(OrtSessionOptions*, const char*)>(ort::kRegisterCustomOpsLibrary_V2)(so, o.op_library.c_str()),
           "registering " + o.op_library);
    if (o.fix_dims) {
        for (const auto& [name, v] : o.dims) {
            api.ok(api.at<OrtStatus* (*)(OrtSessionOptions*, const char*, int64_t)>(ort::kAddFreeDimensionOverrideByName)(
                       so, name.c_str(), v),
                   "AddFreeDimensionOverrideByName " + name);
        }
    }
    if (o.device == "cuda") {
        OrtCUDAProviderOptionsV2* cuda = nullptr;
        api.ok(api.at<OrtStatus* (*)(OrtCUDAProviderOptionsV2**)>(ort::kCreateCUDAProviderOptions)(&cuda),
               "CreateCUDAProviderOptions");
        const char* keys[] = {"device_id", "enable_cuda_graph", "use_tf32"};
        const char* values[] = {"0", cuda_graph ? "1" : "0", o.tf32 ? "1" : "0"};
        OrtStatus* s = api.at<OrtStatus* (*)(OrtCUDAProviderOptionsV2*, const char* const*, const char* const*, size_t)>(
            ort::kUpdateCUDAProviderOptions)(cuda, keys, values, 3);
        if (s == nullptr) {
            s = api.at<OrtStatus* (*)(OrtSessionOptions*, const OrtCUDAProviderOptionsV2*)>(
                ort::kSessionOptionsAppendExecutionProvider_CUDA_V2)(so, cuda);
        }
        api.at<void (*)(OrtCUDAProviderOptionsV2*)>(ort::kReleaseCUDAProviderOptions)(cuda);
        api.ok(s, "adding the CUDA execution provider");
    }
    OrtSession* session = nullptr;
    api.ok(api.at<OrtStatus* (*)(const OrtEnv*, const char*, const OrtSessionOptions*, OrtSession**)>(ort::kCreateSession)(
               env, path.c_str(), so, &session),
           path);
    return session;
}

// Resolved dims of a declared input; every symbolic dim needs a --dim.
std::vector<int64_t> input_shape(const DeclaredTensor& d, const Options& o) {
    std::vector<int64_t> shape;
    for (size_t k = 0; k < d.dims.size(); ++k) {
        if (d.dims[k] >= 0) {
            shape.push_back(d.dims[k]);
            continue;
        }
        auto it = o.dims.find(d.dim_names[k]);
        if (it == o.dims.end()) {
            throw std::runtime_error("input '" + d.name + "' dim " + std::to_string(k) + " ('" + d.dim_names[k]
                                     + "') has no value: give --dim " + (d.dim_names[k].empty() ? "?" : d.dim_names[k]) + "=N");
        }
        shape.push_back(it->second);
    }
    return shape;
}

size_t count(const std::vector<int64_t>& shape) {
    size_t n = 1;
    for (int64_t d : shape) n *= static_cast<size_t>(d);
    return n;
}

// Host bytes of a random input: floats ~ N(0, 0.5²) (the scale of a normed activation), integers uniform
// in [0, --int-max) unless --int fixes them.
std::vector<uint8_t> random_input(const DeclaredTensor& d, size_t n, const Options& o, std::mt19937_64& rng) {
    std::vector<uint8_t> bytes(n * element_size(d.elem_type));
    std::normal_distribution<float> normal(0.0f, 0.5f);
    std::uniform_int_distribution<int64_t> uniform(0, o.int_max - 1);
    auto fixed = o.ints.find(d.name);
    for (size_t i = 0; i < n; ++i) {
        switch (d.elem_type) {
        case 1: { float f = normal(rng); std::memcpy(&bytes[i * 4], &f, 4); break; }
        case 11: { double f = normal(rng); std::memcpy(&bytes[i * 8], &f, 8); break; }
        case 10: { uint16_t h = host::float_to_half(normal(rng)); std::memcpy(&bytes[i * 2], &h, 2); break; }
        case 16: { uint16_t h = host::float_to_bf16(normal(rng)); std::memcpy(&bytes[i * 2], &h, 2); break; }
        case 7: { int64_t v = fixed != o.ints.end() ? fixed->second : uniform(rng); std::memcpy(&bytes[i * 8], &v, 8); break; }
        case 6: { int32_t v = static_cast<int32_t>(fixed != o.ints.end() ? fixed->second : uniform(rng)); std::memcpy(&bytes[i * 4], &v, 4); break; }
        case 9: bytes[i] = 1; break;
        default: throw std::runtime_error("input '" + d.name + "': " + type_name(d.elem_type) + " inputs are not supported");
        }
    }
    return bytes;
}

double as_double(const uint8_t* p, int elem_type) {
    switch (elem_type) {
    case 1: { float f; std::memcpy(&f, p, 4); return f; }
    case 11: { double f; std::memcpy(&f, p, 8); return f; }
    case 10: { uint16_t h; std::memcpy(&h, p, 2); return host::half_to_float(h); }
    case 16: { uint16_t h; std::memcpy(&h, p, 2); return host::bf16_to_float(h); }
    case 7: { int64_t v; std::memcpy(&v, p, 8); return static_cast<double>(v); }
    case 6: { int32_t v; std::memcpy(&v, p, 4); return v; }
    default: return p[0];
    }
}

double percentile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    double pos = q * static_cast<double>(v.size() - 1);
    size_t lo = static_cast<size_t>(pos);
    size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
}

class Bench {
public:
    Bench(const Options& o) : o_(o), api_(o.ort_library), memory_(o.device) {}

    int run() {
        api_.ok(api_.at<OrtStatus* (*)(int, const char*, OrtEnv**)>(ort::kCreateEnv)(3, "gf-ort-bench", &env_), "CreateEnv");
        api_.ok(api_.at<OrtStatus* (*)(const char*, int, int, int, OrtMemoryInfo**)>(ort::kCreateMemoryInfo)(
                    memory_.ort_name(), 0, 0, 0, &memory_info_),
                "CreateMemoryInfo");
        sides_.resize(2);
        sides_[0].label = "original";
        sides_[0].path = o_.original;
        sides_[1].label = "optimized";
        sides_[1].path = o_.optimized;
        for (Side& s : sides_) s.session = open_session(api_, env_, o_, s.path, o_.cuda_graph);
        bind_inputs();
        for (Side& s : sides_) {
            if (o_.cuda_graph) {
                // ORT captures the graph inside the first Run, into whatever outputs are bound then: they
                // must be ours already, so a session without graphs tells their shapes first.
                probe_outputs(s);
                bind_own_outputs(s);
                run_once(s);
            } else {
                first_run(s);
            }
        }
        for (int i = 1; i < o_.warmup; ++i) {
            for (Side& s : sides_) timed_run(s);
        }
        for (Side& s : sides_) s.micros.clear();
        for (int i = 0; i < o_.iterations; ++i) {
            // alternate which side goes first, so neither always follows the other's cache state
            timed_run(sides_[i % 2]);
            timed_run(sides_[1 - i % 2]);
        }
        check_outputs_written();
        report();
        return 0;
    }

    ~Bench() {
        for (Side& s : sides_) {
            if (s.binding != nullptr) api_.at<void (*)(OrtIoBinding*)>(ort::kReleaseIoBinding)(s.binding);
            if (s.run_options != nullptr) api_.at<void (*)(OrtRunOptions*)>(ort::kReleaseRunOptions)(s.run_options);
            if (s.session != nullptr) api_.at<void (*)(OrtSession*)>(ort::kReleaseSession)(s.session);
        }
        for (OrtValue* v : owned_values_) api_.at<void (*)(OrtValue*)>(ort::kReleaseValue)(v);
        if (memory_info_ != nullptr) api_.at<void (*)(OrtMemoryInfo*)>(ort::kReleaseMemoryInfo)(memory_info_);
        if (env_ != nullptr) api_.at<void (*)(OrtEnv*)>(ort::kReleaseEnv)(env_);
    }

private:
    OrtValue* tensor(void* data, const std::vector<int64_t>& shape, int elem_type) {
        OrtValue* v = nullptr;
        api_.ok(api_.at<OrtStatus* (*)(const OrtMemoryInfo*, void*, size_t, const int64_t*, size_t, int, OrtValue**)>(
                    ort::kCreateTensorWithDataAsOrtValue)(memory_info_, data, count(shape) * element_size(elem_type),
                                                          shape.data(), shape.size(), elem_type, &v),
                "CreateTensorWithDataAsOrtValue");
        owned_values_.push_back(v);
        return v;
    }

    // The optimized model keeps the original's interface; both get the very same input buffers.
    void bind_inputs() {
        std::vector<DeclaredTensor> orig = api_.inputs(sides_[0].session);
        std::vector<DeclaredTensor> opt = api_.inputs(sides_[1].session);
        std::mt19937_64 rng(o_.seed);
        for (const DeclaredTensor& d : orig) {
            auto match = std::find_if(opt.begin(), opt.end(), [&](const DeclaredTensor& x) { return x.name == d.name; });
            if (match == opt.end() || match->elem_type != d.elem_type) {
                throw std::runtime_error("input '" + d.name + "' of " + o_.original + " is not an input of " + o_.optimized
                                         + " with the same element type");
            }
        }
        if (opt.size() != orig.size()) {
            throw std::runtime_error(o_.optimized + " has " + std::to_string(opt.size()) + " inputs, " + o_.original + " "
                                     + std::to_string(orig.size()));
        }
        for (Side& s : sides_) {
            api_.ok(api_.at<OrtStatus* (*)(OrtSession*, OrtIoBinding**)>(ort::kCreateIoBinding)(s.session, &s.binding),
                    "CreateIoBinding");
            api_.ok(api_.at<OrtStatus* (*)(OrtRunOptions**)>(ort::kCreateRunOptions)(&s.run_options), "CreateRunOptions");
        }
        for (const DeclaredTensor& d : orig) {
            std::vector<int64_t> shape = input_shape(d, o_);
            std::vector<uint8_t> host = random_input(d, count(shape), o_, rng);
            void* dev = memory_.allocate(host.size());
            memory_.upload(dev, host.data(), host.size());
            OrtValue* v = tensor(dev, shape, d.elem_type);
            inputs_.emplace_back(d.name, v);
            for (Side& s : sides_) {
                api_.ok(api_.at<OrtStatus* (*)(OrtIoBinding*, const char*, const OrtValue*)>(ort::kBindInput)(s.binding, d.name.c_str(), v),
                        "BindInput " + d.name);
            }
            input_summary_ += (input_summary_.empty() ? "" : ", ") + d.name + " " + type_name(d.elem_type) + " " + dims(shape);
        }
    }

    static std::string dims(const std::vector<int64_t>& shape) {
        std::string s = "[";
        for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
        return s + "]";
    }

    void run_once(Side& s) {
        api_.ok(api_.at<OrtStatus* (*)(OrtSession*, const OrtRunOptions*, const OrtIoBinding*)>(ort::kRunWithBinding)(
                    s.session, s.run_options, s.binding),
                s.label + " run");
        memory_.synchronize();
    }

    // Outputs land on the device first; their shapes then give buffers of our own, bound for every later
    // run (CUDA graphs replay into fixed addresses).
    void first_run(Side& s) {
        s.outputs = run_for_output_shapes(s.session, s.binding);
        api_.at<void (*)(OrtIoBinding*)>(ort::kClearBoundOutputs)(s.binding);
        bind_own_outputs(s);
    }

    // One run of `session` with its outputs left to ORT on the device; returns their names, types and shapes.
    std::vector<DeclaredTensor> run_for_output_shapes(OrtSession* session, OrtIoBinding* binding) {
        std::vector<DeclaredTensor> outs = api_.outputs(session);
        for (const DeclaredTensor& d : outs) {
            api_.ok(api_.at<OrtStatus* (*)(OrtIoBinding*, const char*, const OrtMemoryInfo*)>(ort::kBindOutputToDevice)(
                        binding, d.name.c_str(), memory_info_),
                    "BindOutputToDevice " + d.name);
        }
        api_.ok(api_.at<OrtStatus* (*)(OrtSession*, const OrtRunOptions*, const OrtIoBinding*)>(ort::kRunWithBinding)(
                    session, nullptr, binding),
                "run");
        memory_.synchronize();
        OrtAllocator* alloc = api_.default_allocator();
        OrtValue** values = nullptr;
        size_t n = 0;
        api_.ok(api_.at<OrtStatus* (*)(const OrtIoBinding*, OrtAllocator*, OrtValue***, size_t*)>(ort::kGetBoundOutputValues)(
                    binding, alloc, &values, &n),
                "GetBoundOutputValues");
        std::vector<DeclaredTensor> shapes;
        for (size_t i = 0; i < n; ++i) {
            DeclaredTensor d = api_.describe(values[i]);
            d.name = outs[i].name;
            shapes.push_back(d);
            api_.at<void (*)(OrtValue*)>(ort::kReleaseValue)(values[i]);
        }
        api_.ok(api_.at<OrtStatus* (*)(OrtAllocator*, void*)>(ort::kAllocatorFree)(alloc, values), "AllocatorFree");
        return shapes;
    }

    // The output shapes of s's model from a session of it without CUDA graphs (same dims, same inputs).
    void probe_outputs(Side& s) {
        OrtSession* probe = open_session(api_, env_, o_, s.path, false);
        OrtIoBinding* binding = nullptr;
        std::string failure;
        try {
            api_.ok(api_.at<OrtStatus* (*)(OrtSession*, OrtIoBinding**)>(ort::kCreateIoBinding)(probe, &binding),
                    "CreateIoBinding");
            for (const auto& [name, v] : inputs_) {
                api_.ok(api_.at<OrtStatus* (*)(OrtIoBinding*, const char*, const OrtValue*)>(ort::kBindInput)(binding, name.c_str(), v),
                        "BindInput " + name);
            }
            s.outputs = run_for_output_shapes(probe, binding);
        } catch (const std::exception& e) {
            failure = e.what();
        }
        if (binding != nullptr) api_.at<void (*)(OrtIoBinding*)>(ort::kReleaseIoBinding)(binding);
        api_.at<void (*)(OrtSession*)>(ort::kReleaseSession)(probe);
        if (!failure.empty()) throw std::runtime_error(s.label + ", session without CUDA graphs for the output shapes: " + failure);
    }

    void bind_own_outputs(Side& s) {
        for (const DeclaredTensor& d : s.outputs) {
            void* dev = memory_.allocate(count(d.dims) * element_size(d.elem_type));
            s.output_data.push_back(dev);
            api_.ok(api_.at<OrtStatus* (*)(OrtIoBinding*, const char*, const OrtValue*)>(ort::kBindOutput)(
                        s.binding, d.name.c_str(), tensor(dev, d.dims, d.elem_type)),
                    "BindOutput " + d.name);
        }
    }

    void timed_run(Side& s) {
        auto t0 = std::chrono::steady_clock::now();
        run_once(s);
        auto t1 = std::chrono::steady_clock::now();
        s.micros.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }

    // Fills every output with NaN bytes and runs each side once more: an output a run did not write (a CUDA
    // graph replaying into other buffers) would still hold them, and the comparison would mean nothing.
    void check_outputs_written() {
        for (Side& s : sides_) {
            for (size_t i = 0; i < s.outputs.size(); ++i) {
                memory_.fill(s.output_data[i], 0xFF, count(s.outputs[i].dims) * element_size(s.outputs[i].elem_type));
            }
            run_once(s);
            for (size_t i = 0; i < s.outputs.size(); ++i) {
                const DeclaredTensor& d = s.outputs[i];
                if (d.elem_type != 1 && d.elem_type != 10 && d.elem_type != 11 && d.elem_type != 16) continue;
                size_t es = element_size(d.elem_type), n = count(d.dims);
                std::vector<uint8_t> x(n * es);
                memory_.download(x.data(), s.output_data[i], x.size());
                size_t nan = 0;
                for (size_t k = 0; k < n; ++k) nan += std::isnan(as_double(&x[k * es], d.elem_type)) ? 1 : 0;
                if (nan > 0) {
                    throw std::runtime_error(s.label + " output '" + d.name + "': " + std::to_string(nan) + " of " + std::to_string(n)
                                             + " elements are NaN after a run into NaN-filled buffers (not written, or NaN)");
                }
            }
        }
    }

    // Largest |original - optimized| over the largest |original|, per output, from the last runs (NaN
    // when the original output is all zeros: no scale to be relative to).
    std::vector<std::pair<std::string, double>> compare() {
        std::vector<std::pair<std::string, double>> out;
        const Side& a = sides_[0];
        const Side& b = sides_[1];
        for (size_t i = 0; i < a.outputs.size(); ++i) {
            const DeclaredTensor& d = a.outputs[i];
            size_t j = 0;
            while (j < b.outputs.size() && b.outputs[j].name != d.name) ++j;
            if (j == b.outputs.size() || b.outputs[j].dims != d.dims || b.outputs[j].elem_type != d.elem_type) {
                out.emplace_back(d.name, NAN);
                continue;
            }
            size_t bytes = count(d.dims) * element_size(d.elem_type);
            std::vector<uint8_t> x(bytes), y(bytes);
            memory_.download(x.data(), a.output_data[i], bytes);
            memory_.download(y.data(), b.output_data[j], bytes);
            size_t es = element_size(d.elem_type);
            double diff = 0, scale = 0;
            for (size_t k = 0; k < count(d.dims); ++k) {
                double u = as_double(&x[k * es], d.elem_type), v = as_double(&y[k * es], d.elem_type);
                diff = std::max(diff, std::isnan(u - v) ? INFINITY : std::fabs(u - v));
                scale = std::max(scale, std::fabs(u));
            }
            out.emplace_back(d.name, scale > 0 ? diff / scale : NAN);
        }
        return out;
    }

    void report() {
        auto errors = compare();
        double m0 = percentile(sides_[0].micros, 0.5), m1 = percentile(sides_[1].micros, 0.5);
        std::printf("ONNX Runtime %s, %s provider on %s; %s%s%s\n", api_.version().c_str(), o_.device.c_str(),
                    memory_.device_name().c_str(), input_summary_.c_str(), o_.fix_dims ? "; dims fixed in both sessions" : "",
                    o_.cuda_graph ? "; CUDA graphs" : "");
        std::printf("%-10s %12s %12s   (%d runs each, alternating, after %d warm-up runs; µs)\n", "", "median", "p90",
                    o_.iterations, o_.warmup);
        for (const Side& s : sides_) {
            std::printf("%-10s %12.1f %12.1f\n", s.label.c_str(), percentile(s.micros, 0.5), percentile(s.micros, 0.9));
        }
        std::printf("speedup    %11.2fx\n", m0 / m1);
        for (const auto& [name, e] : errors) std::printf("output %s: max |original - optimized| / max |original| = %.3g\n", name.c_str(), e);
        if (!o_.json.empty()) write_json(errors, m0 / m1);
    }

    void write_json(const std::vector<std::pair<std::string, double>>& errors, double speedup) {
        std::ostringstream j;
        j << "{\n  \"ort_version\": \"" << api_.version() << "\",\n  \"device\": \"" << o_.device << "\",\n  \"card\": \""
          << memory_.device_name() << "\",\n  \"inputs\": \"" << input_summary_ << "\",\n  \"fixed_dims\": "
          << (o_.fix_dims ? "true" : "false") << ",\n  \"cuda_graph\": " << (o_.cuda_graph ? "true" : "false")
          << ",\n  \"warmup\": " << o_.warmup << ",\n  \"iterations\": " << o_.iterations;
        for (const Side& s : sides_) {
            j << ",\n  \"" << s.label << "\": {\"model\": \"" << s.path << "\", \"median_us\": " << percentile(s.micros, 0.5)
              << ", \"p90_us\": " << percentile(s.micros, 0.9) << ", \"min_us\": " << *std::min_element(s.micros.begin(), s.micros.end()) << "}";
        }
        j << ",\n  \"speedup\": " << speedup << ",\n  \"relative_error\": {";
        for (size_t i = 0; i < errors.size(); ++i) {
            j << (i ? ", " : "") << "\"" << errors[i].first << "\": ";
            if (std::isfinite(errors[i].second)) j << errors[i].second; else j << "null";
        }
        j << "}\n}\n";
        std::string tmp = o_.json + ".tmp";
        std::ofstream f(tmp);
        f << j.str();
        f.close();
        if (!f || std::rename(tmp.c_str(), o_.json.c_str()) != 0) {
            std::remove(tmp.c_str());
            throw std::runtime_error("cannot write " + o_.json);
        }
    }

    const Options& o_;
    HostApi api_;
    DeviceMemory memory_;
    OrtEnv* env_ = nullptr;
    OrtMemoryInfo* memory_info_ = nullptr;
    std::vector<Side> sides_;
    std::vector<OrtValue*> owned_values_;
    std::vector<std::pair<std::string, OrtValue*>> inputs_;
    std::string input_summary_;
};

} // namespace
} // namespace gf::bench

int main(int argc, char** argv) {
    try {
        gf::bench::Options o = gf::bench::parse(argc, argv);
        gf::bench::Bench b(o);
        return b.run();
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "gf-ort-bench: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gf-ort-bench: %s\n", e.what());
        return 1;
    }
}
