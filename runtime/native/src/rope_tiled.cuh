// Tiled fast path of the rope family for many tokens. A block owns tiles of TT consecutive tokens; the Q and
// K heads of a tile are copied to shared memory with cp.async, kStages tiles ahead of the one being computed,
// so the bytes in flight per SM are bounded by shared memory (tens of KB) rather than by registers — what a
// memory-bound kernel needs to approach the copy bandwidth. The math is rope_fast_kernel's, reading heads
// from shared memory: one warp per head, EPL = head_dim / 32 elements per lane, neox partner one xor shuffle
// away, angles of the tile's tokens computed once into shared memory. Every shuffle and barrier is reached by
// all lanes and threads: control flow depends on the tile and item only.
#pragma once

#include <cuda_runtime.h>
#include <stdint.h>

#include "config.h"
#include "dtype.cuh"
#include "launch.cuh"
#include "rope_common.cuh"
#include "vec.cuh"

namespace gf::rope {

constexpr int kStages = 3;

struct TiledShape {
    int tt;           // tokens per tile
    int chunk_bytes;  // bytes copied per head: the whole head, or only the rotary dims when nothing else changes
    int heads;        // num_q_heads + num_k_heads
    int packed;       // Q then K heads of a token form one contiguous run (vLLM's qkv) and the whole heads are copied
    size_t smem;      // dynamic shared memory per block
};

__device__ __forceinline__ void cp_async16(void* smem, const void* gmem) {
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(smem));
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(s), "l"(gmem));
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::); }
template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\n" ::"n"(N)); }

