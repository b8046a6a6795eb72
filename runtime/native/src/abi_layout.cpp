#include "abi_layout.h"

#include <cstddef>
#include <cstdio>
#include <string>

#include "graphfuse_kernels.h"

namespace gf {
namespace {

// snprintf, not std::to_string: the latter's digit table is a GNU unique symbol, which the kernels
// library would export (its exports are gf_* only)
void add(std::string& out, const char* s, const char* f, size_t offset, size_t bytes) {
    char line[128];
    snprintf(line, sizeof line, "%s %s %zu %zu\n", s, f, offset, bytes);
    out += line;
}

#define GF_FIELD(S, F) add(out, #S, #F, offsetof(S, F), sizeof(static_cast<S*>(nullptr)->F))
#define GF_SIZEOF(S) add(out, #S, "sizeof", 0, sizeof(S))

std::string build() {
    std::string out;
    GF_SIZEOF(gf_rope_args);
    GF_FIELD(gf_rope_args, struct_size);
    GF_FIELD(gf_rope_args, dtype);
    GF_FIELD(gf_rope_args, weight_dtype);
    GF_FIELD(gf_rope_args, batch);
    GF_FIELD(gf_rope_args, seq);
    GF_FIELD(gf_rope_args, num_q_heads);
    GF_FIELD(gf_rope_args, num_k_heads);
    GF_FIELD(gf_rope_args, head_dim);
    GF_FIELD(gf_rope_args, rotary_dim);
    GF_FIELD(gf_rope_args, interleaved);
    GF_FIELD(gf_rope_args, has_norm);
    GF_FIELD(gf_rope_args, epsilon);
    GF_FIELD(gf_rope_args, weight_offset);
    GF_FIELD(gf_rope_args, q);
    GF_FIELD(gf_rope_args, q_out);
    GF_FIELD(gf_rope_args, k);
    GF_FIELD(gf_rope_args, k_out);
    GF_FIELD(gf_rope_args, q_stride);
    GF_FIELD(gf_rope_args, q_out_stride);
    GF_FIELD(gf_rope_args, k_stride);
    GF_FIELD(gf_rope_args, k_out_stride);
    GF_FIELD(gf_rope_args, q_weight);
    GF_FIELD(gf_rope_args, k_weight);
    GF_FIELD(gf_rope_args, angle_source);
    GF_FIELD(gf_rope_args, table_dtype);
    GF_FIELD(gf_rope_args, cos);
    GF_FIELD(gf_rope_args, sin);
    GF_FIELD(gf_rope_args, table_stride);
    GF_FIELD(gf_rope_args, table_width);
    GF_FIELD(gf_rope_args, position_rows);
    GF_FIELD(gf_rope_args, position_dtype);
    GF_FIELD(gf_rope_args, mrope_interleaved);
    GF_FIELD(gf_rope_args, positions);
    GF_FIELD(gf_rope_args, position_stride);
    GF_FIELD(gf_rope_args, max_position);
    GF_FIELD(gf_rope_args, inv_freq);
    GF_FIELD(gf_rope_args, attention_scaling);
    GF_FIELD(gf_rope_args, mrope_section);
    GF_FIELD(gf_rope_args, status);

    GF_SIZEOF(gf_norm_args);
    GF_FIELD(gf_norm_args, struct_size);
    GF_FIELD(gf_norm_args, dtype);
    GF_FIELD(gf_norm_args, out_dtype);
    GF_FIELD(gf_norm_args, weight_dtype);
    GF_FIELD(gf_norm_args, gated);
    GF_FIELD(gf_norm_args, rows);
    GF_FIELD(gf_norm_args, n);
    GF_FIELD(gf_norm_args, epsilon);
    GF_FIELD(gf_norm_args, weight_offset);
    GF_FIELD(gf_norm_args, x);
    GF_FIELD(gf_norm_args, z);
    GF_FIELD(gf_norm_args, out);
    GF_FIELD(gf_norm_args, weight);
    GF_FIELD(gf_norm_args, x_row_stride);
    GF_FIELD(gf_norm_args, z_row_stride);
    GF_FIELD(gf_norm_args, out_row_stride);
    return out;
}

} // namespace

const char* abi_layout_text() {
    static const std::string text = build();
    return text.c_str();
}

} // namespace gf
