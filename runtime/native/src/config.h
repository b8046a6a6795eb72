// Build-time configuration of the CUDA kernels: the switches a verification build may set, and the tuned
// constants of the fast paths, each with the reason for its value. The library reads no environment; every
// choice below is fixed when it is built. Where the values come from: docs/kernels.md, and the measurements
// in the engineering log (docs/notes/engineering-log.md, 2026-11-22).
#pragma once

#include <stdint.h>

// ---------------------------------------------------------------------------------------------------------
// Switches. Each is a compile definition, 0 or 1; the shipping build sets none and gets the defaults. A build
// that sets one is a cross-check of the default build, made in a build directory of its own, e.g.
//   cmake -S runtime/native -B build-general -DCMAKE_CUDA_FLAGS="-DGF_ONLY_GENERAL_KERNEL=1"
// bin/gpu-bench builds each of them and runs bin/gpu_kernel_check.py on it (docs/kernels.md, "Checking them
// on a GPU"); bin/gpu-sweep builds any set of them for timing.

// GF_PDL (default 1): every kernel is launched as a programmatic dependent launch (launch.cuh), which
// shortens the gap between back-to-back kernels. 0: plain stream-ordered launches. Results are the same either
// way; bin/gpu-bench's "pdl-off" build checks that.
#ifndef GF_PDL
#define GF_PDL 1
#endif

// GF_ONLY_GENERAL_KERNEL (default 0): 1 sends every rope-family launch to the general kernels
// (rope_general.cuh) and every norm launch to norm.cu's general kernel: the reference against which the fast
// paths are cross-checked (bin/gpu-bench's "general" build) and the benchmark's baseline.
#ifndef GF_ONLY_GENERAL_KERNEL
#define GF_ONLY_GENERAL_KERNEL 0
#endif

// GF_SPLIT_KERNEL (default 1): the split-lane rope kernel (rope_split.cuh) takes the launches it fits. 0 leaves
// it out of the dispatch, so that the tiled and register fast paths it replaced take those launches and are
// checked too (bin/gpu-bench's "split-off" build).
#ifndef GF_SPLIT_KERNEL
#define GF_SPLIT_KERNEL 1
#endif

// GF_WIDE_KERNEL (default 1): which launches the wide-lane kernel (rope_wide.cuh) takes. 1: out-of-place
// rotations of part of a head without a norm (Qwen3.5's MRoPE), one pass where the split kernel needs a
// second launch copying the other dims: 501 against 762 us at 65,536 tokens on an H100 (docs/benchmarks.md);
// and mid-size launches with a norm (kWideMaxItems below). 0: none, so those launches run the split kernel
// (plus rope_pass_through.cuh for the partial rotations). 2: every launch it fits, the
// experiment that compares it with the split and decode kernels on their launches (slower there at decode:
// 2.77 against 2.41 us for QkNormRope at T = 1).
#ifndef GF_WIDE_KERNEL
#define GF_WIDE_KERNEL 1
#endif

// GF_TABLE_EVICT_LAST (default 1): the split-lane kernel's fp32 cos / sin loads carry an L2 evict-last policy,
// so that the table (reused by every token and every layer) outlives the streamed Q / K lines. 0: evict-normal,
// for a model whose other kernels want that L2 space more (a 40,960 x 128 fp32 table is 21 MB of an H200's
// 50 MB); bin/gpu-bench's "evict-normal" build checks it.
#ifndef GF_TABLE_EVICT_LAST
#define GF_TABLE_EVICT_LAST 1
#endif

// GF_PDL_NO_WAIT (default: not defined): defined, pdl_enter() leaves out griddepcontrol.wait, so a kernel may
// read its predecessor's output before it is written. A deliberately broken build, never shipped: the
// negative control of bin/gpu_kernel_check.py's dependent-launch case, which must fail on it.

#if GF_PDL != 0 && GF_PDL != 1
#error "GF_PDL must be 0 or 1"
#endif
#if GF_ONLY_GENERAL_KERNEL != 0 && GF_ONLY_GENERAL_KERNEL != 1
#error "GF_ONLY_GENERAL_KERNEL must be 0 or 1"
#endif
#if GF_SPLIT_KERNEL != 0 && GF_SPLIT_KERNEL != 1
#error "GF_SPLIT_KERNEL must be 0 or 1"
#endif
#if GF_WIDE_KERNEL < 0 || GF_WIDE_KERNEL > 2
#error "GF_WIDE_KERNEL must be 0, 1 or 2"
#endif
#if GF_TABLE_EVICT_LAST != 0 && GF_TABLE_EVICT_LAST != 1
#error "GF_TABLE_EVICT_LAST must be 0 or 1"
#endif

