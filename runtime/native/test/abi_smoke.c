/*
 * No-GPU smoke test of libgraphfuse_kernels.so, run by ctest in CI: the library loads with dlopen, every
 * symbol of the header resolves, the ABI version and struct sizes match this header, the no-driver path
 * reports a named CUDA error, and every entry point refuses stale or malformed arguments before it
 * touches CUDA. Also passes on a GPU machine (device count > 0), where it launches nothing.
 *
 * usage: gf_abi_smoke path/to/libgraphfuse_kernels.so
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graphfuse_kernels.h"

static int failures;

#define CHECK(cond, ...)                                                                                  \
    do {                                                                                                  \
        if (!(cond)) {                                                                                    \
            failures++;                                                                                   \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                \
            fprintf(stderr, __VA_ARGS__);                                                                 \
            fputc('\n', stderr);                                                                          \
        }                                                                                                 \
    } while (0)

static void* lib;

static void* sym(const char* name) {
    void* p = dlsym(lib, name);
    CHECK(p != NULL, "symbol %s does not resolve: %s", name, dlerror());
    return p;
}

typedef int (*rope_fn)(const gf_rope_args*, void*);
typedef int (*norm_fn)(const gf_norm_args*, void*);

static const char* const rope_names[] = {"gf_qk_norm", "gf_qk_norm_rope", "gf_qk_norm_mrope", "gf_mrope", "gf_rope"};
static const char* const norm_names[] = {"gf_rms_norm", "gf_gemma_rms_norm", "gf_rms_norm_gated"};
static const char* const other_names[] = {
    "gf_abi_version", "gf_args_size", "gf_device_count", "gf_error_string", "gf_set_device",
    "gf_malloc", "gf_free", "gf_memset", "gf_memcpy_h2d", "gf_memcpy_d2h", "gf_memcpy_d2d",
    "gf_stream_create", "gf_stream_destroy", "gf_stream_synchronize"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Never dereferenced: validation looks at pointers only, and launches happen only without a GPU. */
#define FAKE ((void*)(uintptr_t)0x1000)
#define FAKE2 ((void*)(uintptr_t)0x2000)

static int32_t status_word;

/* Valid QkNormRope args: bf16 qkv [T, (4+2+2)*128] in place, fp32 cos|sin table, int64 positions. */
static gf_rope_args valid_rope(void) {
    gf_rope_args a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    a.dtype = GF_DTYPE_BF16;
    a.weight_dtype = GF_DTYPE_BF16;
    a.batch = 1;
    a.seq = 3;
    a.num_q_heads = 4;
    a.num_k_heads = 2;
    a.head_dim = 128;
    a.rotary_dim = 128;
    a.has_norm = 1;
    a.epsilon = 1e-6f;
    a.q = a.q_out = FAKE;
    a.k = a.k_out = FAKE;
    int64_t row = 8 * 128;
    a.q_stride[0] = a.q_out_stride[0] = a.k_stride[0] = a.k_out_stride[0] = 3 * row;
    a.q_stride[1] = a.q_out_stride[1] = a.k_stride[1] = a.k_out_stride[1] = row;
    a.q_stride[2] = a.q_out_stride[2] = a.k_stride[2] = a.k_out_stride[2] = 128;
    a.q_weight = a.k_weight = FAKE;
    a.angle_source = GF_ANGLES_TABLE;
    a.table_dtype = GF_DTYPE_F32;
    a.cos = FAKE;
    a.sin = FAKE;
    a.table_stride[1] = 128;
    a.table_width = 64;
    a.position_rows = 1;
    a.position_dtype = GF_DTYPE_I64;
    a.positions = FAKE;
    a.position_stride[1] = 3;
    a.position_stride[2] = 1;
    a.max_position = 4096;
    a.mrope_section[0] = 24;
    a.mrope_section[1] = 20;
    a.mrope_section[2] = 20;
    a.status = &status_word;
    return a;
}

