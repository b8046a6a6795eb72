// The norm family (RmsNorm, GemmaRmsNorm, RmsNormGated) over rows of any width n: a vectorised fast path
// for per-head widths (64, 128, 256) in 16-bit types; otherwise a warp per row for narrow rows, a block
// per row for wide ones (hidden-size norms).
#include <cuda_runtime.h>

#include "config.h"
#include "dtype.cuh"
#include "launch.cuh"
#include "row_norm.cuh"
#include "vec.cuh"
#include "validate.h"

namespace gf {
namespace {

constexpr int64_t kWarpRowMax = 1024; // widest row still given to a single warp

// G threads per row: 32 (a warp) or kThreads (the block). Each row is read twice, for the sum of squares
// and for the output; the second read is served by L1/L2. Each thread writes only elements it read
// itself, so in place (out == x) needs no barrier.
template <typename TI, typename TO, int G>
__global__ void __launch_bounds__(kThreads) norm_kernel(const __grid_constant__ gf_norm_args a) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int R = kThreads / G; // rows per block
    __shared__ float partial[kWarps];
    const int t = threadIdx.x % G;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int64_t n = a.n;

    // uniform over the G threads of a row: with G = kThreads every thread of the block takes the same
    // trip count, as the __syncthreads below require
    for (int64_t row = static_cast<int64_t>(blockIdx.x) * R + threadIdx.x / G; row < a.rows;
         row += static_cast<int64_t>(gridDim.x) * R) {
        const TI* x = static_cast<const TI*>(a.x) + row * a.x_row_stride;
        const TI* z = static_cast<const TI*>(a.z) + (a.gated ? row * a.z_row_stride : 0);
        TO* out = static_cast<TO*>(a.out) + row * a.out_row_stride;

        float ss = 0.f;
        for (int64_t i = t; i < n; i += G) {
            const float v = to_f32(x[i]);
            ss += v * v;
        }
        ss = warp_sum(ss);
        if (G > 32) {
            if (lane == 0) partial[warp] = ss;
            __syncthreads();
            ss = 0.f;
#pragma unroll
            for (int k = 0; k < kWarps; k++) ss += partial[k]; // same order in every thread: same r
            __syncthreads(); // all have read partial before the next row writes it
        }
        const float r = 1.0f / sqrtf(ss / static_cast<float>(n) + a.epsilon);

        for (int64_t i = t; i < n; i += G) {
            float v = to_f32(x[i]) * r * (load_f32(a.weight, i, a.weight_dtype) + a.weight_offset);
            if (a.gated) {
                const float zv = to_f32(z[i]);
                v *= zv / (1.0f + expf(-zv)); // silu; expf overflow to inf gives -0, the limit
            }
            out[i] = from_f32<TO>(v);
        }
    }
}

// 1/x by the hardware approximation (rcp.approx.f32, about 1 ulp, subnormal results kept): the gate's
// z * sigmoid(z) is then a few instructions, where the IEEE division took a dozen. x = inf gives 0, so a
// gate whose exp overflowed yields -0, the limit, as in the general kernel.
__device__ __forceinline__ float fast_rcp(float x) {
    float r;
    asm("rcp.approx.f32 %0, %1;" : "=f"(r) : "f"(x));
    return r;
}

// One row's values as a lane holds them (EPL contiguous elements, x and z as loaded, w with the weight offset
// added): the RMS norm over the warp (row_norm.cuh), the gate (__expf, whose few-ulp error is far inside one
// 16-bit rounding), and the packed result.
template <typename T, int N, typename P, int EPL>
__device__ __forceinline__ P norm_row(const gf_norm_args& a, const P& x, const P& z, const float (&w)[EPL]) {
    float v[EPL];
    unpack_vec<T>(x, v);
    rms_scale<N>(v, w, a.epsilon);
    if (a.gated) {
        float g[EPL];
        unpack_vec<T>(z, g);
#pragma unroll
        for (int e = 0; e < EPL; e++) v[e] *= g[e] * fast_rcp(1.0f + __expf(-g[e]));
    }
    return pack_vec<T, P>(v);
}

// Fast path for per-head norms (n = 64, 128 or 256, 16-bit in and out, aligned rows), many rows: a warp
// takes R rows at a time, each lane holding n / 32 contiguous elements loaded as one vector (evict-first:
// they stream through once), the R rows' loads (x and z) all issued before any is used; weights stay in
// registers. The general kernel reads each element twice, one at a time.
template <typename T, int N, int R, int WARPS>
__global__ void __launch_bounds__(32 * WARPS) norm_fast_kernel(const __grid_constant__ gf_norm_args a) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = N / 32;
    using P = Packed<T, EPL>;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int i0 = lane * EPL;
    const T* xb = static_cast<const T*>(a.x) + i0;
    const T* zb = a.gated ? static_cast<const T*>(a.z) + i0 : nullptr;
    T* ob = static_cast<T*>(a.out) + i0;
    const int64_t step = static_cast<int64_t>(gridDim.x) * WARPS * R;
    int64_t r0 = (static_cast<int64_t>(blockIdx.x) * WARPS + warp) * R;
    if (r0 >= a.rows) return; // a whole warp; no barrier below
    P x[R], z[R];
    auto load_rows = [&](int64_t r0) {
#pragma unroll
        for (int j = 0; j < R; j++) {
            if (r0 + j >= a.rows) break;
            x[j].v = __ldcs(reinterpret_cast<const typename P::V*>(xb + (r0 + j) * a.x_row_stride));
            if (a.gated) z[j].v = __ldcs(reinterpret_cast<const typename P::V*>(zb + (r0 + j) * a.z_row_stride));
        }
    };
    // the first rows' loads go out before the weights': the weights are converted as they arrive, in their
    // dtype's branch, and whatever is issued after them waits for them
    load_rows(r0);
    float w[EPL];
    with_float_type(a.weight_dtype, [&](auto tag) { // loads issued together (dtype.cuh)
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int e = 0; e < EPL; e++) w[e] = load_as_f32<E>(a.weight, i0 + e) + a.weight_offset;
    });
    for (;;) {
#pragma unroll
        for (int j = 0; j < R; j++) {
            if (r0 + j >= a.rows) break; // uniform across the warp: every lane reaches the shuffles
            const P o = norm_row<T, N>(a, x[j], z[j], w);
            __stcs(reinterpret_cast<typename P::V*>(ob + (r0 + j) * a.out_row_stride), o.v);
        }
        r0 += step;
        if (r0 >= a.rows) break;
        load_rows(r0);
    }
}

