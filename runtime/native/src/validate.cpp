#include "validate.h"

#include <cmath>
#include <cstdint>

#include "head_norm.h"

namespace gf {
namespace {

constexpr int kOk = 0;

bool finite(float v) { return std::isfinite(v); }

bool product_fits(int64_t a, int64_t b) { return a == 0 || b <= INT64_MAX / a; }

bool is_index_dtype(int dtype) { return dtype == GF_DTYPE_I64 || dtype == GF_DTYPE_I32; }

bool same_strides(const int64_t* x, const int64_t* y) { return x[0] == y[0] && x[1] == y[1] && x[2] == y[2]; }

// One of Q or K: in and out exist, strides are non-negative, and heads of the output do not overlap
// (two warps writing one element would race). In place means the same pointer and the same strides.
int check_tensor(int heads, int head_dim, const void* in, const int64_t* in_stride, const void* out,
                 const int64_t* out_stride) {
    if (heads == 0) return kOk;
    if (in == nullptr || out == nullptr) return GF_ERR_INVALID_ARGUMENT;
    for (int d = 0; d < 3; d++)
        if (in_stride[d] < 0 || out_stride[d] < 0) return GF_ERR_INVALID_ARGUMENT;
    if (heads > 1 && out_stride[2] < head_dim) return GF_ERR_INVALID_ARGUMENT;
    if (in == out && !same_strides(in_stride, out_stride)) return GF_ERR_INVALID_ARGUMENT;
    return kOk;
}

int check_angles(const gf_rope_args* a, bool mrope_op) {
    const int half = a->rotary_dim / 2;
    const bool table = a->angle_source == GF_ANGLES_TABLE;
    if (!table && a->angle_source != GF_ANGLES_INV_FREQ) return GF_ERR_INVALID_ARGUMENT;

    const int rows = a->position_rows;
    if (rows != 0 && rows != 1 && rows != 3) return GF_ERR_INVALID_ARGUMENT;
    if (rows == 3 && !mrope_op) return GF_ERR_INVALID_ARGUMENT;
    if (rows == 0 && !table) return GF_ERR_INVALID_ARGUMENT; // inv_freq needs a position
    if (rows > 0) {
        if (a->positions == nullptr) return GF_ERR_INVALID_ARGUMENT;
        if (!is_index_dtype(a->position_dtype)) return GF_ERR_UNSUPPORTED;
        for (int d = 0; d < 3; d++)
            if (a->position_stride[d] < 0) return GF_ERR_INVALID_ARGUMENT;
    }
    if (rows == 3) {
        if (a->mrope_interleaved != 0 && a->mrope_interleaved != 1) return GF_ERR_INVALID_ARGUMENT;
        int64_t sum = 0;
        for (int d = 0; d < 3; d++) {
            if (a->mrope_section[d] < 0) return GF_ERR_INVALID_ARGUMENT;
            sum += a->mrope_section[d];
        }
        if (sum != half) return GF_ERR_INVALID_ARGUMENT;
    }

    if (table) {
        if (!is_float_dtype(a->table_dtype)) return GF_ERR_UNSUPPORTED;
        if (a->cos == nullptr || a->sin == nullptr) return GF_ERR_INVALID_ARGUMENT;
        if (a->table_width != half && a->table_width != a->rotary_dim) return GF_ERR_INVALID_ARGUMENT;
        if (a->table_stride[0] < 0 || a->table_stride[1] < 0) return GF_ERR_INVALID_ARGUMENT;
        // positions index table rows: the range check needs the row count and somewhere to report
        if (rows > 0 && (a->max_position <= 0 || a->status == nullptr)) return GF_ERR_INVALID_ARGUMENT;
    } else {
        if (a->inv_freq == nullptr || !finite(a->attention_scaling)) return GF_ERR_INVALID_ARGUMENT;
        // no table to protect: max_position is an optional bound (0 = none)
        if (a->max_position < 0) return GF_ERR_INVALID_ARGUMENT;
        if (a->max_position > 0 && a->status == nullptr) return GF_ERR_INVALID_ARGUMENT;
    }
    return kOk;
}

} // namespace

bool is_float_dtype(int dtype) {
    return dtype == GF_DTYPE_F32 || dtype == GF_DTYPE_F16 || dtype == GF_DTYPE_BF16;
}

int validate_rope(const gf_rope_args* a, RopeOp op) {
    if (a == nullptr) return GF_ERR_INVALID_ARGUMENT;
    if (a->struct_size != static_cast<int64_t>(sizeof(gf_rope_args))) return GF_ERR_ABI;

    const bool norm_op = op == RopeOp::QkNorm || op == RopeOp::QkNormRope || op == RopeOp::QkNormMRope;
    const bool rope_op = op != RopeOp::QkNorm;
    const bool mrope_op = op == RopeOp::QkNormMRope || op == RopeOp::MRope;
    // the norm entry points take any norm kind (head_norm.h), the others none
    if ((a->has_norm != GF_NORM_NONE) != norm_op || !norm_args_valid(*a)) return GF_ERR_INVALID_ARGUMENT;
    if (rope_op ? a->rotary_dim <= 0 : a->rotary_dim != 0) return GF_ERR_INVALID_ARGUMENT;

    if (a->batch < 0 || a->seq < 0 || a->num_q_heads < 0 || a->num_k_heads < 0 || a->head_dim <= 0)
        return GF_ERR_INVALID_ARGUMENT;
    const int64_t heads = static_cast<int64_t>(a->num_q_heads) + a->num_k_heads;
    if (!product_fits(a->batch, a->seq) || !product_fits(a->batch * a->seq, heads))
        return GF_ERR_INVALID_ARGUMENT;
    if (a->rotary_dim < 0 || a->rotary_dim % 2 != 0 || a->rotary_dim > a->head_dim)
        return GF_ERR_INVALID_ARGUMENT;
    if (a->interleaved != 0 && a->interleaved != 1) return GF_ERR_INVALID_ARGUMENT;

    if (!is_float_dtype(a->dtype)) return GF_ERR_UNSUPPORTED;
    if (a->head_dim > GF_MAX_HEAD_DIM) return GF_ERR_UNSUPPORTED;

    int rc = check_tensor(a->num_q_heads, a->head_dim, a->q, a->q_stride, a->q_out, a->q_out_stride);
    if (rc != kOk) return rc;
    rc = check_tensor(a->num_k_heads, a->head_dim, a->k, a->k_stride, a->k_out, a->k_out_stride);
    if (rc != kOk) return rc;

    if (a->has_norm) {
        if (!(a->epsilon >= 0.0f) || !finite(a->epsilon) || !finite(a->weight_offset))
            return GF_ERR_INVALID_ARGUMENT;
        if (!is_float_dtype(a->weight_dtype)) return GF_ERR_UNSUPPORTED;
        if ((a->num_q_heads > 0 && a->q_weight == nullptr) || (a->num_k_heads > 0 && a->k_weight == nullptr))
            return GF_ERR_INVALID_ARGUMENT;
    }
    return a->rotary_dim > 0 ? check_angles(a, mrope_op) : kOk;
}

int validate_norm(const gf_norm_args* a, NormOp op) {
    if (a == nullptr) return GF_ERR_INVALID_ARGUMENT;
    if (a->struct_size != static_cast<int64_t>(sizeof(gf_norm_args))) return GF_ERR_ABI;

    switch (op) {
    case NormOp::Rms:
        if (a->gated != 0 || a->weight_offset != 0.0f) return GF_ERR_INVALID_ARGUMENT;
        break;
    case NormOp::Gemma:
        if (a->gated != 0 || a->weight_offset != 1.0f) return GF_ERR_INVALID_ARGUMENT;
        break;
    case NormOp::Gated:
        if (a->gated != 1 || !finite(a->weight_offset)) return GF_ERR_INVALID_ARGUMENT;
        break;
    }
    if (a->rows < 0 || a->n <= 0) return GF_ERR_INVALID_ARGUMENT;
    if (!(a->epsilon >= 0.0f) || !finite(a->epsilon)) return GF_ERR_INVALID_ARGUMENT;
    if (!is_float_dtype(a->dtype) || !is_float_dtype(a->out_dtype) || !is_float_dtype(a->weight_dtype))
        return GF_ERR_UNSUPPORTED;
    if (a->x == nullptr || a->out == nullptr || a->weight == nullptr) return GF_ERR_INVALID_ARGUMENT;
    if (a->gated && a->z == nullptr) return GF_ERR_INVALID_ARGUMENT;
    if (a->x_row_stride < 0 || (a->gated && a->z_row_stride < 0)) return GF_ERR_INVALID_ARGUMENT;
    if (a->rows > 1 && a->out_row_stride < a->n) return GF_ERR_INVALID_ARGUMENT; // rows would overlap
    // in place is fine element by element (each thread reads x[i] before writing out[i]), but only when
    // out is laid out exactly like its input
    if (a->out == a->x && (a->out_dtype != a->dtype || a->out_row_stride != a->x_row_stride))
        return GF_ERR_INVALID_ARGUMENT;
    if (a->gated && a->out == a->z && (a->out_dtype != a->dtype || a->out_row_stride != a->z_row_stride))
        return GF_ERR_INVALID_ARGUMENT;
    return kOk;
}

} // namespace gf
