#!/usr/bin/env python3
"""torch side of the end-to-end benchmark, and the stock ONNX fusers for the ORT side.

    python bin/gpu_e2e_torch.py bench [--json FILE]        # torch eager / torch.compile timings
    python bin/gpu_e2e_torch.py ortopt --dir e2e_models    # onnxscript + ORT-transformers fusions

``bench`` times the very modules that bin/gpu_e2e_models.py exports (same builder, config and seed):
prefill at S = 512 and 4096 (batch 1) for qwen3_prefill / qwen3vl_text / qwen35_text, and one decode step
at batch 1 and 32 over a past of P tokens for qwen3_decode. Inputs are made on the device before timing,
so host-to-device copies are excluded, and outputs stay on the device. Each sample is one forward call
bracketed by CUDA events with torch.cuda.synchronize() before and after; median and p90 in microseconds.

Modes: ``eager``; ``compile`` = torch.compile(mode="default", dynamic=False), no CUDA graphs;
``compile-ro`` = torch.compile(mode="reduce-overhead", dynamic=False), i.e. inductor with CUDA graphs
(cudagraph trees). dynamic=False so each shape gets its own specialised graph, as a serving stack with
bucketed shapes would.

``ortopt`` writes NAME.ortfused.onnx (onnxscript.rewriter.ort_fusions.optimize_for_ort) and NAME.ortopt.onnx
(onnxruntime.transformers.optimizer.optimize_model, model_type "qwen3", python fusions only, GPU options)
for each exported model, with the op histogram difference; either optimizer may fail on a model, and
the error is recorded instead.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import platform
import sys
import time
import traceback
import types
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gpu_e2e_models as em  # noqa: E402  -- the shared builder lives next to this script

MODES = ("eager", "compile", "compile-ro")


def versions():
    import transformers
    v = dict(python=platform.python_version(), torch=torch.__version__, transformers=transformers.__version__,
             cuda=torch.version.cuda, numpy=np.__version__)
    if torch.cuda.is_available():
        v["gpu"] = torch.cuda.get_device_name(0)
        v["cudnn"] = torch.backends.cudnn.version()
    return v


def cases(model, args):
    """(batch, length) pairs: length is S for prefill models, the past length P for decode."""
    if model == "qwen3_decode":
        return [(b, args.past) for b in args.decode_batches]
    return [(1, s) for s in args.prefill_seqs]


def make_fn(module, mode):
    if mode == "eager":
        return module
    if mode == "compile":
        return torch.compile(module, mode="default", dynamic=False)
    return torch.compile(module, mode="reduce-overhead", dynamic=False)


def time_calls(fn, call_args, warmup, iters, mode):
    cuda = torch.cuda.is_available() and next(iter(_tensors(call_args))).is_cuda
    cudagraphs = mode == "compile-ro" and cuda

    def sync():
        if cuda:
            torch.cuda.synchronize()

    def once():
        if cudagraphs:
            # Tells cudagraph trees the previous outputs are dead, so replays may reuse their memory.
            torch.compiler.cudagraph_mark_step_begin()
        return fn(*call_args)

    with torch.no_grad():
        sync()
        t0 = time.perf_counter()
        once()  # includes compilation (and graph capture) for the compile modes
        sync()
        first = time.perf_counter() - t0
        for _ in range(max(warmup - 1, 0)):
            once()
        sync()
        samples = []
        for _ in range(iters):
            if cuda:
                start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                if cudagraphs:
                    torch.compiler.cudagraph_mark_step_begin()
                torch.cuda.synchronize()
                start.record()
                fn(*call_args)
                end.record()
                torch.cuda.synchronize()
                samples.append(start.elapsed_time(end) * 1e3)
            else:
                t = time.perf_counter()
                once()
                samples.append((time.perf_counter() - t) * 1e6)
    s = np.array(samples)
    return dict(median_us=round(float(np.median(s)), 1), p90_us=round(float(np.percentile(s, 90)), 1),
                min_us=round(float(s.min()), 1), mean_us=round(float(s.mean()), 1), n=len(samples),
                first_call_s=round(first, 3), timer="cuda_events" if cuda else "perf_counter")


def _tensors(x):
    if isinstance(x, torch.Tensor):
        yield x
    elif isinstance(x, (list, tuple)):
        for y in x:
            yield from _tensors(y)


def bench(args):
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    dtype = getattr(torch, args.dtype) if args.dtype else (torch.float16 if device == "cuda" else torch.float32)
    report = dict(script="bin/gpu_e2e_torch.py bench", argv=sys.argv[1:], versions=versions(),
                  settings=dict(device=device, dtype=str(dtype).replace("torch.", ""), layers=args.layers,
                                tiny=args.tiny, seed=args.seed, warmup=args.warmup, iters=args.iters,
                                past=args.past, logits=args.logits, qwen35_hybrid=args.qwen35_hybrid,
                                modes=args.modes),
                  notes=["inputs are created on the device before timing: host-to-device copies are excluded; "
                         "outputs stay on the device",
                         "each sample: torch.cuda.synchronize(); event.record(); forward; event.record(); "
                         "torch.cuda.synchronize() (perf_counter on CPU)",
                         "compile = torch.compile(mode='default', dynamic=False), no CUDA graphs; compile-ro = "
                         "mode='reduce-overhead' (CUDA graphs via cudagraph trees), dynamic=False; its inputs are "
                         "marked static (torch._dynamo.mark_static_address), so replays read them in place "
                         "instead of copying them into graph-owned buffers",
                         "qwen3_decode: one token per sequence, past length 'past'; the step concatenates the new "
                         "key/value to the past (DynamicCache), as the exported ONNX graph does"],
                  results=[])

    def flush():
        if args.json:
            with open(args.json, "w") as f:
                json.dump(report, f, indent=1)

    for model in args.models:
        try:
            module, cfg = em.build_model(model, args.layers, args.tiny, dtype, device, args.seed, args.logits,
                                         args.qwen35_hybrid)
        except Exception as ex:  # noqa: BLE001
            report["results"].append(dict(model=model, error=f"build: {type(ex).__name__}: {ex}"[:2000]))
            flush()
            continue
        for mode in args.modes:
            torch._dynamo.reset()
            fn = make_fn(module, mode)
            for batch, length in cases(model, args):
                row = dict(model=model, mode=mode, batch=batch)
                row["past" if model == "qwen3_decode" else "seq"] = length
                breaks_before = sum(torch._dynamo.utils.counters["graph_break"].values())
                try:
                    call_args, _ = em.make_inputs(model, cfg, batch, length, device, dtype, seed=3)
                    if mode == "compile-ro" and device == "cuda":
                        # Without this, every replay first copies each input into the graph's own buffer:
                        # for decode at batch 32 that is the whole KV cache, which is not the model's work.
                        for t in _tensors(call_args):
                            torch._dynamo.mark_static_address(t)
                    row.update(time_calls(fn, call_args, args.warmup, args.iters, mode))
                    if mode != "eager":
                        row["graph_breaks"] = sum(torch._dynamo.utils.counters["graph_break"].values()) - breaks_before
                except Exception as ex:  # noqa: BLE001 -- an OOM or compile failure must not lose the rest
                    row["error"] = f"{type(ex).__name__}: {str(ex).strip()[:2000]}"
                    if args.verbose:
                        traceback.print_exc()
                call_args = None
                report["results"].append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                flush()
                if device == "cuda":
                    torch.cuda.empty_cache()
            del fn
        del module
        torch._dynamo.reset()
        gc.collect()
        if device == "cuda":
            torch.cuda.empty_cache()
    flush()
    if not args.json:
        print(json.dumps(report, indent=1))
    errors = [r for r in report["results"] if "error" in r]
    print(f"{len(report['results']) - len(errors)} timings, {len(errors)} errors"
          + (f"; wrote {args.json}" if args.json else ""), file=sys.stderr)


# --------------------------------------------------------------------------------------------------
# stock fusers, for the ORT CUDA EP comparison run later from Java
# --------------------------------------------------------------------------------------------------

def op_histogram(path):
    import onnx
    m = onnx.load(path, load_external_data=False)
    return collections.Counter(f"{n.domain}::{n.op_type}" if n.domain else n.op_type for n in m.graph.node)


def hist_diff(before, after):
    """Ops the optimizer introduced (count > 0) and the ops it consumed (count < 0)."""
    keys = sorted(set(before) | set(after))
    diff = {k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)}
    return dict(sorted(diff.items(), key=lambda kv: -kv[1]))


def run_onnxscript(src, dst):
    from onnxscript import ir
    from onnxscript.rewriter.ort_fusions import optimize_for_ort
    model = ir.load(src)
    model, counts = optimize_for_ort(model)
    ir.save(model, dst, external_data=os.path.basename(dst) + ".data")
    return dict(fusion_counts={k: int(v) for k, v in counts.items() if v})


def run_ort_transformers(src, dst, cfg):
    from onnxruntime.transformers.optimizer import optimize_model
    # opt_level 0: only the Python fusions, so the file stays portable and ORT's own graph optimizations
    # happen at session creation on the CUDA EP, as for every other variant. hidden_size is the query
    # projection width (heads * head_dim), which is what the attention fusion reshapes to; for the real
    # Qwen3 / Qwen3.5 dims it equals the model's hidden size.
    opt = optimize_model(src, model_type="qwen3", num_heads=cfg["num_attention_heads"],
                         hidden_size=cfg["num_attention_heads"] * cfg["head_dim"], opt_level=0, use_gpu=True)
    opt.save_model_to_file(dst, use_external_data_format=True)
    stats = opt.get_fused_operator_statistics()
    return dict(fused_operator_statistics={k: int(v) for k, v in stats.items() if v})


def check_against_original(src, dst, name, entry):
    """Both files in ORT CPU on the same inputs (the export's check shape): a fusion that changes the numbers
    or produces a file ORT cannot load shows up here rather than in the CUDA run."""
    import onnxruntime as ort
    b, n = em.CHECK_SHAPE[name]
    dims = types.SimpleNamespace(**entry["config"])  # make_inputs only reads sizes, all in the manifest
    _, feeds = em.make_inputs(name, dims, b, n, "cpu", getattr(torch, entry["dtype"]), seed=7)
    feeds = {k: v.numpy() for k, v in feeds.items()}
    outs = [ort.InferenceSession(p, providers=["CPUExecutionProvider"]).run(None, feeds) for p in (src, dst)]
    rel = max(float(np.abs(a.astype(np.float64) - c).max()) / max(float(np.abs(a).max()), 1e-6)
              for a, c in zip(*outs))
    return dict(ort_cpu_vs_original_worst_rel=rel)


def ortopt(args):
    with open(os.path.join(args.dir, "manifest.json")) as f:
        manifest = json.load(f)
    names = args.models or list(manifest["models"])
    report = dict(script="bin/gpu_e2e_torch.py ortopt", dir=args.dir, models={})
    try:
        import onnxruntime
        import onnxscript
        report["versions"] = dict(onnxscript=onnxscript.__version__, onnxruntime=onnxruntime.__version__)
    except Exception as ex:  # noqa: BLE001
        report["versions"] = dict(error=str(ex))
    for name in names:
        entry = manifest["models"].get(name)
        if entry is None:
            report["models"][name] = dict(error="not in manifest (export failed or not run)")
            continue
        src = os.path.join(args.dir, entry["file"])
        before = op_histogram(src)
        res = dict(source=entry["file"], nodes_before=sum(before.values()))
        for key, suffix, runner in (("onnxscript_optimize_for_ort", ".ortfused.onnx", run_onnxscript),
                                    ("ort_transformers_optimizer", ".ortopt.onnx", run_ort_transformers)):
            dst = os.path.join(args.dir, name + suffix)
            for p in (dst, dst + ".data"):
                if os.path.exists(p):
                    os.remove(p)
            t0 = time.time()
            try:
                r = runner(src, dst) if runner is run_onnxscript else runner(src, dst, entry["config"])
                after = op_histogram(dst)
                r.update(file=os.path.basename(dst), nodes_after=sum(after.values()), op_diff=hist_diff(before, after))
                if args.check:
                    try:
                        r.update(check_against_original(src, dst, name, entry))
                    except Exception as ex:  # noqa: BLE001
                        r["check_error"] = f"{type(ex).__name__}: {str(ex).strip()[:1000]}"
            except Exception as ex:  # noqa: BLE001 -- recorded, the other optimizer still runs
                r = dict(error=f"{type(ex).__name__}: {str(ex).strip()[:2000]}",
                         traceback=traceback.format_exc(limit=6)[-3000:])
            r["seconds"] = round(time.time() - t0, 2)
            res[key] = r
            added = {k: v for k, v in r.get("op_diff", {}).items() if v > 0}
            msg = (f"ERROR {r['error'][:300]}" if "error" in r else
                   f"{res['nodes_before']} -> {r['nodes_after']} nodes; new ops {added or 'none'}")
            if "ort_cpu_vs_original_worst_rel" in r:
                msg += f"; ORT CPU vs original worst rel err {r['ort_cpu_vs_original_worst_rel']:.3g}"
            elif "check_error" in r:
                msg += f"; check failed: {r['check_error'][:300]}"
            print(f"{name} {key}: {msg}", file=sys.stderr, flush=True)
        report["models"][name] = res
    out = args.json or os.path.join(args.dir, "ortopt.json")
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(f"wrote {out}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("bench", help="time torch eager / torch.compile")
    b.add_argument("--models", nargs="+", default=list(em.MODELS), choices=em.MODELS)
    b.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    b.add_argument("--prefill-seqs", type=int, nargs="+", default=[512, 4096])
    b.add_argument("--decode-batches", type=int, nargs="+", default=[1, 32])
    b.add_argument("--past", type=int, default=512, help="decode past length P")
    b.add_argument("--warmup", type=int, default=10)
    b.add_argument("--iters", type=int, default=50)
    b.add_argument("--layers", type=int, default=4)
    b.add_argument("--dtype", choices=("float16", "float32", "bfloat16"))
    b.add_argument("--device", choices=("cuda", "cpu"))
    b.add_argument("--tiny", action="store_true")
    b.add_argument("--logits", action="store_true")
    b.add_argument("--qwen35-hybrid", action="store_true")
    b.add_argument("--seed", type=int, default=1234, help="must match the export's --seed")
    b.add_argument("--json", help="write the report here (else to stdout); rewritten after every case")
    b.add_argument("--verbose", action="store_true")
    o = sub.add_parser("ortopt", help="onnxscript optimize_for_ort + ORT transformers optimizer")
    o.add_argument("--dir", required=True, help="the --out folder of gpu_e2e_models.py")
    o.add_argument("--models", nargs="+")
    o.add_argument("--json", help="default DIR/ortopt.json")
    o.add_argument("--check", action="store_true",
                   help="run original and optimized files in ORT CPU at the export's check shape and compare")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    bench(args) if args.cmd == "bench" else ortopt(args)


if __name__ == "__main__":
    main()