// A decode step's few rows (at most kNormDecodeRows): one row a warp in two-warp blocks, so the launch spreads
// over many SMs and each warp's chain is one row long. Its time is that chain, so: a 32-bit row index and no
// loop before the loads; the row's loads (default cache policy: a decode step's inputs were just written and
// sit in L2) before the weights'; the weights held as raw bits and converted after the row's loads are out.
template <typename T, int N>
__global__ void __launch_bounds__(64) norm_decode_kernel(const __grid_constant__ gf_norm_args a) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = N / 32;
    using P = Packed<T, EPL>;
    const int row = static_cast<int>(blockIdx.x) * 2 + static_cast<int>(threadIdx.x >> 5);
    if (row >= static_cast<int>(a.rows)) return; // a whole warp
    const int i0 = (threadIdx.x & 31) * EPL;
    P x, z;
    x.v = *reinterpret_cast<const typename P::V*>(static_cast<const T*>(a.x) + row * a.x_row_stride + i0);
    z.v = typename P::V{};
    if (a.gated) z.v = *reinterpret_cast<const typename P::V*>(static_cast<const T*>(a.z) + row * a.z_row_stride + i0);
    uint32_t wb[EPL];
    with_float_type(a.weight_dtype, [&](auto tag) {
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int e = 0; e < EPL; e++) wb[e] = bits_of<E>(static_cast<const E*>(a.weight)[i0 + e]);
    });
    float w[EPL];
    with_float_type(a.weight_dtype, [&](auto tag) {
        using E = typename decltype(tag)::type;
#pragma unroll
        for (int e = 0; e < EPL; e++) w[e] = f32_of_bits<E>(wb[e]) + a.weight_offset;
    });
    const P o = norm_row<T, N>(a, x, z, w);
    *reinterpret_cast<typename P::V*>(static_cast<T*>(a.out) + row * a.out_row_stride + i0) = o.v;
}

