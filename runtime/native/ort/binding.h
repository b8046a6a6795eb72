// From a node's attributes and its input tensors' shapes to the kernels' argument structs (the C ABI of
// include/graphfuse_kernels.h), the same for both execution providers: only the pointers differ. A
// layout the kernels cannot express is a BindError with the reason, never a guess.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "graphfuse_kernels.h"
#include "node_attrs.h"
#include "op_contract.h"

namespace gf::ort {

class BindError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct TensorArg {
    const void* data;
    int32_t dtype; // ONNX element type
    std::vector<int64_t> shape;
    int64_t count() const;
    // an optional input the node left out (no data, no type)
    bool absent() const { return data == nullptr && dtype == 0; }
    std::string describe() const; // "f16[1,16,4096]"
};

// A rope-family call: args with every input pointer set; the caller allocates outputs of these shapes
// and sets q_out / k_out.
struct RopeCall {
    gf_rope_args args;
    std::vector<int64_t> q_out_shape;
    std::vector<int64_t> k_out_shape; // empty for one-tensor ops
};

struct NormCall {
    gf_norm_args args;
    std::vector<int64_t> out_shape;
};

// MRopeCosSin: cos / sin [*P, half] fp32 from positions [3, *P] and inv_freq's first half values.
struct CosSinCall {
    const void* positions;
    int32_t position_dtype;
    int64_t tokens; // product of P
    const float* inv_freq;
    int32_t half;
    int32_t section[3];
    int32_t interleaved_sections;
    float attention_scaling;
    std::vector<int64_t> out_shape;
};

RopeCall bind_rope_family(const OpDecl& op, const NodeAttrs& a, const std::vector<TensorArg>& in);
// out_dtype: the graph's type for the output (a norm rounds once, to it, whatever X's type).
NormCall bind_norm(const OpDecl& op, const NodeAttrs& a, const std::vector<TensorArg>& in, int32_t out_dtype);
CosSinCall bind_cos_sin(const NodeAttrs& a, const std::vector<TensorArg>& in);

// Attribute values a node can carry but no kernel takes (checked once, at kernel creation).
void check_attrs(const OpDecl& op, const NodeAttrs& a);

std::string dtype_name(int32_t dtype);

} // namespace gf::ort
