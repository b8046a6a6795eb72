// The graphfuse ops this library registers with ONNX Runtime: name, inputs, outputs and attributes with
// their kinds and defaults. The single source of these declarations is ops/graphfuse.fuse in the pattern
// library; this table is checked against it field by field by OrtOpContractTest (through
// gf_ort_contract()), so the two cannot drift apart silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gf::ort {

// Which binding and launch serve an op: the row norms (gf_norm_args), the rope family (gf_rope_args: the QK
// ops, Rope, MRope) or MRopeCosSin's own kernel. Within a family the code reads the op's declared attributes
// and inputs, and where that is not enough its name (OpDecl::is), so an op in an existing family adds a row
// to the table and no enumerator.
enum class OpFamily { Norm, Rope, CosSin };

enum class AttrKind { Float, Int, Ints, String };

struct AttrDecl {
    const char* name;
    AttrKind kind;
    // required: no default, the node must carry it. optional (ints?): may be absent, no default.
    enum Presence { Required, Default, Optional } presence;
    double float_default;
    int64_t int_default;
    const char* string_default;
};

// Which inputs must share the element type of the first (the rotated / normalized tensors) and which
// are free (scales, tables, positions, inv_freq). Outputs take the first input's type unless fp32.
enum class TypeRule { SameAsFirst, Float, Index, F32 };

struct OpDecl {
    OpFamily family;
    const char* name;
    std::vector<const char*> inputs;
    std::vector<TypeRule> input_types;
    std::vector<const char*> outputs;
    std::vector<TypeRule> output_types;
    std::vector<AttrDecl> attrs;
    // Inputs from this index on are optional, as `name?` in the declaration: trailing inputs a node may
    // leave out (ONNX), which the kernel then sees as absent (TensorArg::absent()).
    size_t required_inputs = SIZE_MAX;
    bool optional_input(size_t i) const { return i >= required_inputs; }
    // Whether this is the op declared as `name`. A name no op declares throws std::logic_error: a misspelt
    // name would otherwise just never match.
    bool is(const char* op_name) const;
};

const std::vector<OpDecl>& op_decls();

// The declarations in the .fuse signature syntax, one op per line (what gf_ort_contract() returns).
std::string contract_text();

} // namespace gf::ort
