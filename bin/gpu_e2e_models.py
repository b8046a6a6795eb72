#!/usr/bin/env python3
"""Export the end-to-end benchmark models (random weights, real Qwen dimensions) to ONNX.

Meant to run on the GPU machine (no internet: nothing is downloaded, every weight is seeded random):

    python bin/gpu_e2e_models.py --out e2e_models                # fp16 on CUDA, 4 layers
    python bin/gpu_e2e_models.py --tiny --out /tmp/e2e_tiny      # CPU smoke test, seconds

Writes NAME.onnx + NAME.onnx.data per model and manifest.json. Each export is checked: ONNX Runtime
(CPU EP) runs it at shapes other than the traced ones (so the dynamic dims are exercised) and its outputs
are compared with the same torch module. ``build_model`` / ``make_inputs`` are imported by
gpu_e2e_torch.py so both sides time and export exactly the same modules.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import sys
import time
import traceback
import warnings

import numpy as np
import torch

MODELS = ("qwen3_prefill", "qwen3_decode", "qwen3vl_text", "qwen35_text")
OPSET = 18
# Reduced from 151936 (Qwen3) / 248320 (Qwen3.5): the embedding Gather is unaffected by what is being
# benchmarked, and a full-size table would be a third of the file for nothing.
VOCAB = 32000

# Real dims: Qwen3-8B, Qwen3-VL-8B text tower, Qwen3.5-9B (transformers' Qwen3_5TextConfig defaults are
# the 9B ones). Only the layer count is cut (--layers).
FULL = {
    "qwen3": dict(hidden_size=4096, intermediate_size=12288, num_attention_heads=32, num_key_value_heads=8,
                  head_dim=128, max_position_embeddings=40960,
                  rope_parameters={"rope_type": "default", "rope_theta": 1000000.0}),
    "qwen3vl": dict(hidden_size=4096, intermediate_size=12288, num_attention_heads=32, num_key_value_heads=8,
                    head_dim=128, max_position_embeddings=262144,
                    rope_parameters={"rope_type": "default", "rope_theta": 5000000.0,
                                     "mrope_section": [24, 20, 20], "mrope_interleaved": True}),
    "qwen35": dict(hidden_size=4096, intermediate_size=12288, num_attention_heads=16, num_key_value_heads=4,
                   head_dim=256, max_position_embeddings=262144, linear_conv_kernel_dim=4,
                   linear_key_head_dim=128, linear_value_head_dim=128, linear_num_key_heads=16,
                   linear_num_value_heads=32,
                   rope_parameters={"rope_type": "default", "rope_theta": 10000000.0, "partial_rotary_factor": 0.25,
                                    "mrope_section": [11, 11, 10], "mrope_interleaved": True}),
}
# --tiny keeps head_dim, rotary width and MRoPE sections (what the fusions key on) and shrinks the rest.
TINY = {
    "qwen3": dict(hidden_size=64, intermediate_size=128, num_attention_heads=4, num_key_value_heads=2,
                  head_dim=128, vocab_size=256, max_position_embeddings=4096),
    "qwen3vl": dict(hidden_size=64, intermediate_size=128, num_attention_heads=4, num_key_value_heads=2,
                    head_dim=128, vocab_size=256, max_position_embeddings=4096),
    "qwen35": dict(hidden_size=64, intermediate_size=128, num_attention_heads=2, num_key_value_heads=1,
                   head_dim=256, vocab_size=256, max_position_embeddings=4096, linear_key_head_dim=32,
                   linear_value_head_dim=32, linear_num_key_heads=2, linear_num_value_heads=4),
}
FAMILY = {"qwen3_prefill": "qwen3", "qwen3_decode": "qwen3", "qwen3vl_text": "qwen3vl", "qwen35_text": "qwen35"}


def make_config(name, layers, tiny, qwen35_hybrid=False):
    from transformers import Qwen3_5TextConfig, Qwen3Config, Qwen3VLTextConfig
    fam = FAMILY[name]
    kw = dict(FULL[fam], vocab_size=VOCAB, num_hidden_layers=layers, rms_norm_eps=1e-6, tie_word_embeddings=False)
    if tiny:
        kw.update(TINY[fam])
    if fam == "qwen35" and not qwen35_hybrid:
        # Only the gated full-attention layers: they carry the QK-norm + partial MRoPE prologue. The Gated
        # DeltaNet layers would export as transformers' pure-torch chunked scan, unrolled per chunk, which
        # neither matches what a real runtime does nor exports with a dynamic sequence length.
        kw["layer_types"] = ["full_attention"] * layers
    cls = {"qwen3": Qwen3Config, "qwen3vl": Qwen3VLTextConfig, "qwen35": Qwen3_5TextConfig}[fam]
    cfg = cls(**kw)
    cfg._attn_implementation = "sdpa"
    return cfg


def randomise_norms(model, seed):
    """As testdata/models/generate_models.py: all-ones norm weights would be deduplicated by the exporter
    and would hide the norm structure, so draw N(1, 0.1) (N(0, 0.1) for the zero-centred (1 + w) norms)."""
    gen = torch.Generator().manual_seed(seed)
    for _, mod in model.named_modules():
        cls = type(mod).__name__
        w = getattr(mod, "weight", None)
        if "RMSNorm" not in cls or not isinstance(w, torch.nn.Parameter):
            continue
        mean = 0.0 if cls in ("Qwen3_5RMSNorm", "Qwen3NextRMSNorm") else 1.0
        with torch.no_grad():
            w.copy_(torch.randn(w.shape, generator=gen) * 0.1 + mean)


class Prefill(torch.nn.Module):
    """input_ids [B, S] (+ position_ids [3, B, S] for MRoPE models) -> last_hidden_state or logits."""

    def __init__(self, m, mrope):
        super().__init__()
        self.m, self.mrope = m, mrope

    def forward(self, input_ids, position_ids=None):
        kw = dict(position_ids=position_ids) if self.mrope else {}
        out = self.m(input_ids=input_ids, use_cache=False, **kw)
        return out.logits if hasattr(out, "logits") else out.last_hidden_state


class DecodeStep(torch.nn.Module):
    """One decode step over a flat KV cache: the exporter sees plain tensors in and out, and the
    DynamicCache only exists inside forward (so it needs no pytree registration)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, position_ids, past):
        from transformers import DynamicCache
        cfg = self.m.config
        cache = DynamicCache(ddp_cache_data=[(past[2 * i], past[2 * i + 1]) for i in range(len(past) // 2)],
                             config=cfg)
        out = self.m(input_ids=input_ids, position_ids=position_ids, past_key_values=cache, use_cache=True)
        head = out.logits if hasattr(out, "logits") else out.last_hidden_state
        presents = []
        for layer in out.past_key_values.layers:
            presents += [layer.keys, layer.values]
        return (head, *presents)


def default_device_dtype():
    return ("cuda", torch.float16) if torch.cuda.is_available() else ("cpu", torch.float32)


def build_model(name, layers=4, tiny=False, dtype=None, device=None, seed=1234, logits=False, qwen35_hybrid=False):
    """The module both scripts use. Weights are drawn on the CPU in fp32 (so the same seed gives the same
    weights whatever the device), then moved and cast."""
    from transformers import Qwen3_5TextModel, Qwen3ForCausalLM, Qwen3Model, Qwen3VLTextModel
    d_dev, d_dt = default_device_dtype()
    device, dtype = device or d_dev, dtype or d_dt
    cfg = make_config(name, layers, tiny, qwen35_hybrid)
    torch.manual_seed(seed)
    fam = FAMILY[name]
    if fam == "qwen3":
        model = (Qwen3ForCausalLM if logits else Qwen3Model)(cfg)
    elif fam == "qwen3vl":
        model = Qwen3VLTextModel(cfg)
    else:
        model = Qwen3_5TextModel(cfg)
    randomise_norms(model, seed + 1)
    model = model.to(device=device, dtype=dtype).eval()
    wrapper = DecodeStep(model) if name == "qwen3_decode" else Prefill(model, mrope=fam != "qwen3")
    return wrapper.eval(), cfg


def mrope_positions(batch, seq, grid=(2, 4)):
    """Qwen3-VL-style ids: 2 text tokens, one image block (t fixed, h/w = start + row/col), text again.
    Rows differ, so a wrong MRoPE section split shows up in the comparison."""
    t, h, w = [], [], []
    for i in range(min(2, seq)):
        t.append(i); h.append(i); w.append(i)
    start = len(t)
    for r in range(grid[0]):
        for c in range(grid[1]):
            t.append(start); h.append(start + r); w.append(start + c)
    nxt = max(t + h + w) + 1
    while len(t) < seq:
        t.append(nxt); h.append(nxt); w.append(nxt); nxt += 1
    pos = torch.tensor([t[:seq], h[:seq], w[:seq]], dtype=torch.int64)
    return pos[:, None, :].expand(3, batch, seq).contiguous()


def make_inputs(name, cfg, batch, length, device, dtype, seed=0):
    """Prefill models: length = S. Decode: length = past length P (one new token per sequence).
    Returns (positional args for the wrapper, {onnx input name: tensor})."""
    g = torch.Generator().manual_seed(seed)
    if name == "qwen3_decode":
        ids = torch.randint(0, cfg.vocab_size, (batch, 1), generator=g)
        pos = torch.full((batch, 1), length, dtype=torch.int64)
        past = [torch.randn(batch, cfg.num_key_value_heads, length, cfg.head_dim, generator=g).to(dtype)
                for _ in range(2 * cfg.num_hidden_layers)]
        args = (ids.to(device), pos.to(device), [p.to(device) for p in past])
        names = dict(input_ids=ids, position_ids=pos)
        for i in range(cfg.num_hidden_layers):
            names[f"past_key_{i}"], names[f"past_value_{i}"] = past[2 * i], past[2 * i + 1]
        return args, names
    ids = torch.randint(0, cfg.vocab_size, (batch, length), generator=g)
    if name == "qwen3_prefill":
        return (ids.to(device),), dict(input_ids=ids)
    pos = mrope_positions(batch, length)
    return (ids.to(device), pos.to(device)), dict(input_ids=ids, position_ids=pos)


def io_names(name, cfg, logits):
    head = "logits" if logits else "last_hidden_state"
    if name == "qwen3_decode":
        kv = [f"{k}_{i}" for i in range(cfg.num_hidden_layers) for k in ("key", "value")]
        return ["input_ids", "position_ids"] + [f"past_{n}" for n in kv], [head] + [f"present_{n}" for n in kv]
    if name == "qwen3_prefill":
        return ["input_ids"], [head]
    return ["input_ids", "position_ids"], [head]


def dynamic_shapes(name, cfg):
    Dim = torch.export.Dim
    seq = Dim("seq", min=2, max=cfg.max_position_embeddings)
    if name == "qwen3_decode":
        batch, past = Dim("batch", min=1, max=1024), Dim("past", min=1, max=cfg.max_position_embeddings - 1)
        return {"input_ids": {0: batch}, "position_ids": {0: batch},
                "past": [{0: batch, 2: past} for _ in range(2 * cfg.num_hidden_layers)]}
    if name == "qwen3_prefill":
        return {"input_ids": {1: seq}}  # batch stays 1: the prefill benchmark is single-sequence
    batch = Dim("batch", min=1, max=1024)
    return {"input_ids": {0: batch, 1: seq}, "position_ids": {1: batch, 2: seq}}


# Traced shapes (batch, length) avoid 0/1 so the exporter keeps them symbolic; check shapes differ from
# them so ORT really runs the dynamic dims.
TRACE_SHAPE = {"qwen3_prefill": (1, 16), "qwen3_decode": (2, 8), "qwen3vl_text": (2, 16), "qwen35_text": (2, 16)}
CHECK_SHAPE = {"qwen3_prefill": (1, 11), "qwen3_decode": (3, 13), "qwen3vl_text": (1, 23), "qwen35_text": (1, 23)}


def graph_io(path):
    import onnx
    m = onnx.load(path, load_external_data=False)

    def desc(v):
        tt = v.type.tensor_type
        dims = [d.dim_param if d.HasField("dim_param") else int(d.dim_value) for d in tt.shape.dim]
        return dict(name=v.name, dtype=onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type).name, dims=dims)
    hist = collections.Counter(f"{n.domain}::{n.op_type}" if n.domain else n.op_type for n in m.graph.node)
    return ([desc(i) for i in m.graph.input], [desc(o) for o in m.graph.output],
            dict(sorted(hist.items(), key=lambda kv: -kv[1])))


def verify(path, name, wrapper, cfg, device, dtype):
    """ORT CPU vs torch on the export's own device; error relative to the reference's magnitude, since
    fp16 on two different backends only agrees to a few ulps of the largest value."""
    import onnxruntime as ort
    b, n = CHECK_SHAPE[name]
    args, feeds = make_inputs(name, cfg, b, n, device, dtype, seed=7)
    with torch.no_grad():
        ref = wrapper(*args)
    ref = [ref] if isinstance(ref, torch.Tensor) else list(ref)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = sess.run(None, {k: v.numpy() for k, v in feeds.items()})
    tol = 1e-4 if dtype == torch.float32 else 2e-2
    worst = 0.0
    per_output = {}
    for o, r, gv in zip(sess.get_outputs(), ref, got):
        r = r.float().cpu().numpy()
        if r.shape != gv.shape:
            raise RuntimeError(f"{o.name}: ORT shape {gv.shape} != torch {r.shape}")
        diff = float(np.abs(gv.astype(np.float64) - r).max())
        scale = max(float(np.abs(r).max()), 1e-6)
        per_output[o.name] = dict(max_abs_diff=diff, ref_abs_max=scale, rel=diff / scale)
        worst = max(worst, diff / scale)
    return dict(shape=dict(batch=b, length=n), tolerance_rel=tol, worst_rel=worst, passed=worst <= tol,
                outputs=per_output)


def export_one(name, args):
    device, dtype = args.device, args.torch_dtype
    wrapper, cfg = build_model(name, args.layers, args.tiny, dtype, device, args.seed, args.logits,
                               args.qwen35_hybrid)
    in_names, out_names = io_names(name, cfg, args.logits)
    b, n = TRACE_SHAPE[name]
    ex_args, _ = make_inputs(name, cfg, b, n, device, dtype, seed=1)
    path = os.path.join(args.out, name + ".onnx")
    for p in (path, path + ".data"):
        if os.path.exists(p):
            os.remove(p)
    t0 = time.time()
    with torch.no_grad():
        torch.onnx.export(wrapper, ex_args, path, dynamo=True, opset_version=OPSET, input_names=in_names,
                          output_names=out_names, dynamic_shapes=dynamic_shapes(name, cfg), external_data=True,
                          optimize=True)
    secs = time.time() - t0
    inputs, outputs, hist = graph_io(path)
    entry = dict(name=name, file=name + ".onnx", data_file=name + ".onnx.data",
                 hf_class=type(wrapper.m).__name__, wrapper=type(wrapper).__name__, layers=args.layers,
                 tiny=args.tiny, dtype=str(dtype).replace("torch.", ""), export_device=device,
                 seed=args.seed, opset=OPSET, export_seconds=round(secs, 2), trace_shape=dict(batch=b, length=n),
                 inputs=inputs, outputs=outputs, config=config_summary(cfg), node_count=sum(hist.values()),
                 op_histogram=hist,
                 bytes=sum(os.path.getsize(p) for p in (path, path + ".data") if os.path.exists(p)))
    if not args.no_verify:
        entry["verify"] = verify(path, name, wrapper, cfg, device, dtype)
    return entry


def config_summary(cfg):
    keep = ("model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
            "num_attention_heads", "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps",
            "rope_parameters", "layer_types", "linear_num_key_heads", "linear_num_value_heads",
            "linear_key_head_dim", "linear_value_head_dim", "attn_output_gate")
    d = cfg.to_dict()
    return {k: d[k] for k in keep if k in d}


def versions():
    import onnx
    import onnxruntime
    import onnxscript
    import transformers
    v = dict(python=platform.python_version(), torch=torch.__version__, transformers=transformers.__version__,
             onnx=onnx.__version__, onnxruntime=onnxruntime.__version__, onnxscript=onnxscript.__version__,
             numpy=np.__version__, cuda=torch.version.cuda)
    if torch.cuda.is_available():
        v["gpu"] = torch.cuda.get_device_name(0)
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs="*", default=list(MODELS), help=f"subset of {', '.join(MODELS)}")
    ap.add_argument("--out", default="e2e_models")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--dtype", choices=("float16", "float32", "bfloat16"),
                    help="default float16 on CUDA, float32 on CPU")
    ap.add_argument("--device", choices=("cuda", "cpu"), help="default cuda when available")
    ap.add_argument("--tiny", action="store_true", help="small hidden sizes (head_dim/rotary kept): CPU smoke test")
    ap.add_argument("--logits", action="store_true",
                    help="Qwen3ForCausalLM with an lm_head (vocab %d) instead of Qwen3Model's hidden state" % VOCAB)
    ap.add_argument("--qwen35-hybrid", action="store_true",
                    help="keep Qwen3.5's 3:1 linear/full attention layer pattern (default: full attention only). "
                         "Seen with torch 2.13: the chunked delta-rule loop pins the sequence length to the traced "
                         "one, so the export is not dynamic in seq and its check fails; and it is slow to export")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--no-verify", action="store_true")
    args = ap.parse_args()
    bad = [m for m in args.models if m not in MODELS]
    if bad:
        ap.error(f"unknown model(s) {bad}")
    d_dev, d_dt = default_device_dtype()
    args.device = args.device or d_dev
    args.torch_dtype = getattr(torch, args.dtype) if args.dtype else (d_dt if args.device == d_dev else torch.float32)
    os.makedirs(args.out, exist_ok=True)
    warnings.filterwarnings("ignore")
    manifest_path = os.path.join(args.out, "manifest.json")
    manifest = dict(generator="bin/gpu_e2e_models.py", argv=sys.argv[1:], versions=versions(), models={},
                    failures={})
    if os.path.exists(manifest_path):  # exporting a subset keeps the other models' entries
        with open(manifest_path) as f:
            old = json.load(f)
        manifest["models"].update(old.get("models", {}))
        manifest["failures"].update(old.get("failures", {}))
    failed = 0
    for name in args.models:
        print(f"=== {name}", flush=True)
        manifest["models"].pop(name, None)
        manifest["failures"].pop(name, None)
        try:
            e = export_one(name, args)
            manifest["models"][name] = e
            io = "; ".join(f"{i['name']} {i['dtype']}{i['dims']}" for i in e["inputs"][:3])
            more = f" (+{len(e['inputs']) - 3} more)" if len(e["inputs"]) > 3 else ""
            print(f"    exported in {e['export_seconds']} s, {e['node_count']} nodes, {e['bytes']:,} B; "
                  f"inputs {io}{more}; outputs {e['outputs'][0]['name']}{e['outputs'][0]['dims']}"
                  + (f" (+{len(e['outputs']) - 1})" if len(e["outputs"]) > 1 else ""), flush=True)
            v = e.get("verify")
            if v:
                print(f"    verify at {v['shape']}: ORT CPU vs torch worst rel err {v['worst_rel']:.3g} "
                      f"(tol {v['tolerance_rel']:g}) {'PASS' if v['passed'] else 'FAIL'}", flush=True)
                failed += not v["passed"]
        except Exception as ex:  # noqa: BLE001 -- one model failing must not lose the others
            traceback.print_exc()
            manifest["failures"][name] = f"{type(ex).__name__}: {str(ex).strip()[:2000]}"
            failed += 1
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=1)
    print(f"wrote {manifest_path}; {len(args.models) - failed}/{len(args.models)} ok")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