template <typename T, int HD, bool WHOLE>
__global__ void __launch_bounds__(kThreads, kTiledMinBlocks) rope_tiled_kernel(const __grid_constant__ RopeLaunch L, TiledShape sh) {
    pdl_enter(); // before any global read: launch.cuh
    constexpr int EPL = HD / 32;
    using P = Packed<T, EPL>;
    extern __shared__ __align__(16) unsigned char smem[];
    const gf_rope_args& a = L.a;
    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int H = sh.heads;
    const int TT = sh.tt;
    const int rot = a.rotary_dim;
    const int half = rot >> 1;
    const int i0 = lane * EPL;
    const int off = a.interleaved || rot == 0 ? 0 : half / EPL;
    const bool rotates = i0 < rot;
    const bool first = rotates && (lane & off) == 0;
    const int cpk = sh.chunk_bytes / 16; // 16-byte chunks per head
    const int per_head = sh.chunk_bytes / static_cast<int>(sizeof(T));
    const bool holds = WHOLE || i0 < per_head; // the lane's dims were copied (all, or the rotary ones)
    const int64_t tokens = a.batch * a.seq;
    const int64_t tiles = (tokens + TT - 1) / TT;
    const size_t stage_bytes = static_cast<size_t>(TT) * H * sh.chunk_bytes;
    float* cos_s = reinterpret_cast<float*>(smem + kStages * stage_bytes); // [TT][rot]
    float* sin_s = cos_s + TT * rot;
    int* bad = reinterpret_cast<int*>(sin_s + TT * rot); // [TT]

    float wq[EPL], wk[EPL];
    load_norm_weights<EPL>(a, i0, wq, wk);
    // vLLM's packed qkv: a token's Q and K heads are one contiguous run, copied without per-head addressing
    const bool packed = sh.packed;

    auto token_bs = [&](int64_t tok, int64_t& b, int64_t& s) {
        b = a.batch == 1 ? 0 : tok / a.seq;
        s = tok - b * a.seq;
    };
    // issues the copies of tile t into stage slot (a tile past the end copies nothing, but still commits,
    // so the wait counts below stay exact)
    auto issue = [&](int64_t t, int slot) {
        if (t < tiles) {
            unsigned char* dst = smem + slot * stage_bytes;
            for (int u = 0; u < TT; u++) {
                const int64_t tok = t * TT + u;
                if (tok >= tokens) break;
                int64_t b, s;
                token_bs(tok, b, s);
                unsigned char* d = dst + static_cast<size_t>(u) * H * sh.chunk_bytes;
                if (packed) {
                    const unsigned char* src = reinterpret_cast<const unsigned char*>(
                        static_cast<const T*>(a.q) + b * a.q_stride[0] + s * a.q_stride[1]);
                    for (int c = tid; c < H * cpk; c += kThreads) cp_async16(d + c * 16, src + c * 16);
                } else {
                    for (int h = warp; h < H; h += kWarps) {
                        const bool is_q = h < a.num_q_heads;
                        const int64_t hh = is_q ? h : h - a.num_q_heads;
                        const T* src = is_q ? static_cast<const T*>(a.q) + b * a.q_stride[0] + s * a.q_stride[1] + hh * a.q_stride[2]
                                            : static_cast<const T*>(a.k) + b * a.k_stride[0] + s * a.k_stride[1] + hh * a.k_stride[2];
                        for (int c = lane; c < cpk; c += 32)
                            cp_async16(d + (h * cpk + c) * 16, reinterpret_cast<const unsigned char*>(src) + c * 16);
                    }
                }
            }
        }
        cp_async_commit();
    };

    int64_t t = blockIdx.x;
    for (int st = 0; st < kStages - 1; st++) issue(t + static_cast<int64_t>(st) * gridDim.x, st);
    for (int slot = 0; t < tiles; t += gridDim.x, slot = (slot + 1) % kStages) {
        issue(t + static_cast<int64_t>(kStages - 1) * gridDim.x, (slot + kStages - 1) % kStages);

        // angles of this tile's tokens, one frequency j per thread (both members of its pair), while the
        // copies land
        const int nj = half > 0 ? half : 1;
        for (int c = tid; c < TT * nj; c += kThreads) {
            const int u = c / nj;
            const int64_t tok = t * TT + u;
            if (tok >= tokens) continue;
            int64_t b, s;
            token_bs(tok, b, s);
            Pos p;
            const bool ok = load_positions(L, b, s, p);
            const int j = c - u * nj;
            if (j == 0) bad[u] = ok ? 0 : 1;
            if (rot > 0 && ok) {
                const int ia = a.interleaved ? 2 * j : j;
                const int ib = a.interleaved ? 2 * j + 1 : j + half;
                const int64_t row = b * a.table_stride[0] + s * a.table_stride[1];
                angle(a, ia, j, p, row, cos_s[u * rot + ia], sin_s[u * rot + ia]);
                angle(a, ib, j, p, row, cos_s[u * rot + ib], sin_s[u * rot + ib]);
            }
        }
        cp_async_wait<kStages - 1>();
        __syncthreads();

        const T* tile = reinterpret_cast<const T*>(smem + slot * stage_bytes);
        for (int u = 0; u < TT; u++) {
            const int64_t tok = t * TT + u;
            if (tok >= tokens) break;
            if (bad[u]) {
                if (tid == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE);
                continue;
            }
            int64_t b, s;
            token_bs(tok, b, s);
            float c[EPL], sn[EPL];
            if (rotates) {
#pragma unroll
                for (int e = 0; e < EPL; e++) {
                    c[e] = cos_s[u * rot + i0 + e];
                    sn[e] = sin_s[u * rot + i0 + e];
                }
            }
            T* qrow = static_cast<T*>(a.q_out) + b * a.q_out_stride[0] + s * a.q_out_stride[1] + i0;
            T* krow = a.num_k_heads > 0 ? static_cast<T*>(a.k_out) + b * a.k_out_stride[0] + s * a.k_out_stride[1] + i0
                                        : nullptr;
            // pointers advance by kWarps heads per iteration: no 64-bit multiply per head
            const T* src = tile + static_cast<size_t>(u) * H * per_head + warp * per_head + i0;
            T* dst = qrow + warp * a.q_out_stride[2];
            const int64_t qstep = kWarps * a.q_out_stride[2];
            for (int h = warp; h < H; h += kWarps, src += kWarps * per_head) {
                const bool is_q = h < a.num_q_heads;
                if (!is_q && h - kWarps < a.num_q_heads) dst = krow + (h - a.num_q_heads) * a.k_out_stride[2];
                P x;
                if (holds) x.v = *reinterpret_cast<const typename P::V*>(src);
                float y[EPL];
#pragma unroll
                for (int e = 0; e < EPL; e++) y[e] = holds ? to_f32(x.e[e]) : 0.f;
                norm_and_rotate<HD, EPL>(a, y, is_q, wq, wk, c, sn, off, first, rotates);
                T* out = dst;
                dst += is_q ? qstep : kWarps * a.k_out_stride[2];
                if (!holds || (!a.has_norm && !rotates && (is_q ? L.q_in_place : L.k_in_place))) continue;
                P r;
#pragma unroll
                for (int e = 0; e < EPL; e++) r.e[e] = from_f32<T>(y[e]);
                __stcs(reinterpret_cast<typename P::V*>(out), r.v);
            }
        }
        __syncthreads(); // the slot and the angle arrays are rewritten by the next iteration
    }
    cp_async_wait<0>();
}

