// The rope family (QkNorm, QkNormRope, QkNormMRope, MRope, Rope): the entry points, and which kernel takes
// a launch. Semantics: the header graphfuse_kernels.h and docs/ops.md. The kernels, each in its own header:
//  - rope_decode.cuh: few (token, head) items, such as one decode step (config.h, kDecodeMaxItems);
//  - rope_rows.cuh:   a norm without a rotation (QkNorm), many tokens: heads as rows, a few a warp;
//  - rope_wide.cuh:   the wide-lane kernel, for an out-of-place rotation of part of a head (the rest copied)
//                     in one pass (config.h, GF_WIDE_KERNEL);
//  - rope_split.cuh:  the split-lane kernel, for 16-bit Q/K whose changed width is 64, 128 or 256, and
//    rope_pass_through.cuh: the copy of the other dims when it rotates part of a head out of place;
//  - rope_tiled.cuh:  many tokens through shared memory;
//  - rope_fast.cuh:   the register fast path;
//  - rope_general.cuh: any argument set the entry points accept, and the cross-check of the others.
// Which paths a build has is config.h's (GF_ONLY_GENERAL_KERNEL, GF_SPLIT_KERNEL).
#include <cuda_runtime.h>

#include "config.h"
#include "head_norm.h"
#include "launch.cuh"
#include "rope_common.cuh"
#include "rope_decode.cuh"
#include "rope_fast.cuh"
#include "rope_general.cuh"
#include "rope_pass_through.cuh"
#include "rope_rows.cuh"
#include "rope_split.cuh"
#include "rope_tiled.cuh"
#include "rope_wide.cuh"
#include "validate.h"

namespace gf {
namespace {

using rope::RopeLaunch;

int launch_rope(const gf_rope_args* args, RopeOp op, void* stream) {
    const int rc = validate_rope(args, op);
    if (rc != 0) return rc;
    RopeLaunch L{};
    L.a = *args;
    // without a rotation the angle fields are unvalidated leftovers: make sure the kernel never reads them
    if (args->rotary_dim == 0) L.a.position_rows = 0;
    L.work = args->batch * args->seq * (static_cast<int64_t>(args->num_q_heads) + args->num_k_heads);
    if (L.work == 0) return 0;
    L.check_range = args->rotary_dim > 0 && args->position_rows > 0 &&
                    (args->angle_source == GF_ANGLES_TABLE || args->max_position > 0);
    L.q_in_place = args->q == args->q_out;
    L.k_in_place = args->k == args->k_out;

    const cudaStream_t s = static_cast<cudaStream_t>(stream);
    clear_last_error();
    // the specialised kernels are instantiated for these head sizes and implement some norm kinds
    // (head_norm.h); any other launch takes the general kernel
    const bool special = !kOnlyGeneralKernel && norm_kind_has_fast_path(args->has_norm) &&
                         (args->head_dim == 64 || args->head_dim == 128 || args->head_dim == 256);
    // out of place, a rotation of part of a head must also copy the rest of it
    const bool in_place = L.q_in_place && (args->num_k_heads == 0 || L.k_in_place);
    const bool partial_copy = args->rotary_dim > 0 && args->rotary_dim < args->head_dim && !in_place;
    rope::DecodeArgs dec{};
    if (special && L.work <= kDecodeMaxItems && rope::fast_path_fits(L.a) && rope::decode_fits(L, dec)) {
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_decode<__nv_bfloat16>(L, dec, s);
        } else {
            rope::launch_decode<__half>(L, dec, s);
        }
        return launch_status();
    }
    // a norm without a rotation, above the decode kernel's sizes: rows of heads (config.h, kRowsMinItems)
    if (special && L.work > kRowsMinItems && rope::rows_fit(L.a)) {
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_rows<__nv_bfloat16>(L, s);
        } else {
            rope::launch_rows<__half>(L, s);
        }
        return launch_status();
    }
    rope::WideShape wsh{};
    // mid-size launches (config.h, kWideMaxItems): one warp access a head, and a wave or less of warps
    const bool mid = args->has_norm && L.work > kDecodeMaxItems && L.work <= kWideMaxItems &&
                     L.a.position_rows <= 1 && (args->rotary_dim == 0 || args->angle_source == GF_ANGLES_TABLE);
    const bool wide = kWideKernel == 2 || (kWideKernel == 1 && ((partial_copy && !args->has_norm) || mid));
    if (special && wide && rope::wide_fits(L.a, wsh)) {
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_wide<__nv_bfloat16>(L, wsh, s);
        } else {
            rope::launch_wide<__half>(L, wsh, s);
        }
        return launch_status();
    }
    rope::SplitShape sp{};
    if (special && kSplitKernel && rope::split_fits(L.a, sp)) {
        // out of place with only the rotary dims in the split kernel's width: the rest is a plain copy
        const bool pass_through = sp.width < args->head_dim && partial_copy;
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_split<__nv_bfloat16>(L, sp, s);
            if (pass_through) rope::launch_pass_through<__nv_bfloat16>(L, s);
        } else {
            rope::launch_split<__half>(L, sp, s);
            if (pass_through) rope::launch_pass_through<__half>(L, s);
        }
        return launch_status();
    }
    rope::TiledShape sh{};
    const int64_t items = args->batch * args->seq * (static_cast<int64_t>(args->num_q_heads) + args->num_k_heads);
    if (special && rope::fast_path_fits(L.a) && items >= 4096 && rope::tiled_fits(L.a, sh)) {
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_tiled<__nv_bfloat16>(L, sh, s);
        } else {
            rope::launch_tiled<__half>(L, sh, s);
        }
        return launch_status();
    }
    if (special && rope::fast_path_fits(L.a)) {
        if (args->dtype == GF_DTYPE_BF16) {
            rope::launch_fast<__nv_bfloat16>(L, s);
        } else {
            rope::launch_fast<__half>(L, s);
        }
        return launch_status();
    }
    switch (args->dtype) {
    case GF_DTYPE_BF16: rope::launch_general<__nv_bfloat16>(L, s); break;
    case GF_DTYPE_F16: rope::launch_general<__half>(L, s); break;
    default: rope::launch_general<float>(L, s); break;
    }
    return launch_status();
}

} // namespace
} // namespace gf

extern "C" {

int gf_qk_norm(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::QkNorm, stream); }
int gf_qk_norm_rope(const gf_rope_args* args, void* stream) {
    return gf::launch_rope(args, gf::RopeOp::QkNormRope, stream);
}
int gf_qk_norm_mrope(const gf_rope_args* args, void* stream) {
    return gf::launch_rope(args, gf::RopeOp::QkNormMRope, stream);
}
int gf_mrope(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::MRope, stream); }
int gf_rope(const gf_rope_args* args, void* stream) { return gf::launch_rope(args, gf::RopeOp::Rope, stream); }

} // extern "C"
