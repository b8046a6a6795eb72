#!/usr/bin/env python3
"""Export tiny random-weight decoders of many Hugging Face families (and other dtypes, opsets, exporters),
then run `bin/graphfuse optimize --stats` and `bin/graphfuse verify` on each: which patterns fired, and
whether the optimized model still computes what the export did (ORT CPU, the export's own reference inputs).

These are families with no committed export, to find what an unseen export does before a user does. Python
is only needed here (torch, transformers, onnx, onnxruntime, onnxscript; testdata/models/README.md lists the
versions); nothing in the build runs it. Usage, from the repository root:

    python bin/family_sweep.py [--out DIR] [NAME ...]     # all cases, or the named ones
    python bin/family_sweep.py --list

One JSON line per case on standard output (export error, node counts and patterns fired, verify verdict),
then a table. Exports are kept in DIR (default /tmp/graphfuse-sweep) and reused when present.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "testdata", "models"))
import generate_models as gm  # noqa: E402  (seeding, norm randomisation, export and ORT helpers)

warnings.filterwarnings("ignore")

BASE = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=2, head_dim=32, max_position_embeddings=256, use_cache=False,
            moe_intermediate_size=32, num_experts=4, num_experts_per_tok=2, n_routed_experts=4, num_local_experts=4,
            experts_implementation="batched_mm", pad_token_id=0, bos_token_id=1, eos_token_id=2)
HYBRID = dict(layer_types=["linear_attention", "full_attention"], linear_num_key_heads=2, linear_num_value_heads=4,
              linear_key_head_dim=16, linear_value_head_dim=16)
F16, BF16 = dict(dtype=torch.float16), dict(dtype=torch.bfloat16)

# name: (model_type, config overrides, export options); what each should do is in docs/notes/engineering-log.md
CASES = {
    "qwen3_moe": ("qwen3_moe", {}, {}),
    "qwen3_next": ("qwen3_next", HYBRID, {}),
    "qwen3_next_f16": ("qwen3_next", HYBRID, F16),
    "qwen3_5_moe": ("qwen3_5_moe_text", HYBRID, {}),
    "glm4_moe": ("glm4_moe", dict(use_qk_norm=True, first_k_dense_replace=1, partial_rotary_factor=0.5), {}),
    "glm4_moe_f16": ("glm4_moe", dict(use_qk_norm=True, first_k_dense_replace=1, partial_rotary_factor=0.5), F16),
    "gemma4": ("gemma4_text", dict(vocab_size_per_layer_input=256, hidden_size_per_layer_input=16, global_head_dim=64), {}),
    "gemma4_kv_shared": ("gemma4_text", dict(vocab_size_per_layer_input=256, hidden_size_per_layer_input=16,
                                             global_head_dim=64, num_hidden_layers=3, num_kv_shared_layers=1,
                                             attention_k_eq_v=True,
                                             layer_types=["sliding_attention", "full_attention", "full_attention"]), {}),
    "gemma4_bf16": ("gemma4_text", dict(vocab_size_per_layer_input=256, hidden_size_per_layer_input=16, global_head_dim=64), BF16),
    "exaone4": ("exaone4", dict(sliding_window=8, layer_types=["sliding_attention", "full_attention"]), {}),
    "exaone4_f16": ("exaone4", dict(sliding_window=8, layer_types=["sliding_attention", "full_attention"]), F16),
    "exaone_moe": ("exaone_moe", {}, {}),
    "apertus": ("apertus", {}, {}),
    "dots1": ("dots1", dict(first_k_dense_replace=2), {}),
    "lfm2": ("lfm2", dict(layer_types=["conv", "full_attention"]), {}),
    "lfm2_moe": ("lfm2_moe", dict(layer_types=["conv", "full_attention"]), {}),
    "doge": ("doge", {}, {}),
    "afmoe": ("afmoe", {}, {}),
    "laguna": ("laguna", {}, {}),
    "mellum": ("mellum", {}, {}),
    "hy_v3": ("hy_v3", {}, {}),
    # QK LayerNorm: Persimmon (shared nn.LayerNorm, q / k / v gathered from one view), StableLM (a LayerNorm
    # module per head: not fused); both size heads as hidden / heads
    "persimmon": ("persimmon", dict(head_dim=16, qk_layernorm=True), {}),
    "stablelm_qk_layernorm": ("stablelm", dict(head_dim=16, qk_layernorm=True), {}),
    # look-alikes: norms over the whole projection (OLMo 3, FlexOlmo, MiniMax-M2, OLMoE), or after the RoPE
    # (HunYuan, nanochat's weightless norm): no QK op may fuse
    "olmo3": ("olmo3", dict(sliding_window=8), {}),
    "flex_olmo": ("flex_olmo", {}, {}),
    "minimax_m2": ("minimax_m2", {}, {}),
    "olmoe": ("olmoe", dict(head_dim=16), {}),
    "hunyuan_dense": ("hunyuan_v1_dense", dict(use_qk_norm=True), {}),
    "hunyuan_moe": ("hunyuan_v1_moe", dict(use_qk_norm=True), {}),
    "nanochat": ("nanochat", {}, {}),
    # exporter settings on a committed family
    "qwen3_op20": ("qwen3", {}, dict(opset=20)),
    "qwen3_op21": ("qwen3", {}, dict(opset=21)),
    "qwen3_op22": ("qwen3", {}, dict(opset=22)),
    "qwen3_hd128": ("qwen3", dict(hidden_size=256, head_dim=128, num_attention_heads=8), {}),
    "qwen3_noopt": ("qwen3", {}, dict(optimize=False)),
    "qwen3_bf16": ("qwen3", {}, BF16),
    # after onnxscript's ORT fusions (optimize_for_ort): RMSNorms as SimplifiedLayerNormalization
    "qwen3_moe_ortfused": ("qwen3_moe", {}, dict(ort_fusions=True)),
    "qwen3_next_ortfused": ("qwen3_next", HYBRID, dict(ort_fusions=True)),
    "glm4_moe_ortfused": ("glm4_moe", dict(use_qk_norm=True, first_k_dense_replace=1, partial_rotary_factor=0.5),
                          dict(ort_fusions=True)),
    "gemma4_ortfused": ("gemma4_text", dict(vocab_size_per_layer_input=256, hidden_size_per_layer_input=16,
                                            global_head_dim=64), dict(ort_fusions=True)),
    "exaone4_ortfused": ("exaone4", dict(sliding_window=8, layer_types=["sliding_attention", "full_attention"]),
                         dict(ort_fusions=True)),
    "olmo3_ortfused": ("olmo3", dict(sliding_window=8), dict(ort_fusions=True)),
    "qwen3_f16_ortfused": ("qwen3", {}, dict(F16, ort_fusions=True)),
    # opset 23: the exporter's optimizer writes RMSNorms as ONNX RMSNormalization
    "qwen3_next_op23": ("qwen3_next", HYBRID, dict(opset=23)),
}


def build_spec(name, model_type, overrides, opts, seed=1234):
    from transformers import AutoConfig, AutoModelForCausalLM
    gm.seed_all(seed)
    cfg = AutoConfig.for_model(model_type, **{**BASE, **overrides})
    model = AutoModelForCausalLM.from_config(cfg).eval()
    gm.randomise_norms(model, seed + 1)
    gm.randomise_biases(model, seed + 2)
    model = model.to(opts.get("dtype", torch.float32))
    rng = np.random.default_rng(seed + 100)
    ids = rng.integers(3, 256, size=(2, 1, 16), dtype=np.int64)
    return dict(name=name, exporter="dynamo", opset=opts.get("opset", 18), optimize=opts.get("optimize", True),
                module=gm.CausalLMLogits(model).eval(), export_args=(torch.from_numpy(ids[0]),),
                input_names=["input_ids"], output_names=["logits"], ref_inputs={"input_ids": ids[1]})


def graphfuse(*args):
    p = subprocess.run([os.path.join(ROOT, "bin", "graphfuse"), *args], cwd=ROOT, capture_output=True, text=True)
    return p.returncode, (p.stdout + p.stderr).strip().splitlines()


def run_case(name, out_dir):
    model_type, overrides, opts = CASES[name]
    path = os.path.join(out_dir, name + ".onnx")
    ids = os.path.join(out_dir, name + ".in.input_ids.npy")
    r = dict(name=name, model_type=model_type)
    if not os.path.exists(path):
        try:
            spec = build_spec(name, model_type, overrides, opts)
            gm.export(spec, path)
            if opts.get("ort_fusions"):  # what a user who ran ONNX Runtime's own fusions first hands on
                gm.ort_fusions(path)
            np.save(ids, spec["ref_inputs"]["input_ids"])
        except Exception as e:  # an exporter or transformers limit: reported, the sweep goes on
            r["export_error"] = f"{type(e).__name__}: {e}".splitlines()[0][:300]
            return r
    rc, lines = graphfuse("optimize", path, "-o", os.path.join(out_dir, name + ".opt.onnx"), "--stats")
    r["optimize"] = next((l.split(": ", 1)[1] for l in lines if "→" in l), lines[-1] if lines else f"exit {rc}")
    if rc == 0:
        rc, lines = graphfuse("verify", path, os.path.join(out_dir, name + ".opt.onnx"), "-i", f"input_ids={ids}")
        verdict = [l for l in lines if l in ("PASS", "FAIL")]
        r["verify"] = verdict[0] if verdict else next((l for l in lines if "error" in l), f"exit {rc}")[:200]
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--out", default="/tmp/graphfuse-sweep")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join(CASES))
        return 0
    unknown = [n for n in a.names if n not in CASES]
    if unknown:
        print(f"family_sweep.py: unknown case(s) {', '.join(unknown)}; --list names them", file=sys.stderr)
        return 2
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(1)
    results = []
    for n in a.names or list(CASES):
        t0 = time.time()
        r = run_case(n, a.out)
        r["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(r, ensure_ascii=False), flush=True)
        results.append(r)
    print("\n| case | model_type | optimize | verify |\n|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['model_type']} | {r.get('export_error') or r.get('optimize', '')} | {r.get('verify', '')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
