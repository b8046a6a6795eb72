#include "op_contract.h"

#include <cstring>
#include <sstream>
#include <stdexcept>

namespace gf::ort {
namespace {

AttrDecl required(const char* name, AttrKind kind) { return {name, kind, AttrDecl::Required, 0, 0, nullptr}; }
AttrDecl optional(const char* name, AttrKind kind) { return {name, kind, AttrDecl::Optional, 0, 0, nullptr}; }
AttrDecl int_default(const char* name, int64_t v) { return {name, AttrKind::Int, AttrDecl::Default, 0, v, nullptr}; }
AttrDecl float_default(const char* name, double v) { return {name, AttrKind::Float, AttrDecl::Default, v, 0, nullptr}; }
AttrDecl string_default(const char* name, const char* v) {
    return {name, AttrKind::String, AttrDecl::Default, 0, 0, v};
}

std::vector<AttrDecl> qk_norm_attrs() {
    return {required("epsilon", AttrKind::Float), required("num_q_heads", AttrKind::Int),
            required("num_kv_heads", AttrKind::Int), required("head_dim", AttrKind::Int), int_default("weight_offset", 0)};
}

std::vector<AttrDecl> concat(std::vector<AttrDecl> a, const std::vector<AttrDecl>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<AttrDecl> mrope_table_attrs() {
    return {required("mrope_section", AttrKind::Ints), string_default("section_layout", "interleaved"),
            float_default("attention_scaling", 1.0)};
}

std::vector<OpDecl> build() {
    using T = TypeRule;
    const std::vector<AttrDecl> norm_attrs = {required("epsilon", AttrKind::Float), int_default("axis", -1)};
    return {
        {OpFamily::Norm, "RmsNorm", {"X", "scale"}, {T::SameAsFirst, T::Float}, {"output"}, {T::SameAsFirst}, norm_attrs},
        {OpFamily::Norm, "GemmaRmsNorm", {"X", "scale"}, {T::SameAsFirst, T::Float}, {"output"}, {T::SameAsFirst},
         norm_attrs},
        {OpFamily::Norm, "RmsNormGated", {"X", "scale", "Z"}, {T::SameAsFirst, T::Float, T::SameAsFirst}, {"output"},
         {T::SameAsFirst}, norm_attrs},
        {OpFamily::Rope, "QkNorm", {"q", "k", "q_scale", "k_scale"}, {T::SameAsFirst, T::SameAsFirst, T::Float, T::Float},
         {"q_out", "k_out"}, {T::SameAsFirst, T::SameAsFirst}, concat(qk_norm_attrs(), {optional("perm", AttrKind::Ints)})},
        {OpFamily::Rope, "QkNormRope", {"q", "k", "q_scale", "k_scale", "cos", "sin"},
         {T::SameAsFirst, T::SameAsFirst, T::Float, T::Float, T::Float, T::Float}, {"q_out", "k_out"},
         {T::SameAsFirst, T::SameAsFirst},
         concat(qk_norm_attrs(), {int_default("interleaved", 0), required("rotary_dim", AttrKind::Int),
                                  optional("perm", AttrKind::Ints), string_default("cos_layout", "broadcast")})},
        // QkNormRope's ports and attributes with a LayerNorm (no weight_offset) and optional biases after cos / sin
        {OpFamily::Rope, "QkLayerNormRope", {"q", "k", "q_scale", "k_scale", "cos", "sin", "q_bias", "k_bias"},
         {T::SameAsFirst, T::SameAsFirst, T::Float, T::Float, T::Float, T::Float, T::Float, T::Float}, {"q_out", "k_out"},
         {T::SameAsFirst, T::SameAsFirst},
         {required("epsilon", AttrKind::Float), required("num_q_heads", AttrKind::Int), required("num_kv_heads", AttrKind::Int),
          required("head_dim", AttrKind::Int), int_default("interleaved", 0), required("rotary_dim", AttrKind::Int),
          optional("perm", AttrKind::Ints), string_default("cos_layout", "broadcast")},
         6},
        {OpFamily::Rope, "Rope", {"X", "cos", "sin"}, {T::SameAsFirst, T::Float, T::Float}, {"output"}, {T::SameAsFirst},
         {int_default("interleaved", 0), required("rotary_dim", AttrKind::Int)}},
        {OpFamily::CosSin, "MRopeCosSin", {"positions", "inv_freq"}, {T::Index, T::F32}, {"cos", "sin"},
         {T::F32, T::F32}, mrope_table_attrs()},
        {OpFamily::Rope, "MRope", {"X", "positions", "inv_freq"}, {T::SameAsFirst, T::Index, T::F32}, {"output"},
         {T::SameAsFirst},
         concat(mrope_table_attrs(), {int_default("interleaved", 0), required("rotary_dim", AttrKind::Int),
                                      optional("perm", AttrKind::Ints)})},
        {OpFamily::Rope, "QkNormMRope", {"q", "k", "q_scale", "k_scale", "positions", "inv_freq"},
         {T::SameAsFirst, T::SameAsFirst, T::Float, T::Float, T::Index, T::F32}, {"q_out", "k_out"},
         {T::SameAsFirst, T::SameAsFirst},
         concat(concat(qk_norm_attrs(), mrope_table_attrs()),
                {int_default("interleaved", 0), required("rotary_dim", AttrKind::Int), optional("perm", AttrKind::Ints)})},
    };
}

const char* kind_name(AttrKind k) {
    switch (k) {
    case AttrKind::Float: return "float";
    case AttrKind::Int: return "int";
    case AttrKind::Ints: return "ints";
    case AttrKind::String: return "string";
    }
    return "?";
}

// The .fuse type variable of a port: T for the first input's type, F for fp32; free ports have none.
const char* type_var(TypeRule r) {
    switch (r) {
    case TypeRule::SameAsFirst: return ": T";
    case TypeRule::F32: return ": F";
    default: return "";
    }
}

// Always with a decimal point, so the .fuse parser reads a float default as a float.
std::string float_text(double v) {
    std::ostringstream o;
    o << v;
    std::string t = o.str();
    if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
    return t;
}

} // namespace

const std::vector<OpDecl>& op_decls() {
    static const std::vector<OpDecl> decls = build();
    return decls;
}

bool OpDecl::is(const char* op_name) const {
    if (std::strcmp(name, op_name) == 0) return true;
    for (const OpDecl& d : op_decls())
        if (std::strcmp(d.name, op_name) == 0) return false;
    throw std::logic_error(std::string("no op graphfuse.") + op_name + " is declared");
}

std::string contract_text() {
    std::ostringstream o;
    for (const OpDecl& d : op_decls()) {
        o << "op graphfuse." << d.name << "(";
        for (size_t i = 0; i < d.inputs.size(); i++)
            o << (i ? ", " : "") << d.inputs[i] << type_var(d.input_types[i]) << (d.optional_input(i) ? "?" : "");
        o << ") -> (";
        for (size_t i = 0; i < d.outputs.size(); i++) o << (i ? ", " : "") << d.outputs[i] << type_var(d.output_types[i]);
        o << ") {";
        for (size_t i = 0; i < d.attrs.size(); i++) {
            const AttrDecl& a = d.attrs[i];
            o << (i ? ", " : "") << a.name << ": " << kind_name(a.kind);
            if (a.presence == AttrDecl::Optional) o << "?";
            if (a.presence == AttrDecl::Default) {
                o << " = ";
                if (a.kind == AttrKind::Int) o << a.int_default;
                else if (a.kind == AttrKind::Float) o << float_text(a.float_default);
                else o << '"' << a.string_default << '"';
            }
        }
        o << "};\n";
    }
    return o.str();
}

} // namespace gf::ort
