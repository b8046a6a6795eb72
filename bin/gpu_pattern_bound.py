#!/usr/bin/env python3
"""How fast can anything move exactly the bytes an in-place op must touch? (issue 6)

For each op and T, copies in place exactly the elements the op changes, in qkv's layout (for MRope: the
first rot of every head_dim elements of each Q and K head), with every implementation at hand, each timed
as gpu_bench times our kernels (a CUDA graph of N calls over N buffers larger than L2, median of 50
replays):
  triton R/w   gpu_bench's pattern-copy kernel with R rows (heads) per program and w warps, every pair
  torch        x[..., :W].mul_(1) on the strided (T, heads, W) view (PyTorch's own elementwise kernel)
and prints each one's time and its share of the large-copy ceiling (gpu_bench.copy_bandwidth) for the
op's counted bytes, so that a bar stated against that ceiling can be compared with what a plain copy of
the same bytes reaches on this machine.

usage: python3 bin/gpu_pattern_bound.py [--ops MRope,QkNormMRope] [--tokens 16384,65536]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import triton  # noqa: E402

import gpu_bench as gb  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", default="MRope,QkNormMRope")
    ap.add_argument("--tokens", default="16384,65536")
    args = ap.parse_args()
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}, triton {triton.__version__}")
    copy_tbs = gb.copy_bandwidth()
    print(f"copy bandwidth {copy_tbs:.3f} TB/s (copy_ of 2^30 bf16, read + write)")
    for name in args.ops.split(","):
        op = gb.OPS[name]
        heads = op.nq + op.nk
        for T in [int(t) for t in args.tokens.split(",")]:
            n = gb.calls_per_graph(op, T, 8)
            shared = gb.make_shared(op)
            insts = [gb.Instance(op, T, shared) for _ in range(n)]
            # the counted bytes of the op itself (positions and cos / sin included), so that the % column
            # is what our kernel would show at the same time
            per_call = op.bytes_per_token() * T
            results = []
            for r in (16, 32, 64, 128, 256):
                for nw in (2, 4, 8):
                    fs = [gb.pattern_copy(op, i, r, nw) for i in insts]
                    results.append((f"triton {r}/{nw}", gb.time_graph(lambda s: [f() for f in fs]) / n))
            views = [i.qkv.view(T, -1, op.hd)[:, :heads, :op.touched] for i in insts]
            results.append(("torch", gb.time_graph(lambda s: [v.mul_(1) for v in views]) / n))
            # the four fastest, then gpu_bench's own configuration and PyTorch's, if not among them
            ranked = sorted(results, key=lambda t: t[1])
            shown = ranked[:4] + [r for r in ranked[4:] if r[0] in ("triton 64/4", "torch")]
            for i, (label, us) in enumerate(shown):
                pct = 100 * per_call / us / 1e6 / copy_tbs
                print(f"{name:<13}{T:>7}{n:>4}  {label:<14}{us:>9.2f} us {pct:>6.1f}% of the ceiling"
                      f"{'   (best)' if i == 0 else ''}", flush=True)
            del insts, views, shared
            torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