namespace gf {

constexpr bool kPdl = GF_PDL != 0;
constexpr bool kOnlyGeneralKernel = GF_ONLY_GENERAL_KERNEL != 0;
constexpr bool kSplitKernel = GF_SPLIT_KERNEL != 0;
constexpr bool kTableEvictLast = GF_TABLE_EVICT_LAST != 0;
constexpr int kWideKernel = GF_WIDE_KERNEL;

// ---------------------------------------------------------------------------------------------------------
// Tuned constants (H200, 2026-11-22 unless said otherwise). Changing one is a kernel experiment: edit it here
// and time the result with bin/gpu-sweep against the default build.

// Rope dispatch (rope.cu). Launches of at most this many (token, head) items take the decode kernel
// (rope_decode.cuh), with or without a rotation: a decode step of up to 32 sequences at Qwen3-8B's 32 + 8
// heads, a launch whose time is one warp's dependent load chain, not bandwidth. H100, 2026-12-07, against
// the split and wide kernels that took rotating launches before: QkNormRope 1.63 against 2.34 us at T = 1 and
// 2.48 against 3.03 at T = 32, MRope out of place 1.73 against 2.69 and 2.70 against 3.32 (docs/benchmarks.md).
constexpr int64_t kDecodeMaxItems = 1280;

// Launches with a norm of more (token, head) items than that and at most this many take the wide-lane kernel
// (rope_wide.cuh) when their angles come from a one-row table or there is no rotation (GF_WIDE_KERNEL=1;
// out-of-place partial rotations without a norm take it at every size; a norm without a rotation on 16-byte
// aligned heads goes to the row kernel first, kRowsMinItems). H100,
// 2026-12-07, T = 256 of Qwen3-8B (10,240 items): QkNorm 4.30 against 4.96 us on the split kernel (FastDeploy
// 4.40), QkNormRope 5.85 against 6.37 (vLLM 6.62). At T = 2,048 (81,920 items) the split kernel wins:
// QkNormRope 19.75 against 27.19, QkNorm 18.39 against 18.41. MRoPE rows, inv_freq and rotations without a
// norm were not timed on it at these sizes, so they stay on the split kernel.
constexpr int64_t kWideMaxItems = 10240;

// Tiled path (rope_tiled.cuh). About 16 KB of heads per pipeline stage: three stages and the tile's angles
// stay within the 96 KB of shared memory a block may take.
constexpr int kTileBytes = 16384;
// Blocks per SM its register allocation must allow: 1, no cap. Forcing more (4, 5: 48 registers) spilled and
// gained nothing: the kernel is bound by instruction issue, not occupancy.
constexpr int kTiledMinBlocks = 1;

// Split-lane path (rope_split.cuh).
// Warps per block: 4, so that a block frees its SM slot when the slowest of 4 warps is done, not of 8 (-1 to
// -2 % at 65,536 tokens; 2-warp blocks slowed decode).
constexpr int kSplitWarps = 4;
// Resident warps per SM the registers must allow: 24 (80 registers) with a norm; 32 (64 registers) for a
// rotation alone, whose per-token angle chain needs more warps to hide. A norm kernel at 64 registers
// spilled and lost 11 %; at 28 warps (72 registers) it spilled and gained nothing.
constexpr int kSplitMinWarpsNorm = 24;
constexpr int kSplitMinWarpsRot = 32;
// Steps (head groups) whose loads are issued together: 4 (2 and 8 both measured slower).
constexpr int kSplitUnroll = 4;
// Without a rotation there is no angle chain to repeat, so tokens are split until each resident warp has
// this many items, which shortens the last wave (QkNorm -4 % at 65,536; never below one token per warp: at
// 2,048 tokens one-step items took 1.6x as long).
constexpr int kSplitRoundsNoRot = 8;
// With a rotation a warp takes whole tokens (the chain paid once a token): splitting them 8 or 16 ways
// measured slower. 0: only the grid's ends are split (below).
constexpr int kSplitRoundsRot = 0;
// The last kSplitTailPct % of one wave of resident warps' worth of tokens go in kSplitTailItems items each,
// after all the whole-token items, so that the grid ends evenly (25 % with 4-warp blocks; 50 % and 75 %
// measured no better).
constexpr int kSplitTailPct = 25;
constexpr int kSplitTailItems = 2;
// The first kSplitHeadPct % of a wave's worth of tokens are split the same way, so that the first wave does
// not end all at once: QkNormRope -1.3 % at 16,384 tokens with a norm; a rotation alone (MRope) gained
// nothing, so none there.
constexpr int kSplitHeadPct = 25;
constexpr int kSplitHeadPctRot = 0;

// Wide-lane path (rope_wide.cuh): the same split ends as the split kernel's (rope_items.cuh), for its
// whole-token launches. H100, 2026-12-07, out-of-place MRope (Qwen3.5 heads) against the kernel without split
// ends in the same run: 2,048 tokens 24.0 us against 26.3-26.5, 16,384 129.3-129.4 against 133.5-134.7,
// 65,536 482-483 against 487. These values were not swept against others.
constexpr int kWideTailPct = 50;
constexpr int kWideTailItems = 4;
constexpr int kWideHeadPct = 0;

// Row path (rope_rows.cuh): launches with the RMS norm and no rotation (QkNorm) of more than kRowsMinItems
// (token, head) items, i.e. every one the decode kernel does not take; kRowsPerWarp rows a warp. H100,
// 2026-12-07, QkNorm 32 + 8 heads of 128 in place, 16-byte lanes against the kernels that took these launches
// before, in the same run: 2,048 tokens (81,920 items) 17.45 against 18.10 us (split kernel), 16,384 115.45
// against 118.21, 65,536 449.3 against 463.0 (23:45 UTC); 64 / 128 / 256 tokens 2.59 / 3.15 / 4.07 against
// 2.62 / 3.30 / 4.43 on the wide kernel, FastDeploy 3.07 / 3.55 / 4.39 (00:23 UTC).
constexpr int64_t kRowsMinItems = kDecodeMaxItems;
constexpr int kRowsPerWarp = 4;

// Norm family (norm.cu). Rows per warp in the fast path, their loads issued together (RmsNormGated at 87 % of
// the copy bandwidth).
constexpr int kNormRows = 4;
// Launches of at most this many rows (a decode step's per-head norms) take one row per warp in two-warp
// blocks, spread over many SMs: the time of such a launch is one row's load chain, not bandwidth (H100,
// 2026-12-07, RmsNormGated 32 x 128: 1.49 / 2.27 us at T = 1 / 32 against 2.72 / 3.40 for the packed kernel;
// at T = 256, 8,192 rows, 5.74 against 5.26, so the threshold stays below that).
constexpr int64_t kNormDecodeRows = 1024;

} // namespace gf
