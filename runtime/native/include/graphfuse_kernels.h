/*
 * graphfuse native kernels: the C ABI.
 *
 * This header is the single source of truth for the boundary between Java (java.lang.foreign) and the
 * native library. The Java layouts (dev.graphfuse.runtime.kernels.NativeLayouts) are generated from the
 * compiled layout report, gf_abi_layout(), and checked against GF_ABI_VERSION and the struct sizes at load
 * time; NativeLayoutsTest fails when they no longer match the compiled structs.
 *
 * Conventions
 *  - Every function returns 0 on success, a CUDA runtime error code (cudaError_t, < 10000) or one of the
 *    GF_ERR_* codes below; gf_error_string() names any of them. No C++ types cross the boundary.
 *  - Element types use ONNX TensorProto.DataType numbers (GF_DTYPE_*), so the Java side passes the
 *    graph's own type codes.
 *  - All element offsets and strides are int64 and counted in elements, not bytes. The innermost
 *    (head_dim / normalized) axis is always contiguous.
 *  - Math is fp32 with one rounding at the store (docs/ops.md#conventions, "Precision").
 *  - Kernels launch asynchronously on the given stream (NULL = the legacy default stream) and return
 *    the launch status. Errors found on the device (a position outside the cos/sin table) are written
 *    to *status (a device int the caller zeroes and reads after synchronising); such a token's outputs
 *    are left unwritten, never read out of bounds.
 *  - Argument structs start with their own size so a stale caller is refused (GF_ERR_ABI).
 */
#ifndef GRAPHFUSE_KERNELS_H
#define GRAPHFUSE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(GF_BUILDING_LIBRARY)
#define GF_API __attribute__((visibility("default")))
#else
#define GF_API
#endif

/* Bumped on any change of a signature, struct layout or semantics below. */
#define GF_ABI_VERSION 2

/* Element types: ONNX TensorProto.DataType. */
#define GF_DTYPE_F32 1
#define GF_DTYPE_I32 6
#define GF_DTYPE_I64 7
#define GF_DTYPE_F16 10
#define GF_DTYPE_BF16 16

/* Library errors (CUDA's own codes are below 10000). */
#define GF_ERR_ABI 10001               /* struct size or ABI version mismatch */
#define GF_ERR_INVALID_ARGUMENT 10002  /* a NULL pointer, a negative size, an inconsistent geometry */
#define GF_ERR_UNSUPPORTED 10003       /* valid, but this library has no kernel for it (dtype, head_dim) */
#define GF_ERR_POSITION_RANGE 10004    /* written to *status: a position < 0 or >= max_position */
#define GF_ERR_NO_DEVICE 10005         /* built without CUDA, or no device */

/* The widest head the rope family takes (QkNorm, QkNormRope, QkNormMRope, MRope, Rope): any head_dim from 1 to this. */
#define GF_MAX_HEAD_DIM 512

/*
 * The argument structs' fields are declared once, as X-macro lists: F(type, name) for a scalar or pointer,
 * A(type, name, count) for an array. The lists define the structs below and, in the library, the layout
 * report gf_abi_layout() (src/abi_layout.cpp), which the Java binding (NativeLayouts.java, generated from it)
 * and the GPU scripts' ctypes structs (read from this header) are checked against. A field is added here
 * and nowhere else.
 */
#define GF_DECLARE_FIELD(type, name) type name;
#define GF_DECLARE_ARRAY(type, name, count) type name[count];

/* The per-head norm of the rope family (gf_rope_args.has_norm), step 1 below. */
#define GF_NORM_NONE 0
#define GF_NORM_RMS 1   /* QkNorm, QkNormRope, QkNormMRope */
#define GF_NORM_LAYER 2 /* QkLayerNormRope: mean removed, then the variance of the centred values; a bias */

/* Where the rotation angles come from. */
#define GF_ANGLES_TABLE 1    /* cos / sin tables, one row per token or per position */
#define GF_ANGLES_INV_FREQ 2 /* theta_j = f32(position) * inv_freq[j], computed on the fly */

