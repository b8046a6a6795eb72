#!/usr/bin/env python3
"""One fused op, launched back to back over rotating buffers outside any CUDA graph, for a profiler.

gpu_bench.py times graph replays, which Nsight Compute cannot split into kernels; this script makes the
same instances (same shapes, weights, cos/sin table and random positions as gpu_bench.py) and launches our
kernel on each in turn, `--rounds` times, so that ncu can skip the first launches and measure later ones
with the table as warm as it is in the benchmark. Example, on the GPU machine:

  ncu --cache-control none --kernel-name regex:rope --launch-skip 16 --launch-count 4 \\
      --metrics dram__bytes_read.sum,gpu__time_duration.sum \\
      python3 bin/gpu_profile.py --lib runtime/target/native-build-gpu/libgraphfuse_kernels.so \\
      --op QkNormMRope --tokens 16384
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

import gpu_bench  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--op", required=True, choices=sorted(gpu_bench.OPS))
    ap.add_argument("--tokens", type=int, default=16384)
    ap.add_argument("--instances", type=int, default=8, help="buffers rotated, as gpu_bench.py's N")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    lib = gpu_bench.load_lib(args.lib)
    op = gpu_bench.OPS[args.op]
    torch.manual_seed(args.tokens)
    shared = gpu_bench.make_shared(op)
    insts = [gpu_bench.Instance(op, args.tokens, shared) for _ in range(args.instances)]
    calls = [gpu_bench.ours_call(lib, op, i, shared) for i in insts]
    stream = torch.cuda.current_stream()
    for _ in range(args.rounds):
        gpu_bench.launch_calls(op, calls, stream)
    torch.cuda.synchronize()
    print(f"{op.name} T={args.tokens}: {args.rounds} x {args.instances} launches", file=sys.stderr)


if __name__ == "__main__":
    main()
