#include "abi_layout.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <type_traits>

#include "graphfuse_kernels.h"

namespace gf {
namespace {

// The element kind of a field as bindings name it: a pointer, or a 32/64-bit integer or a float (of an
// array field: its elements'). Any other type in an argument struct fails to compile here.
template <typename T> const char* kind_of() {
    if constexpr (std::is_pointer_v<T>) return "ptr";
    else if constexpr (std::is_same_v<T, float>) return "f32";
    else if constexpr (std::is_same_v<T, int32_t>) return "i32";
    else {
        static_assert(std::is_same_v<T, int64_t>, "argument struct fields are pointers, int32_t, int64_t or float");
        return "i64";
    }
}

// snprintf, not std::to_string: the latter's digit table is a GNU unique symbol, which the kernels
// library would export (its exports are gf_* only)
void add(std::string& out, const char* s, const char* f, size_t offset, size_t bytes, const char* kind) {
    char line[160];
    snprintf(line, sizeof line, "%s %s %zu %zu %s\n", s, f, offset, bytes, kind);
    out += line;
}

// One line per field, from the header's field lists: nothing here names a field.
#define GF_REPORT_ROPE(type, name) add(out, "gf_rope_args", #name, offsetof(gf_rope_args, name), sizeof(gf_rope_args::name), kind_of<type>());
#define GF_REPORT_ROPE_ARRAY(type, name, count) GF_REPORT_ROPE(type, name)
#define GF_REPORT_NORM(type, name) add(out, "gf_norm_args", #name, offsetof(gf_norm_args, name), sizeof(gf_norm_args::name), kind_of<type>());
#define GF_REPORT_NORM_ARRAY(type, name, count) GF_REPORT_NORM(type, name)

std::string build() {
    std::string out;
    add(out, "gf_rope_args", "sizeof", 0, sizeof(gf_rope_args), "-");
    GF_ROPE_ARGS_FIELDS(GF_REPORT_ROPE, GF_REPORT_ROPE_ARRAY)
    add(out, "gf_norm_args", "sizeof", 0, sizeof(gf_norm_args), "-");
    GF_NORM_ARGS_FIELDS(GF_REPORT_NORM, GF_REPORT_NORM_ARRAY)
    return out;
}

} // namespace

const char* abi_layout_text() {
    static const std::string text = build();
    return text.c_str();
}

} // namespace gf