// Tiled when there are many tokens and everything a head needs is one 16-byte aligned run.
inline bool tiled_fits(const gf_rope_args& a, TiledShape& sh) {
    const int heads = a.num_q_heads + a.num_k_heads;
    const bool whole = a.has_norm || a.q != a.q_out || (a.num_k_heads > 0 && a.k != a.k_out) || a.rotary_dim == 0;
    sh.heads = heads;
    sh.chunk_bytes = (whole ? a.head_dim : a.rotary_dim) * 2;
    if (sh.chunk_bytes % 16 != 0 || heads == 0) return false;
    auto aligned16 = [](const void* p, const int64_t* st) {
        if (p == nullptr) return true;
        if (reinterpret_cast<uintptr_t>(p) % 16 != 0) return false;
        for (int d = 0; d < 3; d++)
            if ((st[d] * 2) % 16 != 0) return false;
        return true;
    };
    if (!aligned16(a.q, a.q_stride) || (a.num_k_heads > 0 && !aligned16(a.k, a.k_stride))) return false;
    const int per_token = heads * sh.chunk_bytes;
    sh.packed = whole && a.q_stride[2] == a.head_dim &&
                (a.num_k_heads == 0 || (static_cast<const char*>(a.k) ==
                                            static_cast<const char*>(a.q) + static_cast<int64_t>(a.num_q_heads) * a.head_dim * 2 &&
                                        a.k_stride[0] == a.q_stride[0] && a.k_stride[1] == a.q_stride[1] &&
                                        a.k_stride[2] == a.head_dim));
    // about kTileBytes per stage (config.h)
    sh.tt = per_token >= kTileBytes ? 1 : kTileBytes / per_token;
    if (a.rotary_dim > 0 && sh.tt * a.rotary_dim > 4096) sh.tt = 4096 / a.rotary_dim;
    if (sh.tt < 1) sh.tt = 1;
    sh.smem = static_cast<size_t>(kStages) * sh.tt * per_token + 2 * sizeof(float) * sh.tt * a.rotary_dim +
              sizeof(int) * sh.tt;
    return sh.smem <= 96 * 1024;
}

template <typename T, int HD, bool WHOLE>
void launch_tiled_kernel(const RopeLaunch& L, const TiledShape& sh, cudaStream_t stream) {
    auto k = rope_tiled_kernel<T, HD, WHOLE>;
    static bool configured = [k] {
        cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, 96 * 1024);
        return true;
    }();
    (void)configured;
    const int64_t tokens = L.a.batch * L.a.seq;
    const int64_t tiles = (tokens + sh.tt - 1) / sh.tt;
    // the occupancy query costs three runtime calls: asked again only when the shared memory changes (it
    // follows the geometry, which a model repeats layer after layer)
    thread_local size_t last_smem = 0;
    thread_local int64_t resident = 0;
    if (resident == 0 || last_smem != sh.smem) {
        resident = resident_blocks(k, kThreads, sh.smem);
        last_smem = sh.smem;
    }
    const unsigned blocks = static_cast<unsigned>(tiles < resident ? tiles : resident);
    launch(k, blocks, kThreads, sh.smem, stream, L, sh);
}

template <typename T>
void launch_tiled(const RopeLaunch& L, const TiledShape& sh, cudaStream_t stream) {
    const bool whole = sh.chunk_bytes == L.a.head_dim * 2;
    if (!whole) {
        // only the rotary dims travel (in place, no norm): lay the lanes over those dims alone, as if they
        // were the head, so no lane idles (Qwen3.5: 64 of 256 dims, 2 per lane instead of 8 lanes of 8)
        switch (L.a.rotary_dim) {
        case 64: launch_tiled_kernel<T, 64, true>(L, sh, stream); return;
        case 128: launch_tiled_kernel<T, 128, true>(L, sh, stream); return;
        case 256: launch_tiled_kernel<T, 256, true>(L, sh, stream); return;
        default: break;
        }
    }
    switch (L.a.head_dim) {
    case 64: whole ? launch_tiled_kernel<T, 64, true>(L, sh, stream) : launch_tiled_kernel<T, 64, false>(L, sh, stream); break;
    case 128: whole ? launch_tiled_kernel<T, 128, true>(L, sh, stream) : launch_tiled_kernel<T, 128, false>(L, sh, stream); break;
    default: whole ? launch_tiled_kernel<T, 256, true>(L, sh, stream) : launch_tiled_kernel<T, 256, false>(L, sh, stream); break;
    }
}

} // namespace gf::rope