/*
 * Per-head RMSNorm and rotary embedding of Q and K (QkNorm, QkNormRope, QkNormMRope, MRope, Rope).
 *
 * Tokens are indexed (b, s), b < batch, s < seq. Element (b, s, h, i) of q lives at
 *   q + b*q_stride[0] + s*q_stride[1] + h*q_stride[2] + i,   i < head_dim,
 * and likewise for q_out, k, k_out (in place: the same pointer and strides). For each head:
 *   1. has_norm = GF_NORM_RMS: y_i = x_i * r * (w_i + weight_offset), r = 1/sqrt(sum(x^2)/head_dim + epsilon),
 *      w = q_weight or k_weight ([head_dim], weight_dtype).
 *      has_norm = GF_NORM_LAYER: m = sum(x)/head_dim, c_i = x_i - m, r = 1/sqrt(sum(c^2)/head_dim + epsilon),
 *      y_i = c_i * r * w[h*weight_head_stride + i] + b[h*bias_head_stride + i] (b = q_bias or k_bias, in
 *      weight_dtype; NULL = no bias; a stride of 0: one [head_dim] vector for every head, head_dim: per head
 *      h, Cohere's [heads, head_dim]); weight_offset is 0. GF_NORM_NONE: y_i = x_i.
 *      Only GF_NORM_LAYER reads q_bias, k_bias and the head strides; any other kind has them NULL and 0.
 *   2. if rotary_dim > 0: angles for j < rotary_dim/2 (below); neox (interleaved = 0) rotates
 *      (y_j, y_{j+rot/2}), gpt-j (interleaved = 1) rotates (y_{2j}, y_{2j+1}):
 *        o_a = y_a*cos_a - y_b*sin_a,  o_b = y_b*cos_b + y_a*sin_b
 *      where cos_a/cos_b are the same entry for a half-width table (table_width = rotary_dim/2) and
 *      entries a and b of a full-width table (table_width = rotary_dim, HF's cat(freqs, freqs)).
 *      Dims >= rotary_dim pass through.
 *   3. store round(o) in dtype.
 * num_k_heads may be 0 (Rope / MRope of a single tensor).
 *
 * Angles. position_rows = 0: no positions, the table row of token (b, s) is
 *   cos + b*table_stride[0] + s*table_stride[1] (strides may be 0 to broadcast).
 * position_rows = 1: p = positions[b*position_stride[1] + s*position_stride[2]];
 * position_rows = 3 (multimodal): p_axis = positions[axis*position_stride[0] + b*... + s*...], and
 *   frequency j uses axis(j): mrope_interleaved = 1: H if j%3==1 && j < 3*mrope_section[1],
 *   W if j%3==2 && j < 3*mrope_section[2], else T; mrope_interleaved = 0 (chunked): T if
 *   j < section[0], H if j < section[0]+section[1], else W. sum(mrope_section) = rotary_dim/2.
 * With positions and GF_ANGLES_TABLE the row is cos + p*table_stride[1] (p in [0, max_position)).
 * With GF_ANGLES_INV_FREQ: cos_j = cosf(f32(p) * inv_freq[j]) * attention_scaling (accurate cosf /
 *   sinf, not the fast intrinsics), table fields unused.
 */
#define GF_ROPE_ARGS_FIELDS(F, A) \
    F(int64_t, struct_size)                  /* sizeof(gf_rope_args) */                             \
    F(int32_t, dtype)                        /* q, k, q_out, k_out */                               \
    F(int32_t, weight_dtype)                 /* q_weight, k_weight */                               \
    F(int64_t, batch)                                                                               \
    F(int64_t, seq)                                                                                 \
    F(int32_t, num_q_heads)                                                                         \
    F(int32_t, num_k_heads)                                                                         \
    F(int32_t, head_dim)                                                                            \
    F(int32_t, rotary_dim)                   /* 0 = no rotation */                                  \
    F(int32_t, interleaved)                  /* 0 neox, 1 gpt-j */                                  \
    F(int32_t, has_norm)                     /* GF_NORM_* */                                        \
    F(float, epsilon)                                                                               \
    F(float, weight_offset)                  /* 0, or 1 for Gemma's (1 + w) */                      \
    F(const void*, q)                                                                               \
    F(void*, q_out)                                                                                 \
    F(const void*, k)                                                                               \
    F(void*, k_out)                                                                                 \
    A(int64_t, q_stride, 3)                                                                         \
    A(int64_t, q_out_stride, 3)                                                                     \
    A(int64_t, k_stride, 3)                                                                         \
    A(int64_t, k_out_stride, 3)                                                                     \
    F(const void*, q_weight)                                                                        \
    F(const void*, k_weight)                                                                        \
    F(const void*, q_bias)                   /* GF_NORM_LAYER only; NULL = none */                  \
    F(const void*, k_bias)                                                                          \
    F(int64_t, weight_head_stride)           /* GF_NORM_LAYER: 0 shared, head_dim per head */       \
    F(int64_t, bias_head_stride)                                                                    \
    F(int32_t, angle_source)                 /* GF_ANGLES_* (ignored when rotary_dim = 0) */        \
    F(int32_t, table_dtype)                  /* cos, sin */                                         \
    F(const void*, cos)                                                                             \
    F(const void*, sin)                                                                             \
    A(int64_t, table_stride, 2)                                                                     \
    F(int32_t, table_width)                  /* rotary_dim / 2 or rotary_dim */                     \
    F(int32_t, position_rows)                /* 0, 1 or 3 */                                        \
    F(int32_t, position_dtype)               /* GF_DTYPE_I64 or GF_DTYPE_I32 */                     \
    F(int32_t, mrope_interleaved)                                                                   \
    F(const void*, positions)                                                                       \
    A(int64_t, position_stride, 3)           /* axis, b, s */                                       \
    F(int64_t, max_position)                 /* table rows when positions index a table */          \
    F(const float*, inv_freq)                /* [rotary_dim / 2] fp32 */                            \
    F(float, attention_scaling)                                                                     \
    A(int32_t, mrope_section, 3)                                                                    \
    F(int32_t*, status)                      /* device int; GF_ERR_POSITION_RANGE is stored here */
