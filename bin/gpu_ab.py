"""Several builds of the kernel library timed on the same instances, interleaved: kernel experiments (issue 23).

usage: python3 bin/gpu_ab.py --libs name=path,... --ops QkNorm,... --tokens 2048,16384 [--rounds 3] [--seeds]
For each (op, T): one set of instances; every build (and the seed, with --seeds) checked against float64 once,
then timed round-robin `rounds` times (gpu_bench.time_graph: CUDA-graph replays, median of 50). Prints each
build's median over rounds, its spread, and its ratio to the first build (and to the seed).
"""
import argparse, os, statistics, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
import gpu_bench as gb
import gpu_bench_seeds as gs

ap = argparse.ArgumentParser()
ap.add_argument("--libs", required=True)
ap.add_argument("--ops", required=True)
ap.add_argument("--tokens", required=True)
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--seeds", action="store_true")
ap.add_argument("--settle", type=float, default=0.3)
args = ap.parse_args()
libs = []
for spec in args.libs.split(","):
    name, path = spec.split("=")
    libs.append((name, gb.load_lib(path)))
seeds = gs.load_seeds("cuda")[0] if args.seeds else {}
print(torch.cuda.get_device_name(), time.strftime("%FT%TZ", time.gmtime()), flush=True)
for opname in args.ops.split(","):
    op = gb.OPS[opname]
    for T in [int(t) for t in args.tokens.split(",")]:
        torch.manual_seed(T)
        shared = gb.make_shared(op)
        n = gb.calls_per_graph(op, T, 8)
        insts = [gb.Instance(op, T, shared) for _ in range(n)]
        impls = []
        checks = []
        for name, lib in libs:
            calls = [gb.ours_call(lib, op, i, shared) for i in insts]
            ok, ulps = gs.check(op, insts[0], shared, gb.EPS, lambda: gb.launch_calls(op, calls[:1], torch.cuda.current_stream()))
            checks.append(f"{name} {ulps:.2f}{'' if ok else ' FAIL'}")
            impls.append((name, lambda s, c=calls: gb.launch_calls(op, c, s)))
        seed = seeds.get(opname)
        if seed is not None:
            states = [seed.prepare(gs.seed_args(op, i, shared, gb.EPS)) for i in insts]
            ok, ulps = gs.check(op, insts[0], shared, gb.EPS, lambda: seed.call(states[0]))
            checks.append(f"seed {ulps:.2f}{'' if ok else ' FAIL'}")
            impls.append(("seed", lambda s, st=states: [seed.call(x) for x in st]))
        torch.cuda.synchronize()
        time.sleep(args.settle)
        times = {name: [] for name, _ in impls}
        for r in range(args.rounds):
            order = impls[r % len(impls):] + impls[:r % len(impls)]
            for name, f in order:
                times[name].append(gb.time_graph(f) / n)
        base = statistics.median(times[impls[0][0]])
        sd = statistics.median(times["seed"]) if "seed" in times else None
        line = [f"{opname:<16}{T:>7}"]
        for name, _ in impls:
            m = statistics.median(times[name])
            extra = f" s{m / sd:.3f}" if sd and name != "seed" else ""
            line.append(f"{name} {m:.2f} [{min(times[name]):.2f}-{max(times[name]):.2f}] {m / base:.3f}{extra}")
        print(" | ".join(line), flush=True)
        print("   check ulps: " + ", ".join(checks), flush=True)
        del insts, impls
        torch.cuda.empty_cache()
