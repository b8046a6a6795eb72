#include "cpu_kernels.h"

#include <cmath>
#include <vector>

#include "half.h"
#include "head_norm.h"
#include "mrope_axis.h"

namespace gf::ort {
namespace {

float load(const void* p, int64_t i, int32_t dtype) {
    switch (dtype) {
    case GF_DTYPE_F16: return host::half_to_float(static_cast<const uint16_t*>(p)[i]);
    case GF_DTYPE_BF16: return host::bf16_to_float(static_cast<const uint16_t*>(p)[i]);
    default: return static_cast<const float*>(p)[i];
    }
}

void store(void* p, int64_t i, int32_t dtype, float v) {
    switch (dtype) {
    case GF_DTYPE_F16: static_cast<uint16_t*>(p)[i] = host::float_to_half(v); break;
    case GF_DTYPE_BF16: static_cast<uint16_t*>(p)[i] = host::float_to_bf16(v); break;
    default: static_cast<float*>(p)[i] = v; break;
    }
}

int64_t load_index(const void* p, int64_t i, int32_t dtype) {
    return dtype == GF_DTYPE_I32 ? static_cast<const int32_t*>(p)[i] : static_cast<const int64_t*>(p)[i];
}

// 1 / sqrt(v) of an fp32 v, rounded once to fp32 (through double).
float inv_sqrt(float v) { return static_cast<float>(1.0 / std::sqrt(static_cast<double>(v))); }

// 1 / sqrt(sum(x^2) / n + eps) in fp32, as the device reduces it (order aside).
float rsqrt_mean_square(const float* x, int64_t n, float eps) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; i++) sum += x[i] * x[i];
    return inv_sqrt(sum / static_cast<float>(n) + eps);
}

// One head, all of it in y, for norm_head (head_norm.h): sums in element order.
struct WholeHead {
    bool is_q;
    int64_t head;
    int hd;
    static bool in_head(int) { return true; }
    static int64_t element(int e) { return e; }
    static float head_sum(float s) { return s; }
    static float inv_sqrt(float v) { return gf::ort::inv_sqrt(v); }
    static float load(const void* p, int64_t i, int32_t dtype) { return gf::ort::load(p, i, dtype); }
};

int mrope_axis(const gf_rope_args& a, int j) {
    if (a.position_rows != 3) return 0;
    return mrope_axis_of(j, a.mrope_interleaved, a.mrope_section[0], a.mrope_section[1], a.mrope_section[2]);
}

int64_t position(const gf_rope_args& a, int axis, int64_t b, int64_t s) {
    return load_index(a.positions, axis * a.position_stride[0] + b * a.position_stride[1] + s * a.position_stride[2],
                      a.position_dtype);
}

struct Angles {
    std::vector<float> cos_a, sin_a, cos_b, sin_b; // members a and b of pair j differ only for full-width tables
};

void angles(const gf_rope_args& a, int64_t b, int64_t s, Angles& an) {
    const int half = a.rotary_dim / 2;
    if (a.angle_source == GF_ANGLES_TABLE) {
        const bool full = a.table_width == a.rotary_dim;
        for (int j = 0; j < half; j++) {
            const int64_t row = a.position_rows == 0 ? b * a.table_stride[0] + s * a.table_stride[1]
                                                     : position(a, mrope_axis(a, j), b, s) * a.table_stride[1];
            const int ia = !full ? j : a.interleaved ? 2 * j : j;
            const int ib = !full ? j : a.interleaved ? 2 * j + 1 : j + half;
            an.cos_a[j] = load(a.cos, row + ia, a.table_dtype);
            an.sin_a[j] = load(a.sin, row + ia, a.table_dtype);
            an.cos_b[j] = load(a.cos, row + ib, a.table_dtype);
            an.sin_b[j] = load(a.sin, row + ib, a.table_dtype);
        }
    } else {
        for (int j = 0; j < half; j++) {
            const float theta = static_cast<float>(position(a, mrope_axis(a, j), b, s)) * a.inv_freq[j];
            an.cos_a[j] = an.cos_b[j] = std::cos(theta) * a.attention_scaling;
            an.sin_a[j] = an.sin_b[j] = std::sin(theta) * a.attention_scaling;
        }
    }
}

