// Row path of the rope family, included by rope.cu after rope_fast.cuh: QkNorm and QkNormRope on 16-bit
// heads with 1-row positions into a half-width fp32 cos|sin table (vLLM's case) or no rotation. Every head
// of Q ∪ K is a row; a warp takes R consecutive rows (heads of one or two tokens), issues all their vector
// loads first, then normalizes and rotates each with the lane's cos/sin loaded straight from the table.
// The same shape as the norm fast path (norm.cu), which reaches ~87 % of the copy bandwidth: no shared
// memory, no barriers, a handful of integer instructions per row (notes: docs/kernel-notes.md, version 10).

template <typename T, int HD, int R>
__global__ void __launch_bounds__(kThreads) rope_rows_kernel(const __grid_constant__ RopeLaunch L) {
    constexpr int EPL = HD / 32;
    using P = Packed<T, EPL>;
    const gf_rope_args& a = L.a;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int H = a.num_q_heads + a.num_k_heads;
    const int rot = a.rotary_dim;
    const int half = rot >> 1;
    const int i0 = lane * EPL;
    const int off = a.interleaved || rot == 0 ? 0 : half / EPL;
    const bool rotates = i0 < rot;
    const bool first = rotates && (lane & off) == 0;
    // the lane's first frequency: neox pairs (j, j + rot/2) share it, gpt-j pairs (2j, 2j + 1)
    const int j0 = a.interleaved ? i0 / 2 : (i0 < half ? i0 : i0 - half);
    const int64_t rows = a.seq * H; // batch folded into seq by the caller
    float wq[EPL], wk[EPL];
    load_norm_weights<EPL>(a, i0, wq, wk);
    const float* table = static_cast<const float*>(a.cos);
    const int64_t sin_off = static_cast<const float*>(a.sin) - table;

    for (int64_t r0 = (static_cast<int64_t>(blockIdx.x) * kWarps + warp) * R; r0 < rows;
         r0 += static_cast<int64_t>(gridDim.x) * kWarps * R) {
        int64_t tok = r0 / H;
        int h = static_cast<int>(r0 - tok * H);
        P x[R];
        int64_t tk[R];
        int hd_[R];
#pragma unroll
        for (int j = 0; j < R; j++) {
            tk[j] = tok;
            hd_[j] = h;
            if (r0 + j < rows) {
                const bool is_q = h < a.num_q_heads;
                const T* in = is_q ? static_cast<const T*>(a.q) + tok * a.q_stride[1] + h * a.q_stride[2]
                                   : static_cast<const T*>(a.k) + tok * a.k_stride[1] + (h - a.num_q_heads) * a.k_stride[2];
                x[j].v = __ldcs(reinterpret_cast<const typename P::V*>(in + i0));
            }
            if (++h == H) {
                h = 0;
                tok++;
            }
        }
#pragma unroll
        for (int j = 0; j < R; j++) {
            if (r0 + j >= rows) break; // uniform across the warp
            const int hh = hd_[j];
            const bool is_q = hh < a.num_q_heads;
            float c[EPL], sn[EPL];
            if (rot > 0) {
                const int64_t p = load_index(a.positions, tk[j] * a.position_stride[2], a.position_dtype);
                if (p < 0 || p >= a.max_position) {
                    if (lane == 0 && hh == 0) atomicCAS(a.status, 0, GF_ERR_POSITION_RANGE);
                    continue; // this token's heads stay unwritten
                }
                if (rotates) {
                    const float* row = table + p * a.table_stride[1];
#pragma unroll
                    for (int e = 0; e < EPL; e++) {
                        const int jj = a.interleaved ? j0 + e / 2 : j0 + e;
                        c[e] = row[jj];
                        sn[e] = row[sin_off + jj];
                    }
                }
            }
            float y[EPL];
#pragma unroll
            for (int e = 0; e < EPL; e++) y[e] = to_f32(x[j].e[e]);
            norm_and_rotate<HD, EPL>(a, y, is_q, wq, wk, c, sn, off, first, rotates);
            P o;
#pragma unroll
            for (int e = 0; e < EPL; e++) o.e[e] = from_f32<T>(y[e]);
            T* out = is_q ? static_cast<T*>(a.q_out) + tk[j] * a.q_out_stride[1] + hh * a.q_out_stride[2]
                          : static_cast<T*>(a.k_out) + tk[j] * a.k_out_stride[1] + (hh - a.num_q_heads) * a.k_out_stride[2];
            __stcs(reinterpret_cast<typename P::V*>(out + i0), o.v);
        }
    }
}

// The row path's case: the fast path's layout conditions, a norm, batches that fold into one token axis,
// and either no rotation or 1-row positions into a half-width fp32 table.
inline bool rows_fit(const gf_rope_args& a) {
    if (!a.has_norm) return false;
    auto folds = [&](const int64_t* st) { return a.batch == 1 || st[0] == a.seq * st[1]; };
    if (!folds(a.q_stride) || !folds(a.q_out_stride)) return false;
    if (a.num_k_heads > 0 && (!folds(a.k_stride) || !folds(a.k_out_stride))) return false;
    if (a.rotary_dim == 0) return true;
    return a.angle_source == GF_ANGLES_TABLE && a.position_rows == 1 && a.table_dtype == GF_DTYPE_F32 &&
           a.table_width == a.rotary_dim / 2 && (a.batch == 1 || a.position_stride[1] == a.seq * a.position_stride[2]);
}

template <typename T>
void launch_rows(RopeLaunch L, cudaStream_t stream) {
    constexpr int R = 4;
    L.a.seq = L.a.batch * L.a.seq; // batches fold (rows_fit checked the strides)
    L.a.batch = 1;
    const int64_t rows = L.a.seq * (L.a.num_q_heads + L.a.num_k_heads);
    const unsigned blocks = blocks_for(rows, kWarps * R);
    switch (L.a.head_dim) {
    case 64: rope_rows_kernel<T, 64, R><<<blocks, kThreads, 0, stream>>>(L); break;
    case 128: rope_rows_kernel<T, 128, R><<<blocks, kThreads, 0, stream>>>(L); break;
    default: rope_rows_kernel<T, 256, R><<<blocks, kThreads, 0, stream>>>(L); break;
    }
}