// Whether the fast path takes these arguments: a per-head width, one 16-bit type in and out, every row
// start aligned for the vector access.
bool norm_fast_fits(const gf_norm_args& a) {
    if (a.n != 64 && a.n != 128 && a.n != 256) return false;
    if (a.dtype != a.out_dtype || (a.dtype != GF_DTYPE_BF16 && a.dtype != GF_DTYPE_F16)) return false;
    const int64_t align = a.n / 32 * 2;
    auto ok = [&](const void* p, int64_t stride) {
        return reinterpret_cast<uintptr_t>(p) % align == 0 && (stride * 2) % align == 0;
    };
    return ok(a.x, a.x_row_stride) && ok(a.out, a.out_row_stride) && (!a.gated || ok(a.z, a.z_row_stride));
}

// Few rows (a decode step's heads): the decode kernel; many: kNormRows per warp, their loads issued together
// (config.h).
template <typename T>
void launch_norm_fast(const gf_norm_args& a, cudaStream_t stream) {
    if (a.rows <= kNormDecodeRows) {
        const unsigned blocks = blocks_for(a.rows, 2);
        switch (a.n) {
        case 64: launch(norm_decode_kernel<T, 64>, blocks, 64, 0, stream, a); break;
        case 128: launch(norm_decode_kernel<T, 128>, blocks, 64, 0, stream, a); break;
        default: launch(norm_decode_kernel<T, 256>, blocks, 64, 0, stream, a); break;
        }
        return;
    }
    const unsigned blocks = blocks_for(a.rows, kWarps * kNormRows);
    switch (a.n) {
    case 64: launch(norm_fast_kernel<T, 64, kNormRows, kWarps>, blocks, kThreads, 0, stream, a); break;
    case 128: launch(norm_fast_kernel<T, 128, kNormRows, kWarps>, blocks, kThreads, 0, stream, a); break;
    default: launch(norm_fast_kernel<T, 256, kNormRows, kWarps>, blocks, kThreads, 0, stream, a); break;
    }
}

template <typename TI, typename TO>
void launch_io(const gf_norm_args& a, cudaStream_t stream) {
    if (a.n <= kWarpRowMax) {
        launch(norm_kernel<TI, TO, 32>, blocks_for(a.rows, kWarps), kThreads, 0, stream, a);
    } else {
        launch(norm_kernel<TI, TO, kThreads>, blocks_for(a.rows, 1), kThreads, 0, stream, a);
    }
}

template <typename TI>
void launch_in(const gf_norm_args& a, cudaStream_t stream) {
    switch (a.out_dtype) {
    case GF_DTYPE_BF16: launch_io<TI, __nv_bfloat16>(a, stream); break;
    case GF_DTYPE_F16: launch_io<TI, __half>(a, stream); break;
    default: launch_io<TI, float>(a, stream); break;
    }
}

int launch_norm(const gf_norm_args* args, NormOp op, void* stream) {
    const int rc = validate_norm(args, op);
    if (rc != 0) return rc;
    if (args->rows == 0) return 0;
    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    clear_last_error();
    // a build with GF_ONLY_GENERAL_KERNEL=1 (config.h) takes the general kernel: the fast path's cross-check
    if (!kOnlyGeneralKernel && norm_fast_fits(*args)) {
        if (args->dtype == GF_DTYPE_BF16) {
            launch_norm_fast<__nv_bfloat16>(*args, s);
        } else {
            launch_norm_fast<__half>(*args, s);
        }
        return launch_status();
    }
    switch (args->dtype) {
    case GF_DTYPE_BF16: launch_in<__nv_bfloat16>(*args, s); break;
    case GF_DTYPE_F16: launch_in<__half>(*args, s); break;
    default: launch_in<float>(*args, s); break;
    }
    return launch_status();
}

} // namespace
} // namespace gf

extern "C" {

int gf_rms_norm(const gf_norm_args* args, void* stream) { return gf::launch_norm(args, gf::NormOp::Rms, stream); }
int gf_gemma_rms_norm(const gf_norm_args* args, void* stream) {
    return gf::launch_norm(args, gf::NormOp::Gemma, stream);
}
int gf_rms_norm_gated(const gf_norm_args* args, void* stream) {
    return gf::launch_norm(args, gf::NormOp::Gated, stream);
}

} // extern "C"
