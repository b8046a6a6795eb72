#!/usr/bin/env python3
"""Does where the buffers lie change our kernels' speed? (issue 6; engineering log, 2026-11-22, "Placement")

For each op at T tokens, times our kernel and the in-place Triton copy of the same elements (gpu_bench's
"same pattern") over the same instances, with the instances' qkv buffers placed in several ways, in one
process:
  fresh      each buffer its own cudaMalloc, after empty_cache (what gpu_bench does)
  carved     carved by the caching allocator from a freed 8 GB segment (no empty_cache)
  view+OFF   views into one large buffer, instance i at i x (bytes rounded up to 2 MB) + OFF bytes
and prints, per placement, the first buffer's address modulo 2 MB / 32 MB / 1 GB.

usage: python3 bin/gpu_placement.py --lib build/libgraphfuse_kernels.so [--ops QkNorm,QkNormMRope] [--tokens 16384]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

import gpu_bench as gb  # noqa: E402

MB = 2**20


def place(op, T, n, mode, shared):
    """n instances of op at T with their qkv placed as mode says; returns (instances, what keeps them)."""
    keep = []
    if mode == "fresh":
        torch.cuda.empty_cache()
    elif mode == "carved":
        torch.cuda.empty_cache()
        big = torch.empty(8 * 2**30, dtype=torch.uint8, device=gb.DEV)
        del big  # its segment stays cached: the instances below are carved from it
    insts = [gb.Instance(op, T, shared) for _ in range(n)]
    if mode.startswith("view+"):
        off = int(mode[5:])
        elems = T * op.width
        step = -(-elems * 2 // (2 * MB)) * 2 * MB  # bytes, rounded up to 2 MB
        torch.cuda.empty_cache()
        big = torch.empty(n * step + off + 2 * MB, dtype=torch.uint8, device=gb.DEV)
        base = -big.data_ptr() % (2 * MB)  # the first 2 MB boundary inside big
        for i, inst in enumerate(insts):
            start = base + i * step + off
            v = big[start:start + elems * 2].view(torch.bfloat16).view(T, -1)
            v.copy_(inst.qkv)
            inst.qkv = v
        keep.append(big)
    return insts, keep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--ops", default="QkNorm,QkNormMRope")
    ap.add_argument("--tokens", default="16384")
    ap.add_argument("--modes", default="fresh,carved,view+0,view+512,view+4096,view+65536,view+1048576,fresh")
    args = ap.parse_args()
    lib = gb.load_lib(args.lib)
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}")
    print(f"{'op':<13}{'T':>7}{'N':>4} {'placement':<14}{'ours us':>9}{'pattern us':>12}{'ours/pat':>9}"
          f"{'%2MB':>9}{'%32MB':>10}{'%1GB':>12}")
    for name in args.ops.split(","):
        op = gb.OPS[name]
        for T in [int(t) for t in args.tokens.split(",")]:
            n = gb.calls_per_graph(op, T, 8)
            for mode in args.modes.split(","):
                torch.manual_seed(T)
                shared = gb.make_shared(op)
                insts, keep = place(op, T, n, mode, shared)
                calls = [gb.ours_call(lib, op, i, shared) for i in insts]
                ours = gb.time_graph(lambda s: gb.launch_calls(op, calls, s)) / n
                pcs = [gb.pattern_copy(op, i) for i in insts]
                pat = gb.time_graph(lambda s: [f() for f in pcs]) / n
                p = insts[0].qkv.data_ptr()
                print(f"{name:<13}{T:>7}{n:>4} {mode:<14}{ours:>9.2f}{pat:>12.2f}{ours / pat:>9.3f}"
                      f"{p % (2 * MB):>9}{p % (32 * MB):>10}{p % 2**30:>12}", flush=True)
                del insts, keep, calls, pcs, shared


if __name__ == "__main__":
    main()