void head(const gf_rope_args& a, bool is_q, int64_t b, int64_t s, int h, std::vector<float>& y, const Angles& an) {
    const void* in = is_q ? a.q : a.k;
    const int64_t* in_stride = is_q ? a.q_stride : a.k_stride;
    void* out = is_q ? a.q_out : a.k_out;
    const int64_t* out_stride = is_q ? a.q_out_stride : a.k_out_stride;
    const int hd = a.head_dim;
    const int64_t src = b * in_stride[0] + s * in_stride[1] + h * in_stride[2];
    for (int i = 0; i < hd; i++) y[i] = load(in, src + i, a.dtype);
    norm_head(a, WholeHead{is_q, h, hd}, y.data(), hd);
    const int64_t dst = b * out_stride[0] + s * out_stride[1] + h * out_stride[2];
    const int half = a.rotary_dim / 2;
    for (int j = 0; j < half; j++) {
        const int ia = a.interleaved ? 2 * j : j;
        const int ib = a.interleaved ? 2 * j + 1 : j + half;
        const float ya = y[ia], yb = y[ib];
        store(out, dst + ia, a.dtype, ya * an.cos_a[j] - yb * an.sin_a[j]);
        store(out, dst + ib, a.dtype, yb * an.cos_b[j] + ya * an.sin_b[j]);
    }
    for (int i = a.rotary_dim; i < hd; i++) store(out, dst + i, a.dtype, y[i]);
}

bool positions_in_range(const gf_rope_args& a) {
    if (a.rotary_dim == 0 || a.position_rows == 0 || a.angle_source != GF_ANGLES_TABLE) return true;
    for (int axis = 0; axis < a.position_rows; axis++)
        for (int64_t b = 0; b < a.batch; b++)
            for (int64_t s = 0; s < a.seq; s++) {
                const int64_t p = position(a, axis, b, s);
                if (p < 0 || p >= a.max_position) return false;
            }
    return true;
}

} // namespace

namespace {

void run_chunks(int64_t total, ForEach for_each, void* runner, void (*body)(void*, int64_t, int64_t), void* data) {
    if (total <= 0) return;
    if (for_each == nullptr) body(data, 0, total);
    else for_each(runner, total, body, data);
}

void rope_tokens(void* data, int64_t first, int64_t last) {
    const gf_rope_args& a = *static_cast<const gf_rope_args*>(data);
    std::vector<float> y(a.head_dim);
    const int half = a.rotary_dim / 2;
    Angles an{std::vector<float>(half), std::vector<float>(half), std::vector<float>(half), std::vector<float>(half)};
    for (int64_t t = first; t < last; t++) {
        const int64_t b = t / a.seq, s = t % a.seq;
        if (half > 0) angles(a, b, s, an);
        for (int h = 0; h < a.num_q_heads; h++) head(a, true, b, s, h, y, an);
        for (int h = 0; h < a.num_k_heads; h++) head(a, false, b, s, h, y, an);
    }
}

void norm_rows(void* data, int64_t first, int64_t last) {
    const gf_norm_args& a = *static_cast<const gf_norm_args*>(data);
    std::vector<float> x(a.n);
    for (int64_t row = first; row < last; row++) {
        const int64_t src = row * a.x_row_stride;
        for (int64_t i = 0; i < a.n; i++) x[i] = load(a.x, src + i, a.dtype);
        const float r = rsqrt_mean_square(x.data(), a.n, a.epsilon);
        const int64_t dst = row * a.out_row_stride;
        for (int64_t i = 0; i < a.n; i++) {
            float v = x[i] * r * (load(a.weight, i, a.weight_dtype) + a.weight_offset);
            if (a.gated) {
                const float z = load(a.z, row * a.z_row_stride + i, a.dtype);
                v = v * (z * static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(z)))));
            }
            store(a.out, dst + i, a.out_dtype, v);
        }
    }
}

struct CosSinJob {
    const CosSinCall* c;
    float* cos;
    float* sin;
};

void cos_sin_tokens(void* data, int64_t first, int64_t last) {
    const CosSinJob& job = *static_cast<const CosSinJob*>(data);
    const CosSinCall& c = *job.c;
    for (int64_t t = first; t < last; t++) {
        for (int j = 0; j < c.half; j++) {
            const int axis = mrope_axis_of(j, c.interleaved_sections, c.section[0], c.section[1], c.section[2]);
            const int64_t p = load_index(c.positions, axis * c.tokens + t, c.position_dtype);
            const float theta = static_cast<float>(p) * c.inv_freq[j];
            job.cos[t * c.half + j] = std::cos(theta) * c.attention_scaling;
            job.sin[t * c.half + j] = std::sin(theta) * c.attention_scaling;
        }
    }
}

} // namespace

int cpu_rope(const gf_rope_args& a, ForEach for_each, void* runner) {
    // checked before anything is written, so a refused call leaves the outputs as they were
    if (!positions_in_range(a)) return GF_ERR_POSITION_RANGE;
    run_chunks(a.batch * a.seq, for_each, runner, rope_tokens, const_cast<gf_rope_args*>(&a));
    return 0;
}

int cpu_norm(const gf_norm_args& a, ForEach for_each, void* runner) {
    run_chunks(a.rows, for_each, runner, norm_rows, const_cast<gf_norm_args*>(&a));
    return 0;
}

void cpu_cos_sin(const CosSinCall& c, float* cos, float* sin, ForEach for_each, void* runner) {
    CosSinJob job{&c, cos, sin};
    run_chunks(c.tokens, for_each, runner, cos_sin_tokens, &job);
}

} // namespace gf::ort