typedef struct gf_rope_args {
    GF_ROPE_ARGS_FIELDS(GF_DECLARE_FIELD, GF_DECLARE_ARRAY)
} gf_rope_args;

/*
 * RMSNorm over rows of width n (RmsNorm, GemmaRmsNorm, RmsNormGated):
 *   out = round(x * r * (w + weight_offset) [* z * sigmoid(z)]),  r = 1/sqrt(sum(x^2)/n + epsilon).
 * Row i of x starts at x + i*x_row_stride; likewise z and out. w is [n] in weight_dtype.
 */
#define GF_NORM_ARGS_FIELDS(F, A) \
    F(int64_t, struct_size)                  /* sizeof(gf_norm_args) */ \
    F(int32_t, dtype)                        /* x, z */                 \
    F(int32_t, out_dtype)                                               \
    F(int32_t, weight_dtype)                                            \
    F(int32_t, gated)                        /* z present */            \
    F(int64_t, rows)                                                    \
    F(int64_t, n)                                                       \
    F(float, epsilon)                                                   \
    F(float, weight_offset)                                             \
    F(const void*, x)                                                   \
    F(const void*, z)                                                   \
    F(void*, out)                                                       \
    F(const void*, weight)                                              \
    F(int64_t, x_row_stride)                                            \
    F(int64_t, z_row_stride)                                            \
    F(int64_t, out_row_stride)                                         
typedef struct gf_norm_args {
    GF_NORM_ARGS_FIELDS(GF_DECLARE_FIELD, GF_DECLARE_ARRAY)
} gf_norm_args;

/* Library and devices. */
GF_API int gf_abi_version(void);
/* sizeof the argument structs as compiled: 1 = gf_rope_args, 2 = gf_norm_args; -1 otherwise. */
GF_API int64_t gf_args_size(int which);
/* Every field of the argument structs as compiled, one per line: "struct field offset bytes kind" (an array
 * field: its whole size; kind ptr, i32, i64 or f32, of an array its elements'), and "struct sizeof 0 bytes -"
 * per struct. Bindings check their layouts against it. */
GF_API const char* gf_abi_layout(void);
GF_API int gf_device_count(int* count);
GF_API const char* gf_error_string(int code);
GF_API int gf_set_device(int device);

/* Memory and streams (device pointers are plain addresses). */
GF_API int gf_malloc(void** ptr, size_t bytes);
GF_API int gf_free(void* ptr);
GF_API int gf_memset(void* ptr, int value, size_t bytes, void* stream);
GF_API int gf_memcpy_h2d(void* dst, const void* src, size_t bytes, void* stream);
GF_API int gf_memcpy_d2h(void* dst, const void* src, size_t bytes, void* stream);
GF_API int gf_memcpy_d2d(void* dst, const void* src, size_t bytes, void* stream);
GF_API int gf_stream_create(void** stream);
GF_API int gf_stream_destroy(void* stream);
GF_API int gf_stream_synchronize(void* stream);

/* One entry point per fused op. Each checks that args describe that op (e.g. gf_qk_norm: a has_norm other
 * than GF_NORM_NONE, rotary_dim = 0), then launches. The norm entry points take every norm kind:
 * gf_qk_norm_rope runs QkNormRope (GF_NORM_RMS) and QkLayerNormRope (GF_NORM_LAYER). */
GF_API int gf_qk_norm(const gf_rope_args* args, void* stream);
GF_API int gf_qk_norm_rope(const gf_rope_args* args, void* stream);
GF_API int gf_qk_norm_mrope(const gf_rope_args* args, void* stream);
GF_API int gf_mrope(const gf_rope_args* args, void* stream);
GF_API int gf_rope(const gf_rope_args* args, void* stream);
GF_API int gf_rms_norm(const gf_norm_args* args, void* stream);
GF_API int gf_gemma_rms_norm(const gf_norm_args* args, void* stream);
GF_API int gf_rms_norm_gated(const gf_norm_args* args, void* stream);

#ifdef __cplusplus
}
#endif

#endif /* GRAPHFUSE_KERNELS_H */