static gf_norm_args valid_norm(void) {
    gf_norm_args a;
    memset(&a, 0, sizeof a);
    a.struct_size = sizeof a;
    a.dtype = a.out_dtype = a.weight_dtype = GF_DTYPE_BF16;
    a.rows = 5;
    a.n = 128;
    a.epsilon = 1e-6f;
    a.x = a.z = a.weight = FAKE;
    a.out = FAKE2;
    a.x_row_stride = a.z_row_stride = 256;
    a.out_row_stride = 128;
    return a;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s libgraphfuse_kernels.so\n", argv[0]);
        return 2;
    }
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "FAIL: dlopen %s: %s\n", argv[1], dlerror());
        return 1;
    }
    for (size_t i = 0; i < COUNT(other_names); i++) sym(other_names[i]);
    if (failures) return 1;

    int (*abi_version)(void) = (int (*)(void))sym("gf_abi_version");
    int64_t (*args_size)(int) = (int64_t(*)(int))sym("gf_args_size");
    int (*device_count)(int*) = (int (*)(int*))sym("gf_device_count");
    const char* (*error_string)(int) = (const char* (*)(int))sym("gf_error_string");
    int (*gmalloc)(void**, size_t) = (int (*)(void**, size_t))sym("gf_malloc");
    int (*gfree)(void*) = (int (*)(void*))sym("gf_free");
    int (*h2d)(void*, const void*, size_t, void*) = (int (*)(void*, const void*, size_t, void*))sym("gf_memcpy_h2d");
    int (*stream_create)(void**) = (int (*)(void**))sym("gf_stream_create");

    CHECK(abi_version() == GF_ABI_VERSION, "gf_abi_version() = %d, header %d", abi_version(), GF_ABI_VERSION);
    CHECK(args_size(1) == (int64_t)sizeof(gf_rope_args), "rope args %lld vs %zu", (long long)args_size(1), sizeof(gf_rope_args));
    CHECK(args_size(2) == (int64_t)sizeof(gf_norm_args), "norm args %lld vs %zu", (long long)args_size(2), sizeof(gf_norm_args));
    CHECK(args_size(0) == -1 && args_size(3) == -1, "unknown struct ids must give -1");
    printf("abi %d, sizeof gf_rope_args %zu, gf_norm_args %zu\n", abi_version(), sizeof(gf_rope_args), sizeof(gf_norm_args));

    int n = -1;
    int rc = device_count(&n);
    const char* text = error_string(rc);
    CHECK(text != NULL && text[0] != '\0', "gf_error_string(%d) is empty", rc);
    int no_gpu = rc != 0;
    if (no_gpu) {
        printf("no GPU: gf_device_count rc %d (%s), count %d\n", rc, text, n);
        CHECK(n == 0, "count %d with rc %d", n, rc);
        CHECK(rc > 0 && rc < 10000, "rc %d is not a CUDA error code", rc);
        CHECK(text && strstr(text, "unrecognized") == NULL && strstr(text, "unknown") == NULL, "rc %d unnamed: %s", rc, text);
    } else {
        printf("GPU: %d device(s)\n", n);
        CHECK(n > 0, "rc 0 with count %d", n);
    }
    if (getenv("GF_SMOKE_EXPECT_NO_GPU") != NULL) CHECK(no_gpu, "GF_SMOKE_EXPECT_NO_GPU set but a device was found");

    const int gf_codes[] = {GF_ERR_ABI, GF_ERR_INVALID_ARGUMENT, GF_ERR_UNSUPPORTED, GF_ERR_POSITION_RANGE, GF_ERR_NO_DEVICE};
    for (size_t i = 0; i < COUNT(gf_codes); i++) {
        const char* s = error_string(gf_codes[i]);
        CHECK(s != NULL && strstr(s, "graphfuse") != NULL, "gf_error_string(%d) = %s", gf_codes[i], s ? s : "(null)");
    }
    CHECK(error_string(0) != NULL && error_string(-5) != NULL && error_string(12345) != NULL, "error strings must never be NULL");
    CHECK(device_count(NULL) == GF_ERR_INVALID_ARGUMENT, "gf_device_count(NULL)");
    CHECK(gmalloc(NULL, 16) == GF_ERR_INVALID_ARGUMENT, "gf_malloc(NULL)");
    CHECK(gfree(NULL) == 0, "gf_free(NULL) is a no-op");
    CHECK(h2d(NULL, FAKE, 16, NULL) == GF_ERR_INVALID_ARGUMENT, "gf_memcpy_h2d to NULL");
    CHECK(stream_create(NULL) == GF_ERR_INVALID_ARGUMENT, "gf_stream_create(NULL)");

    /* every kernel entry point: stale struct, NULL struct */
    for (size_t i = 0; i < COUNT(rope_names); i++) {
        rope_fn f = (rope_fn)sym(rope_names[i]);
        if (!f) continue;
        gf_rope_args a = valid_rope();
        CHECK(f(NULL, NULL) == GF_ERR_INVALID_ARGUMENT, "%s(NULL)", rope_names[i]);
        a.struct_size = sizeof a - 8;
        CHECK(f(&a, NULL) == GF_ERR_ABI, "%s: short struct", rope_names[i]);
        a.struct_size = sizeof a + 8;
        CHECK(f(&a, NULL) == GF_ERR_ABI, "%s: long struct", rope_names[i]);
    }
    for (size_t i = 0; i < COUNT(norm_names); i++) {
        norm_fn f = (norm_fn)sym(norm_names[i]);
        if (!f) continue;
        gf_norm_args a = valid_norm();
        CHECK(f(NULL, NULL) == GF_ERR_INVALID_ARGUMENT, "%s(NULL)", norm_names[i]);
        a.struct_size = sizeof a - 8;
        CHECK(f(&a, NULL) == GF_ERR_ABI, "%s: short struct", norm_names[i]);
    }

    /* per-op checks, all decided before any CUDA call */
    rope_fn qk_norm = (rope_fn)sym("gf_qk_norm"), qk_norm_rope = (rope_fn)sym("gf_qk_norm_rope");
    rope_fn qk_norm_mrope = (rope_fn)sym("gf_qk_norm_mrope"), mrope = (rope_fn)sym("gf_mrope"), rope = (rope_fn)sym("gf_rope");
    norm_fn rms = (norm_fn)sym("gf_rms_norm"), gemma = (norm_fn)sym("gf_gemma_rms_norm"), gated = (norm_fn)sym("gf_rms_norm_gated");
    gf_rope_args a;
    a = valid_rope(); a.batch = 0;
    CHECK(qk_norm_rope(&a, NULL) == 0, "an empty launch succeeds without touching CUDA");
    a = valid_rope(); a.head_dim = GF_MAX_HEAD_DIM + 64; a.rotary_dim = 128; a.table_width = 64;
    a.q_stride[2] = a.q_out_stride[2] = a.k_stride[2] = a.k_out_stride[2] = GF_MAX_HEAD_DIM + 64;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_UNSUPPORTED, "head_dim over GF_MAX_HEAD_DIM");
    a = valid_rope(); a.dtype = GF_DTYPE_I32;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_UNSUPPORTED, "int32 q");
    a = valid_rope(); a.rotary_dim = 63;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "odd rotary_dim");
    a = valid_rope(); a.rotary_dim = 256;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "rotary_dim > head_dim");
    a = valid_rope();
    CHECK(qk_norm(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "gf_qk_norm with rotary_dim > 0");
    a = valid_rope();
    CHECK(rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "gf_rope with has_norm = 1");
    a = valid_rope(); a.position_rows = 3;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "3-row positions outside MRoPE");
    a = valid_rope(); a.position_rows = 3; a.mrope_section[2] = 21;
    CHECK(qk_norm_mrope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "MRoPE sections not summing to rotary_dim / 2");
    a = valid_rope(); a.has_norm = 0; a.position_rows = 3; a.positions = NULL;
    CHECK(mrope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "MRoPE without positions");
    a = valid_rope(); a.status = NULL;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "table positions without a status word");
    a = valid_rope(); a.table_width = 100;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "table width neither rot/2 nor rot");
    a = valid_rope(); a.q_out_stride[1] = 7;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "in place with different strides");
    a = valid_rope(); a.k_weight = NULL;
    CHECK(qk_norm_rope(&a, NULL) == GF_ERR_INVALID_ARGUMENT, "missing k weight");
    a = valid_rope(); a.num_k_heads = 0; a.k = NULL; a.k_out = NULL; a.k_weight = NULL; a.batch = 0;
    CHECK(qk_norm_rope(&a, NULL) == 0, "no K heads is allowed");

    gf_norm_args m;
    m = valid_norm(); m.rows = 0;
    CHECK(rms(&m, NULL) == 0, "an empty norm succeeds without touching CUDA");
    m = valid_norm(); m.n = 0;
    CHECK(rms(&m, NULL) == GF_ERR_INVALID_ARGUMENT, "n = 0");
    m = valid_norm();
    CHECK(gemma(&m, NULL) == GF_ERR_INVALID_ARGUMENT, "gemma norm with weight_offset 0");
    m = valid_norm(); m.gated = 1; m.z = NULL;
    CHECK(gated(&m, NULL) == GF_ERR_INVALID_ARGUMENT, "gated norm without z");
    m = valid_norm(); m.out_dtype = GF_DTYPE_I64;
    CHECK(rms(&m, NULL) == GF_ERR_UNSUPPORTED, "int64 output");

    if (no_gpu) {
        /* valid arguments reach CUDA, which answers with the same named error; nothing crashes */
        a = valid_rope();
        rc = qk_norm_rope(&a, NULL);
        CHECK(rc > 0 && rc < 10000, "launch without a GPU: rc %d (%s)", rc, error_string(rc));
        m = valid_norm();
        rc = rms(&m, NULL);
        CHECK(rc > 0 && rc < 10000, "norm launch without a GPU: rc %d (%s)", rc, error_string(rc));
        void* p = FAKE;
        rc = gmalloc(&p, 64);
        CHECK(rc > 0 && rc < 10000 && p == NULL, "gf_malloc without a GPU: rc %d, ptr %p", rc, p);
    }

    if (failures) {
        fprintf(stderr, "abi smoke: %d failure(s)\n", failures);
        return 1;
    }
    printf("abi smoke: OK\n");
    return 0;
}
