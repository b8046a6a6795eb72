#!/usr/bin/env python3
"""Regenerate graphfuse's committed ONNX test models, reference tensors, manifest and README.

Everything is written next to this script.  Usage (from the repository root)::

    python testdata/models/generate_models.py            # all models
    python testdata/models/generate_models.py NAME ...   # only the named models (manifest entries merged)

Python is only used to produce these files; the Java build never runs it.  Weights are random (small
configs, nothing downloaded), every RNG is seeded, and every number written to manifest.json / README.md
is measured here.  Reference outputs are computed by onnxruntime (CPU EP, one thread) on the exported
file and compared against torch eager on the same inputs.
"""

from __future__ import annotations

import collections
import datetime
import glob
import hashlib
import json
import os
import platform
import re
import sys
import tempfile
import time
import traceback
import warnings

import numpy as np
import torch
import torch.nn.functional as F

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(OUT_DIR, "manifest.json")
README = os.path.join(OUT_DIR, "README.md")
MAX_MODEL_BYTES = 5 * 1024 * 1024
GENERATE_CMD = "/tmp/gfvenv/bin/python testdata/models/generate_models.py"

warnings.filterwarnings("ignore")
torch.set_num_threads(1)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------

def seed_all(seed: int) -> None:
    torch.manual_seed(seed)
    np.random.seed(seed)


def sanitize(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def randomise_norms(model: torch.nn.Module, seed: int) -> list[str]:
    """Give every RMSNorm-like weight distinct random values (all-ones/zeros weights get deduplicated).

    Norms whose forward uses ``w`` directly get N(1, 0.1); zero-centred (Gemma-style, ``1 + w``) norms
    get N(0, 0.1), so that the effective scale is ~1 in both cases.
    """
    gen = torch.Generator().manual_seed(seed)
    touched = []
    for mod_name, mod in model.named_modules():
        cls = type(mod).__name__
        if "RMSNorm" not in cls and "LayerNorm" not in cls:
            continue
        w = getattr(mod, "weight", None)
        if not isinstance(w, torch.nn.Parameter):
            continue
        zero_centred = cls in ("Qwen3_5RMSNorm", "Qwen3NextRMSNorm") or "Gemma" in cls
        mean = 0.0 if zero_centred else 1.0
        with torch.no_grad():
            w.copy_((torch.randn(w.shape, generator=gen) * 0.1 + mean).to(w.dtype))
        touched.append(f"{mod_name} ({cls}, mean {mean})")
    return touched


def count_params(model: torch.nn.Module) -> int:
    return int(sum(p.numel() for p in model.parameters()))


def file_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def remove_outputs(name: str) -> None:
    for p in glob.glob(os.path.join(OUT_DIR, name + ".onnx*")) + glob.glob(os.path.join(OUT_DIR, name + ".in.*.npy")) \
            + glob.glob(os.path.join(OUT_DIR, name + ".out.*.npy")):
        os.remove(p)


def qwen_text_positions(seq: int, grid_h: int, grid_w: int, n_text_before: int) -> np.ndarray:
    """Qwen3-VL style (get_rope_index) 3-row positions: text, one image block (t fixed), text again.

    Text tokens: all three rows equal the running index.  Vision block (one frame, merged grid
    grid_h x grid_w): t = start, h = start + row, w = start + col.  Text resumes at max + 1.
    """
    t_row, h_row, w_row = [], [], []
    for i in range(n_text_before):
        t_row.append(i); h_row.append(i); w_row.append(i)
    start = n_text_before
    for r in range(grid_h):
        for c in range(grid_w):
            t_row.append(start); h_row.append(start + r); w_row.append(start + c)
    nxt = max(t_row + h_row + w_row) + 1
    while len(t_row) < seq:
        t_row.append(nxt); h_row.append(nxt); w_row.append(nxt)
        nxt += 1
    pos = np.array([t_row, h_row, w_row], dtype=np.int64)[:, None, :seq]
    assert pos.shape == (3, 1, seq)
    return pos


# --------------------------------------------------------------------------------------------------
# model wrappers
# --------------------------------------------------------------------------------------------------

class CausalLMLogits(torch.nn.Module):
    """input_ids -> logits, no KV cache."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        return self.m(input_ids=input_ids, use_cache=False).logits


class CausalLMLogitsMasked(torch.nn.Module):
    """(input_ids, attention_mask) -> logits, no KV cache (TorchScript needs the mask)."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask):
        return self.m(input_ids=input_ids, attention_mask=attention_mask, use_cache=False).logits


class TextModelMRope(torch.nn.Module):
    """(input_ids, position_ids[3, B, S]) -> last_hidden_state, no KV cache."""

    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, position_ids):
        return self.m(input_ids=input_ids, position_ids=position_ids, use_cache=False).last_hidden_state


class VllmStyleAttention(torch.nn.Module):
    """Hand-written vLLM-style attention: packed qkv Linear, split, per-head RMSNorm (fp32 math),
    neox RoPE from a [max_pos, rot] (cos | sin) cache gathered by positions, SDPA, o_proj.

    hidden_states [T, hidden], positions int64 [T] -> [T, hidden]. With mrope_section, vLLM's MRotaryEmbedding:
    positions [3, T] (rows T, H, W) gather three cache rows per token, and each frequency takes its row's
    entry, "interleaved" (apply_interleaved_rope) or "chunked" (cat of the sections' splits).
    """

    def __init__(self, hidden, num_heads, num_kv_heads, head_dim, rot, max_pos, base, eps, style="neox",
                 mrope_section=None, mrope_layout="interleaved"):
        super().__init__()
        self.mrope_section, self.mrope_layout = mrope_section, mrope_layout
        self.num_heads, self.num_kv_heads, self.head_dim, self.rot, self.eps = num_heads, num_kv_heads, head_dim, rot, eps
        self.style = style
        self.q_size = num_heads * head_dim
        self.kv_size = num_kv_heads * head_dim
        self.qkv_proj = torch.nn.Linear(hidden, self.q_size + 2 * self.kv_size, bias=False)
        self.o_proj = torch.nn.Linear(self.q_size, hidden, bias=False)
        self.q_norm_weight = torch.nn.Parameter(torch.ones(head_dim))
        self.k_norm_weight = torch.nn.Parameter(torch.ones(head_dim))
        inv_freq = 1.0 / (base ** (torch.arange(0, rot, 2, dtype=torch.float64) / rot))
        freqs = torch.outer(torch.arange(max_pos, dtype=torch.float64), inv_freq)
        cache = torch.cat([freqs.cos(), freqs.sin()], dim=-1).to(torch.float32)
        self.register_buffer("cos_sin_cache", cache, persistent=False)

    def rms_norm(self, x, w):
        orig = x.dtype
        x = x.to(torch.float32)
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * w.to(torch.float32)
        return x.to(orig)

    def rope_neox(self, x, cos, sin):
        half = self.rot // 2
        x_rot, x_pass = x[..., : self.rot], x[..., self.rot:]
        x1, x2 = x_rot[..., :half], x_rot[..., half:]
        out = torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)
        if self.rot < self.head_dim:
            out = torch.cat([out, x_pass], dim=-1)
        return out

    def rope_gptj(self, x, cos, sin):
        # vLLM's is_neox=False path: pairs (2j, 2j+1) rotate together, written with stride-2 slices.
        x_rot, x_pass = x[..., : self.rot], x[..., self.rot:]
        x1, x2 = x_rot[..., ::2], x_rot[..., 1::2]
        out = torch.stack((x1 * cos - x2 * sin, x2 * cos + x1 * sin), dim=-1).flatten(-2)
        if self.rot < self.head_dim:
            out = torch.cat([out, x_pass], dim=-1)
        return out

    def mrope_rows(self, x):
        """[3, T, rot/2] -> [T, rot/2]: frequency j from the row of its axis."""
        s = self.mrope_section
        if self.mrope_layout == "chunked":
            return torch.cat([m[i] for i, m in enumerate(x.split(s, dim=-1))], dim=-1)
        x_t = x[0].clone()
        x_t[..., 1: s[1] * 3: 3] = x[1, ..., 1: s[1] * 3: 3]
        x_t[..., 2: s[2] * 3: 3] = x[2, ..., 2: s[2] * 3: 3]
        return x_t

    def forward(self, hidden_states, positions):
        t = hidden_states.shape[0]
        qkv = self.qkv_proj(hidden_states)
        q, k, v = qkv.split([self.q_size, self.kv_size, self.kv_size], dim=-1)
        q = self.rms_norm(q.view(t, self.num_heads, self.head_dim), self.q_norm_weight)
        k = self.rms_norm(k.view(t, self.num_kv_heads, self.head_dim), self.k_norm_weight)
        cos, sin = self.cos_sin_cache[positions].chunk(2, dim=-1)
        if self.mrope_section is not None:
            cos, sin = self.mrope_rows(cos), self.mrope_rows(sin)
        cos = cos.unsqueeze(-2).to(q.dtype)
        sin = sin.unsqueeze(-2).to(q.dtype)
        rope = self.rope_neox if self.style == "neox" else self.rope_gptj
        q = rope(q, cos, sin)
        k = rope(k, cos, sin)
        q = q.transpose(0, 1)
        k = k.transpose(0, 1)
        v = v.view(t, self.num_kv_heads, self.head_dim).transpose(0, 1)
        rep = self.num_heads // self.num_kv_heads
        if rep > 1:
            k = k.repeat_interleave(rep, dim=0)
            v = v.repeat_interleave(rep, dim=0)
        o = F.scaled_dot_product_attention(q.unsqueeze(0), k.unsqueeze(0), v.unsqueeze(0), is_causal=True)
        o = o[0].transpose(0, 1).reshape(t, self.q_size)
        return self.o_proj(o)


# --------------------------------------------------------------------------------------------------
# model builders: each returns a dict describing module, inputs and export options
# --------------------------------------------------------------------------------------------------

QWEN3_SMALL = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                   num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=512,
                   rms_norm_eps=1e-6, tie_word_embeddings=False, use_cache=False,
                   rope_parameters={"rope_type": "default", "rope_theta": 1000000.0})

# YaRN context extension: the tables carry attention_scaling = 0.1·ln(4) + 1 ≈ 1.139, and a dynamic sequence
# axis keeps them computed in the graph (a static export folds them to constants).
QWEN3_YARN = dict(QWEN3_SMALL, max_position_embeddings=1024,
                  rope_parameters={"rope_type": "yarn", "rope_theta": 1000000.0, "factor": 4.0,
                                   "original_max_position_embeddings": 256})

QWEN3_36L = dict(vocab_size=64, hidden_size=32, intermediate_size=32, num_hidden_layers=36,
                 num_attention_heads=2, num_key_value_heads=1, head_dim=64, max_position_embeddings=512,
                 rms_norm_eps=1e-6, tie_word_embeddings=False, use_cache=False,
                 rope_parameters={"rope_type": "default", "rope_theta": 1000000.0})


def build_qwen3(cfg_kwargs, seed, dtype=torch.float32):
    from transformers import Qwen3Config, Qwen3ForCausalLM
    seed_all(seed)
    cfg = Qwen3Config(**cfg_kwargs)
    model = Qwen3ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    model = model.to(dtype)
    return model, cfg, norms


def qwen3_spec(name, seed, opset, dtype=torch.float32, dynamo=True, dyn_seq=False, cfg_kwargs=QWEN3_SMALL,
               ref_seq=16):
    model, cfg, norms = build_qwen3(cfg_kwargs, seed, dtype)
    rng = np.random.default_rng(seed + 100)
    export_seq = 16
    ex_ids = torch.from_numpy(rng.integers(0, cfg.vocab_size, size=(1, export_seq), dtype=np.int64))
    ref_ids = rng.integers(0, cfg.vocab_size, size=(1, ref_seq), dtype=np.int64)
    spec = dict(name=name, family="hf_qwen3", hf_class="Qwen3ForCausalLM", config=cfg, norms=norms,
                layers=cfg.num_hidden_layers, dtype=str(dtype).replace("torch.", ""), opset=opset,
                exporter="dynamo" if dynamo else "torchscript", params=count_params(model),
                attn_implementation=cfg._attn_implementation)
    if dynamo:
        spec["module"] = CausalLMLogits(model).eval()
        spec["export_args"] = (ex_ids,)
        spec["input_names"] = ["input_ids"]
        spec["ref_inputs"] = {"input_ids": ref_ids}
        if dyn_seq:
            seq = torch.export.Dim("seq", min=2, max=cfg.max_position_embeddings)
            spec["dynamic_shapes"] = {"input_ids": {1: seq}}
    else:
        mask_ex = torch.ones((1, export_seq), dtype=torch.int64)
        mask_ref = np.ones((1, ref_seq), dtype=np.int64)
        mask_ref[:, -3:] = 0  # right padding: last 3 tokens masked
        spec["module"] = CausalLMLogitsMasked(model).eval()
        spec["export_args"] = (ex_ids, mask_ex)
        spec["input_names"] = ["input_ids", "attention_mask"]
        spec["ref_inputs"] = {"input_ids": ref_ids, "attention_mask": mask_ref}
        if dyn_seq:  # TorchScript's dynamic axes: only graph inputs and outputs get types
            spec["dynamic_axes"] = {"input_ids": {1: "seq"}, "attention_mask": {1: "seq"}, "logits": {1: "seq"}}
    spec["output_names"] = ["logits"]
    return spec


def vllm_spec(name, seed, opset, dynamo, style="neox", rot=64, mrope_section=None, mrope_layout="interleaved"):
    hidden, nh, nkv, hd, max_pos, T = 128, 4, 2, 64, 1024, 16
    seed_all(seed)
    mod = VllmStyleAttention(hidden, nh, nkv, hd, rot=rot, max_pos=max_pos, base=1000000.0, eps=1e-6, style=style,
                             mrope_section=mrope_section, mrope_layout=mrope_layout)
    torch.nn.init.normal_(mod.qkv_proj.weight, 0.0, 0.05)
    torch.nn.init.normal_(mod.o_proj.weight, 0.0, 0.05)
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        mod.q_norm_weight.copy_(torch.randn(hd, generator=gen) * 0.1 + 1.0)
        mod.k_norm_weight.copy_(torch.randn(hd, generator=gen) * 0.1 + 1.0)
    mod.eval()
    rng = np.random.default_rng(seed + 100)
    ex_h = torch.from_numpy(rng.standard_normal((T, hidden)).astype(np.float32))
    pos_shape = (T,) if mrope_section is None else (3, T)
    ex_p = torch.from_numpy(rng.integers(0, max_pos, size=pos_shape, dtype=np.int64))
    ref_h = rng.standard_normal((T, hidden)).astype(np.float32)
    ref_p = rng.integers(0, max_pos, size=pos_shape, dtype=np.int64)
    return dict(name=name, family="vllm_style_attention", hf_class=None,
                config=dict(hidden=hidden, num_heads=nh, num_kv_heads=nkv, head_dim=hd, rot=rot, max_pos=max_pos,
                            rope_theta=1000000.0, eps=1e-6, tokens=T, rope_style=style, causal=True,
                            mrope_section=mrope_section, mrope_layout=mrope_layout if mrope_section else None),
                norms=["q_norm_weight", "k_norm_weight"], layers=1, dtype="float32", opset=opset,
                exporter="dynamo" if dynamo else "torchscript", params=count_params(mod), attn_implementation="sdpa",
                module=mod, export_args=(ex_h, ex_p), input_names=["hidden_states", "positions"],
                output_names=["output"], ref_inputs={"hidden_states": ref_h, "positions": ref_p})


LLAMA_SMALL = dict(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                   num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=512,
                   rms_norm_eps=1e-5, tie_word_embeddings=False, use_cache=False,
                   rope_parameters={"rope_type": "default", "rope_theta": 500000.0})


def llama_spec(name, seed, opset):
    """Control model: RMSNorm and RoPE but no QK norm, so no QK fusion may fire on it."""
    from transformers import LlamaConfig, LlamaForCausalLM
    seed_all(seed)
    cfg = LlamaConfig(**LLAMA_SMALL)
    model = LlamaForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    rng = np.random.default_rng(seed + 100)
    ex_ids = torch.from_numpy(rng.integers(0, cfg.vocab_size, size=(1, 16), dtype=np.int64))
    ref_ids = rng.integers(0, cfg.vocab_size, size=(1, 16), dtype=np.int64)
    return dict(name=name, family="hf_llama", hf_class="LlamaForCausalLM", config=cfg, norms=norms,
                layers=cfg.num_hidden_layers, dtype="float32", opset=opset, exporter="dynamo",
                params=count_params(model), attn_implementation=cfg._attn_implementation,
                module=CausalLMLogits(model).eval(), export_args=(ex_ids,), input_names=["input_ids"],
                output_names=["logits"], ref_inputs={"input_ids": ref_ids})


def mrope_text_spec(name, family, hf_class, model, cfg, norms, seed, opset, **extra):
    """A text model fed input_ids and 3-row position ids (one image block), exported through TextModelMRope."""
    rng = np.random.default_rng(seed + 100)
    S = 16
    ex_ids = torch.from_numpy(rng.integers(0, cfg.vocab_size, size=(1, S), dtype=np.int64))
    ex_pos = torch.from_numpy(qwen_text_positions(S, 2, 4, 2))
    ref_ids = rng.integers(0, cfg.vocab_size, size=(1, S), dtype=np.int64)
    ref_pos = qwen_text_positions(S, 3, 3, 3)
    assert not np.array_equal(ref_pos[0], ref_pos[1]) and not np.array_equal(ref_pos[1], ref_pos[2])
    return dict(name=name, family=family, hf_class=hf_class, config=cfg, norms=norms,
                layers=cfg.num_hidden_layers, dtype="float32", opset=opset, exporter="dynamo",
                params=count_params(model), attn_implementation=cfg._attn_implementation,
                module=TextModelMRope(model).eval(), export_args=(ex_ids, ex_pos),
                input_names=["input_ids", "position_ids"], output_names=["last_hidden_state"],
                ref_inputs={"input_ids": ref_ids, "position_ids": ref_pos},
                positions_layout="3 text tokens, one 3x3 image block (t fixed, h/w = start + row/col), text resumes at max+1",
                **extra)


def qwen3vl_spec(name, seed, opset, rope_type="default"):
    from transformers import Qwen3VLTextConfig, Qwen3VLTextModel
    seed_all(seed)
    rope = {"rope_type": "default", "rope_theta": 5000000.0, "mrope_section": [12, 10, 10], "mrope_interleaved": True}
    if rope_type == "yarn":  # YaRN: cos and sin scaled by attention_factor = 0.1·ln(4) + 1
        rope.update(rope_type="yarn", factor=4.0, original_max_position_embeddings=128)
    cfg = Qwen3VLTextConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                            num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=512,
                            rms_norm_eps=1e-6, use_cache=False, rope_parameters=rope)
    model = Qwen3VLTextModel(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return mrope_text_spec(name, "hf_qwen3_vl_text", "Qwen3VLTextModel", model, cfg, norms, seed, opset)


def qwen25vl_spec(name, seed, opset, rope_type="default"):
    """Qwen2.5-VL text: chunked MRoPE (mrope_section [4, 2, 2] of the 8 frequencies), no QK norm, biased
    q / k / v projections."""
    from transformers import Qwen2_5_VLTextConfig, Qwen2_5_VLTextModel
    seed_all(seed)
    cfg = Qwen2_5_VLTextConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                               num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                               rms_norm_eps=1e-6, use_cache=False,
                               rope_parameters=dict({"rope_type": "default", "rope_theta": 1000000.0,
                                                     "mrope_section": [4, 2, 2]},
                                                    **({"rope_type": "yarn", "factor": 4.0,
                                                        "original_max_position_embeddings": 128}
                                                       if rope_type == "yarn" else {})))
    model = Qwen2_5_VLTextModel(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    biases = randomise_biases(model, seed + 2)
    return mrope_text_spec(name, "hf_qwen2_5_vl_text", "Qwen2_5_VLTextModel", model, cfg, norms, seed, opset,
                           randomised_biases=biases)


def qwen35_spec(name, seed, opset, optimize=True):
    from transformers import Qwen3_5TextConfig, Qwen3_5TextModel
    seed_all(seed)
    cfg = Qwen3_5TextConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                            num_attention_heads=2, num_key_value_heads=1, head_dim=256,
                            linear_conv_kernel_dim=4, linear_key_head_dim=64, linear_value_head_dim=64,
                            linear_num_key_heads=2, linear_num_value_heads=4,
                            layer_types=["linear_attention", "full_attention"], max_position_embeddings=512,
                            rms_norm_eps=1e-6, use_cache=False,
                            rope_parameters={"rope_type": "default", "rope_theta": 10000000.0,
                                             "partial_rotary_factor": 0.25, "mrope_section": [11, 11, 10],
                                             "mrope_interleaved": True})
    model = Qwen3_5TextModel(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return mrope_text_spec(name, "hf_qwen3_5_text", "Qwen3_5TextModel", model, cfg, norms, seed, opset,
                           optimize=optimize,
                           linear_attention_path=("torch_chunk_gated_delta_rule (transformers' pure-torch fallback; "
                                                  "no fla / causal_conv1d installed); under export it builds the UT "
                                                  "inverse by forward substitution instead of solve_triangular"))


def randomise_biases(model, seed):
    """Random projection biases: equal (zero) biases would be merged by the exporter and hide the Add."""
    gen = torch.Generator().manual_seed(seed)
    names = []
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith(".bias"):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.1)
                names.append(n)
    return names


def causal_lm_spec(name, family, hf_class, model, cfg, norms, seed, opset, dtype, optimize=True, **extra):
    rng = np.random.default_rng(seed + 100)
    ex_ids = torch.from_numpy(rng.integers(0, cfg.vocab_size, size=(1, 16), dtype=np.int64))
    ref_ids = rng.integers(0, cfg.vocab_size, size=(1, 16), dtype=np.int64)
    model = model.to(dtype)
    return dict(name=name, family=family, hf_class=hf_class, config=cfg, norms=norms, layers=cfg.num_hidden_layers,
                dtype=str(dtype).replace("torch.", ""), opset=opset, exporter="dynamo", params=count_params(model),
                attn_implementation=cfg._attn_implementation, module=CausalLMLogits(model).eval(),
                export_args=(ex_ids,), input_names=["input_ids"], output_names=["logits"],
                ref_inputs={"input_ids": ref_ids}, optimize=optimize, **extra)


def gemma3_spec(name, seed, opset, dtype=torch.float32, optimize=True):
    """Gemma 3 text: q / k norms *after* the head transpose, zero-centred (1 + w) norms, a sliding-window
    layer with the local RoPE base and a full layer with the global one."""
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig
    seed_all(seed)
    cfg = Gemma3TextConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=256,
                           sliding_window=8, layer_types=["sliding_attention", "full_attention"],
                           query_pre_attn_scalar=64, rms_norm_eps=1e-6, use_cache=False)
    model = Gemma3ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return causal_lm_spec(name, "hf_gemma3_text", "Gemma3ForCausalLM", model, cfg, norms, seed, opset, dtype,
                          optimize=optimize)


def gemma4_spec(name, seed, opset, dtype=torch.float32):
    """Gemma 4 text: RMSNorm written as x · torch.pow(mean(x²) + eps, -0.5); q / k norms on the [B, S, H, D] view,
    then the RoPE on that view (cos unsqueezed on axis 2), once per tensor (a static export folds one table per
    call), then the head transpose. A sliding layer (head_dim 32, local base) and two full layers (global head_dim
    64, proportional RoPE of a quarter of the head) with K = V (attention_k_eq_v: V is K's projection normalized
    without a weight, which the exporter merges with K's norm); the last layer reuses the previous one's K and V
    (num_kv_shared_layers), so it normalizes and rotates only Q."""
    from transformers import Gemma4ForCausalLM, Gemma4TextConfig
    seed_all(seed)
    cfg = Gemma4TextConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=3,
                           num_attention_heads=4, num_key_value_heads=2, head_dim=32, global_head_dim=64,
                           max_position_embeddings=256, sliding_window=8, attention_k_eq_v=True,
                           num_kv_shared_layers=1, layer_types=["sliding_attention", "full_attention", "full_attention"],
                           vocab_size_per_layer_input=256,
                           hidden_size_per_layer_input=16, rms_norm_eps=1e-6, use_cache=False)
    model = Gemma4ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return causal_lm_spec(name, "hf_gemma4_text", "Gemma4ForCausalLM", model, cfg, norms, seed, opset, dtype)


def qwen3_moe_spec(name, seed, opset):
    """Qwen3-MoE: Qwen3's attention (per-head q / k norms before the head transpose) with sparse MoE blocks; the
    experts run transformers' batched_mm implementation, which the dynamo exporter translates."""
    from transformers import Qwen3MoeConfig, Qwen3MoeForCausalLM
    seed_all(seed)
    cfg = Qwen3MoeConfig(vocab_size=256, hidden_size=64, intermediate_size=128, moe_intermediate_size=32,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=32,
                         num_experts=4, num_experts_per_tok=2, max_position_embeddings=256, rms_norm_eps=1e-6,
                         experts_implementation="batched_mm", use_cache=False)
    model = Qwen3MoeForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return causal_lm_spec(name, "hf_qwen3_moe", "Qwen3MoeForCausalLM", model, cfg, norms, seed, opset,
                          torch.float32)


def exaone4_spec(name, seed, opset):
    """EXAONE 4 hybrid attention: per-head q / k norms after the head transpose (Gemma 3's order); the sliding
    layer rotates, the global layer has no RoPE (NoPE): its q / k norms feed the attention directly."""
    from transformers import Exaone4Config, Exaone4ForCausalLM
    seed_all(seed)
    cfg = Exaone4Config(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, head_dim=32, max_position_embeddings=256,
                        sliding_window=8, layer_types=["sliding_attention", "full_attention"], rms_norm_eps=1e-5,
                        use_cache=False)
    model = Exaone4ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return causal_lm_spec(name, "hf_exaone4", "Exaone4ForCausalLM", model, cfg, norms, seed, opset, torch.float32)


def persimmon_spec(name, seed, opset):
    """Persimmon (Fuyu's language model): one q / k / v projection viewed [B, S, heads, 3, head_dim], each taken by
    a Gather on the 3; nn.LayerNorm(head_dim) with bias on q and k (ONNX LayerNormalization), the head transpose,
    then neox RoPE on the first half of each head."""
    from transformers import PersimmonConfig, PersimmonForCausalLM
    seed_all(seed)
    cfg = PersimmonConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                          num_attention_heads=4, max_position_embeddings=256, qk_layernorm=True,
                          partial_rotary_factor=0.5, use_cache=False)
    model = PersimmonForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    biases = randomise_biases(model, seed + 2)
    return causal_lm_spec(name, "hf_persimmon", "PersimmonForCausalLM", model, cfg, norms, seed, opset, torch.float32,
                          randomised_biases=biases)


def glm45_spec(name, seed, opset):
    """GLM-4.5 attention: biased q / k / v projections, per-head q / k norms, partial rotary 0.5 (neox
    halves of the first 32 of 64 dims). Every layer dense (first_k_dense_replace = layers): the MoE
    experts' grouped matmul has no ONNX translation in this exporter, and the attention is what fuses."""
    from transformers import Glm4MoeConfig, Glm4MoeForCausalLM
    seed_all(seed)
    cfg = Glm4MoeConfig(vocab_size=256, hidden_size=64, intermediate_size=128, moe_intermediate_size=32,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2, head_dim=64,
                        max_position_embeddings=256, partial_rotary_factor=0.5, attention_bias=True,
                        use_qk_norm=True, n_routed_experts=4, num_experts_per_tok=2, first_k_dense_replace=2,
                        n_shared_experts=1, n_group=1, topk_group=1, rms_norm_eps=1e-5, use_cache=False)
    model = Glm4MoeForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    biases = randomise_biases(model, seed + 2)
    return causal_lm_spec(name, "hf_glm4_moe", "Glm4MoeForCausalLM", model, cfg, norms, seed, opset, torch.float32,
                          randomised_biases=biases)


def glm4_spec(name, seed, opset):
    """GLM-4 (dense): Hugging Face's interleaved RoPE (rotate_every_two over repeat-interleaved tables) on
    the first half of each head, biased projections, no QK norm."""
    from transformers import Glm4Config, Glm4ForCausalLM
    seed_all(seed)
    cfg = Glm4Config(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                     num_attention_heads=4, num_key_value_heads=2, head_dim=64, max_position_embeddings=256,
                     partial_rotary_factor=0.5, attention_bias=True, pad_token_id=0, use_cache=False)
    model = Glm4ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    biases = randomise_biases(model, seed + 2)
    return causal_lm_spec(name, "hf_glm4", "Glm4ForCausalLM", model, cfg, norms, seed, opset, torch.float32,
                          randomised_biases=biases)


def qwen3_decode_spec(name, seed, opset):
    """A decode step with a KV cache (Qwen3 test sizes from bin/gpu_e2e_models.py --tiny, 2 layers): one new
    token per sequence at position `past`, past keys / values in, presents out; batch and past dynamic."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bin"))
    import gpu_e2e_models as e2e
    wrapper, cfg = e2e.build_model("qwen3_decode", layers=2, tiny=True, dtype=torch.float32, device="cpu", seed=seed)
    args, _ = e2e.make_inputs("qwen3_decode", cfg, 2, 8, "cpu", torch.float32, seed=seed + 100)
    _, ref = e2e.make_inputs("qwen3_decode", cfg, 3, 13, "cpu", torch.float32, seed=seed + 200)
    inputs, outputs = e2e.io_names("qwen3_decode", cfg, logits=False)
    model = wrapper.m

    class FlatDecodeStep(torch.nn.Module):  # the cache as separate inputs, in io_names' order
        def __init__(self, step):
            super().__init__()
            self.step = step

        def forward(self, input_ids, position_ids, *past):
            return self.step(input_ids, position_ids, list(past))

    args = (args[0], args[1], *args[2])
    return dict(name=name, family="hf_qwen3_decode", hf_class=type(model).__name__, config=cfg,
                norms="randomised by bin/gpu_e2e_models.py", layers=cfg.num_hidden_layers, dtype="float32",
                opset=opset, exporter="dynamo", params=count_params(model),
                attn_implementation=cfg._attn_implementation, module=FlatDecodeStep(wrapper).eval(),
                export_args=args, input_names=inputs, output_names=outputs,
                ref_inputs={k: v.numpy() for k, v in ref.items()},
                dynamic_shapes={k: tuple(v) if isinstance(v, list) else v
                                for k, v in e2e.dynamic_shapes("qwen3_decode", cfg).items()})


def olmo2_spec(name, seed, opset):
    """Look-alike that must not fuse as a QK op: OLMo 2 normalizes q and k over the whole projection
    (hidden width) before the per-head view, not per head."""
    from transformers import Olmo2Config, Olmo2ForCausalLM
    seed_all(seed)
    cfg = Olmo2Config(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, use_cache=False)
    model = Olmo2ForCausalLM(cfg).eval()
    norms = randomise_norms(model, seed + 1)
    return causal_lm_spec(name, "hf_olmo2", "Olmo2ForCausalLM", model, cfg, norms, seed, opset, torch.float32)


def cohere_spec(name, seed, opset, dtype=torch.float32):
    """Look-alike that must not fuse as a QK op: Cohere's QK norm is a LayerNorm (mean removed) with a
    weight per head ([heads, head_dim]), and its RoPE is interleaved."""
    from transformers import CohereConfig, CohereForCausalLM
    seed_all(seed)
    cfg = CohereConfig(vocab_size=256, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                       num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, use_qk_norm=True,
                       use_cache=False)
    model = CohereForCausalLM(cfg).eval()
    gen = torch.Generator().manual_seed(seed + 1)
    norms = []
    with torch.no_grad():  # LayerNorm weights: randomised like the RMSNorms, so equal ones are not merged
        for n, p in model.named_parameters():
            if "norm" in n:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
                norms.append(n)
    return causal_lm_spec(name, "hf_cohere", "CohereForCausalLM", model, cfg, norms, seed, opset, dtype)


def llama_qk_layernorm_spec(name, seed, opset):
    """Chameleon's QK LayerNorm (HF ChameleonLayerNorm: F.layer_norm over head_dim, then its own weight and
    bias [heads, head_dim] per head) and a plain per-head nn.LayerNorm(head_dim), on a small HF Llama whose
    attention is subclassed here: view to heads -> norm -> transpose -> RoPE, as ChameleonAttention minus
    its flatten to (-1, heads, head_dim) and back around the norm. Layer 0 has Chameleon's norm, layer 1
    nn.LayerNorm(head_dim); at opset 18 the dynamo exporter writes both as ONNX LayerNormalization (the
    first over an all-ones scale, then Mul and Add). Not a ChameleonModel: its text path needs the VQ-VAE
    image tokenizer's config and flattens the tokens around the norm. Norm weights and biases randomised."""
    from transformers import LlamaConfig, LlamaForCausalLM
    from transformers.models.llama import modeling_llama as ml

    class ChameleonStyleLayerNorm(torch.nn.LayerNorm):  # transformers' ChameleonLayerNorm, written out
        def __init__(self, shape):
            super().__init__(shape)
            self.normalized_shape = (shape[-1],)

        def forward(self, x):
            return torch.nn.functional.layer_norm(x, self.normalized_shape, None, None, eps=1e-5) * self.weight + self.bias

    class QkLayerNormLlamaAttention(ml.LlamaAttention):
        def __init__(self, config, layer_idx):
            super().__init__(config, layer_idx)
            nq, nk, hd = config.num_attention_heads, config.num_key_value_heads, self.head_dim
            if layer_idx == 0:
                self.q_norm, self.k_norm = ChameleonStyleLayerNorm((nq, hd)), ChameleonStyleLayerNorm((nk, hd))
            else:
                self.q_norm, self.k_norm = torch.nn.LayerNorm(hd), torch.nn.LayerNorm(hd)

        def forward(self, hidden_states, position_embeddings=None, attention_mask=None, past_key_values=None,
                    **kwargs):
            input_shape = hidden_states.shape[:-1]
            hidden_shape = (*input_shape, -1, self.head_dim)
            q = self.q_norm(self.q_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
            k = self.k_norm(self.k_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
            v = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
            cos, sin = position_embeddings
            q, k = ml.apply_rotary_pos_emb(q, k, cos, sin)
            out, weights = ml.eager_attention_forward(self, q, k, v, attention_mask, dropout=0.0,
                                                      scaling=self.scaling, **kwargs)
            return self.o_proj(out.reshape(*input_shape, -1).contiguous()), weights

    seed_all(seed)
    cfg = LlamaConfig(**dict(LLAMA_SMALL, attn_implementation="eager"))
    model = LlamaForCausalLM(cfg)
    for i, layer in enumerate(model.model.layers):
        layer.self_attn = QkLayerNormLlamaAttention(cfg, i)
    model = model.eval()
    gen = torch.Generator().manual_seed(seed + 1)
    norms = []
    with torch.no_grad():  # weights N(1, 0.1), biases N(0, 0.1): equal ones would be merged by the exporter
        for n, p in model.named_parameters():
            if "norm" in n:
                p.copy_((1.0 if n.endswith("weight") else 0.0) + 0.1 * torch.randn(p.shape, generator=gen))
                norms.append(n)
    return causal_lm_spec(name, "hf_llama_qk_layernorm", "LlamaForCausalLM (attention with Chameleon-style / "
                          "nn.LayerNorm q_norm, k_norm)", model, cfg, norms, seed, opset, torch.float32)


MODEL_BUILDERS = collections.OrderedDict([
    ("qwen3_dynamo_op18_f32", lambda: qwen3_spec("qwen3_dynamo_op18_f32", 1000, 18)),
    ("qwen3_dynamo_op18_f16", lambda: qwen3_spec("qwen3_dynamo_op18_f16", 1000, 18, dtype=torch.float16)),
    ("qwen3_dynamo_op18_f32_dynseq", lambda: qwen3_spec("qwen3_dynamo_op18_f32_dynseq", 1000, 18, dyn_seq=True,
                                                         ref_seq=11)),
    ("qwen3_dynamo_op23_f32", lambda: qwen3_spec("qwen3_dynamo_op23_f32", 1000, 23)),
    ("qwen3_dynamo_op23_f32_dynseq", lambda: qwen3_spec("qwen3_dynamo_op23_f32_dynseq", 1000, 23, dyn_seq=True,
                                                         ref_seq=11)),
    ("qwen3_torchscript_op17_f32", lambda: qwen3_spec("qwen3_torchscript_op17_f32", 1000, 17, dynamo=False)),
    ("qwen3_torchscript_op17_f32_dynseq", lambda: qwen3_spec("qwen3_torchscript_op17_f32_dynseq", 1000, 17, dynamo=False,
                                                              dyn_seq=True, ref_seq=11)),
    ("qwen3_36l_dynamo_op18_f32", lambda: dict(qwen3_spec("qwen3_36l_dynamo_op18_f32", 3600, 18, cfg_kwargs=QWEN3_36L),
                                                strip_metadata_keys=["pkg.torch.onnx.stack_trace", "namespace"])),
    ("vllm_attn_dynamo_op18_f32", lambda: vllm_spec("vllm_attn_dynamo_op18_f32", 2000, 18, dynamo=True)),
    ("vllm_attn_torchscript_op17_f32", lambda: vllm_spec("vllm_attn_torchscript_op17_f32", 2000, 17, dynamo=False)),
    # MRoPE tables with attention_scaling != 1 (YaRN): the scale multiplies cos and sin before the sections
    ("qwen3vl_text_yarn_dynamo_op18_f32", lambda: qwen3vl_spec("qwen3vl_text_yarn_dynamo_op18_f32", 3100, 18,
                                                                rope_type="yarn")),
    ("qwen25vl_text_yarn_dynamo_op18_f32", lambda: qwen25vl_spec("qwen25vl_text_yarn_dynamo_op18_f32", 3200, 18,
                                                                  rope_type="yarn")),
    # vLLM's MRotaryEmbedding: half-width rows of a cos|sin cache gathered by 3-row positions, one entry per
    # frequency from its axis' row (interleaved as Qwen3-VL, chunked as Qwen2-VL)
    ("vllm_mrope_interleaved_dynamo_op18_f32", lambda: vllm_spec("vllm_mrope_interleaved_dynamo_op18_f32", 2200, 18,
                                                                  dynamo=True, mrope_section=[12, 10, 10])),
    ("vllm_mrope_chunked_dynamo_op18_f32", lambda: vllm_spec("vllm_mrope_chunked_dynamo_op18_f32", 2300, 18,
                                                              dynamo=True, mrope_section=[16, 8, 8],
                                                              mrope_layout="chunked")),
    ("qwen3vl_text_dynamo_op18_f32", lambda: qwen3vl_spec("qwen3vl_text_dynamo_op18_f32", 3000, 18)),
    ("qwen35_text_dynamo_op18_f32", lambda: qwen35_spec("qwen35_text_dynamo_op18_f32", 4000, 18)),
    # optimize=False keeps the Gemma norms' (1 + w) as graph ops instead of folded initializers.
    ("qwen35_text_dynamo_op18_f32_noopt", lambda: dict(qwen35_spec("qwen35_text_dynamo_op18_f32_noopt", 4000, 18,
                                                                    optimize=False),
                                                        strip_metadata_keys=["pkg.torch.onnx.stack_trace",
                                                                             "namespace"])),
    ("vllm_attn_gptj_partial_dynamo_op18_f32", lambda: vllm_spec("vllm_attn_gptj_partial_dynamo_op18_f32", 2100, 18,
                                                                  dynamo=True, style="gptj", rot=32)),
    ("llama_dynamo_op18_f32", lambda: llama_spec("llama_dynamo_op18_f32", 5000, 18)),
    ("gemma3_dynamo_op18_f32", lambda: gemma3_spec("gemma3_dynamo_op18_f32", 6000, 18)),
    ("gemma3_dynamo_op18_f16", lambda: gemma3_spec("gemma3_dynamo_op18_f16", 6000, 18, dtype=torch.float16)),
    ("gemma3_dynamo_op18_f32_noopt", lambda: dict(gemma3_spec("gemma3_dynamo_op18_f32_noopt", 6000, 18, optimize=False),
                                                   strip_metadata_keys=["pkg.torch.onnx.stack_trace", "namespace"])),
    # optimize=False keeps (1 + w) as an Add and type_as(x) as CastLike.
    ("gemma3_dynamo_op18_f16_noopt", lambda: dict(gemma3_spec("gemma3_dynamo_op18_f16_noopt", 6000, 18,
                                                               dtype=torch.float16, optimize=False),
                                                   strip_metadata_keys=["pkg.torch.onnx.stack_trace", "namespace"])),
    ("glm45_dynamo_op18_f32", lambda: glm45_spec("glm45_dynamo_op18_f32", 7000, 18)),
    ("glm4_dynamo_op18_f32", lambda: glm4_spec("glm4_dynamo_op18_f32", 7500, 18)),
    ("qwen3_yarn_dynamo_op18_f32_dynseq", lambda: qwen3_spec("qwen3_yarn_dynamo_op18_f32_dynseq", 1100, 18, dyn_seq=True,
                                                               cfg_kwargs=QWEN3_YARN, ref_seq=11)),
    ("qwen25vl_text_dynamo_op18_f32", lambda: qwen25vl_spec("qwen25vl_text_dynamo_op18_f32", 3500, 18)),
    ("qwen3_decode_dynamo_op18_f32", lambda: qwen3_decode_spec("qwen3_decode_dynamo_op18_f32", 1234, 18)),
    ("olmo2_dynamo_op18_f32", lambda: olmo2_spec("olmo2_dynamo_op18_f32", 8000, 18)),
    ("cohere_qk_layernorm_dynamo_op18_f32", lambda: cohere_spec("cohere_qk_layernorm_dynamo_op18_f32", 9000, 18)),
    # fp16: CohereLayerNorm casts x up, weighs it in fp32 (the exporter folds the weight's cast into an fp32
    # initializer) and casts back; apply_rotary_pos_emb casts up and back again around the RoPE
    ("cohere_qk_layernorm_dynamo_op18_f16", lambda: cohere_spec("cohere_qk_layernorm_dynamo_op18_f16", 9000, 18,
                                                                dtype=torch.float16)),
    ("llama_qk_layernorm_dynamo_op18_f32", lambda: llama_qk_layernorm_spec("llama_qk_layernorm_dynamo_op18_f32",
                                                                            9100, 18)),
    ("gemma4_dynamo_op18_f32", lambda: gemma4_spec("gemma4_dynamo_op18_f32", 9200, 18)),
    ("gemma4_dynamo_op18_f16", lambda: gemma4_spec("gemma4_dynamo_op18_f16", 9200, 18, dtype=torch.float16)),
    ("qwen3_moe_dynamo_op18_f32", lambda: qwen3_moe_spec("qwen3_moe_dynamo_op18_f32", 9300, 18)),
    ("exaone4_dynamo_op18_f32", lambda: exaone4_spec("exaone4_dynamo_op18_f32", 9400, 18)),
    ("persimmon_dynamo_op18_f32", lambda: persimmon_spec("persimmon_dynamo_op18_f32", 9500, 18)),
    # the same exports after ONNX Runtime's fusion rules (onnxscript's optimize_for_ort): q / k norms as
    # SimplifiedLayerNormalization, Cohere's centred LayerNorm as Sub(x, mean) then SimplifiedLayerNormalization
    ("qwen3_dynamo_op18_f32_ortfused", lambda: dict(qwen3_spec("qwen3_dynamo_op18_f32_ortfused", 1000, 18),
                                                    ort_fusions=True)),
    ("cohere_qk_layernorm_dynamo_op18_f32_ortfused", lambda: dict(
        cohere_spec("cohere_qk_layernorm_dynamo_op18_f32_ortfused", 9000, 18), ort_fusions=True)),
])


# --------------------------------------------------------------------------------------------------
# export, check, describe
# --------------------------------------------------------------------------------------------------

def export(spec, path):
    opts = dict(opset_version=spec["opset"], input_names=spec["input_names"], output_names=spec["output_names"])
    if spec["exporter"] == "dynamo":
        opts["dynamo"] = True
        if "dynamic_shapes" in spec:
            opts["dynamic_shapes"] = spec["dynamic_shapes"]
        # torch 2.13 defaults, written out so the manifest records them
        opts.update(optimize=spec.get("optimize", True), external_data=True)
    else:
        opts["dynamo"] = False
        opts["do_constant_folding"] = True
        if "dynamic_axes" in spec:
            opts["dynamic_axes"] = spec["dynamic_axes"]
    t0 = time.time()
    with torch.no_grad():
        torch.onnx.export(spec["module"], spec["export_args"], path, **opts)
    recorded = {k: v for k, v in opts.items() if k not in ("dynamic_shapes", "dynamic_axes")}
    if "dynamic_axes" in spec:
        recorded["dynamic_axes"] = {k: {str(a): d for a, d in v.items()} for k, v in spec["dynamic_axes"].items()}
    if "dynamic_shapes" in spec:
        recorded["dynamic_shapes"] = {k: ([{str(a): str(d) for a, d in x.items()} for x in v] if isinstance(v, (list, tuple))
                                          else {str(a): str(d) for a, d in v.items()})
                                      for k, v in spec["dynamic_shapes"].items()}
    return recorded, time.time() - t0


def strip_node_metadata(path, keys):
    """Drop the given node metadata_props keys (only used where the as-exported file would exceed the
    size limit).  Initializers, external data references and everything else are left untouched."""
    import onnx
    m = onnx.load(path, load_external_data=False)
    before = os.path.getsize(path)
    removed = 0
    for n in m.graph.node:
        kept = [p for p in n.metadata_props if p.key not in keys]
        removed += len(n.metadata_props) - len(kept)
        del n.metadata_props[:]
        n.metadata_props.extend(kept)
    onnx.save(m, path)
    return dict(action="removed node metadata_props entries", keys=list(keys), entries_removed=removed,
                onnx_bytes_before=before, onnx_bytes_after=os.path.getsize(path),
                reason="as exported, the .onnx plus .data exceeded the 5 MB per-model limit; node metadata was most "
                       "of the .onnx. stack_trace (Python file paths/lines) and namespace (the concatenation of "
                       "name_scopes and class_hierarchy, which are kept) were removed")


def dims_of(type_proto):
    import onnx
    tt = type_proto.tensor_type
    dims = []
    for d in tt.shape.dim:
        if d.HasField("dim_value"):
            dims.append(int(d.dim_value))
        elif d.HasField("dim_param"):
            dims.append(d.dim_param)
        else:
            dims.append(None)
    return onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type).name, dims


def ort_fusions(path):
    """onnxscript's ONNX Runtime fusions (`optimize_for_ort`), applied in place: the export as a user who ran
    ORT's own fusion rules over it hands it on (RMSNorms as SimplifiedLayerNormalization, residual ones as
    com.microsoft SkipSimplifiedLayerNormalization)."""
    import onnxscript
    from onnxscript.rewriter import ort_fusions as of
    model, counts = of.optimize_for_ort(onnxscript.ir.load(path))
    # written under the final names in a scratch folder (the graph names its data file), then moved over
    base = os.path.basename(path)
    with tempfile.TemporaryDirectory(dir=os.path.dirname(path)) as d:
        onnxscript.ir.save(model, os.path.join(d, base), external_data=base + ".data")
        os.replace(os.path.join(d, base + ".data"), path + ".data")
        os.replace(os.path.join(d, base), path)
    return dict(action="onnxscript.rewriter.ort_fusions.optimize_for_ort", onnxscript=onnxscript.__version__,
                rules_applied={k: v for k, v in sorted(counts.items()) if v})


def describe(path):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path, load_external_data=False)
    g = m.graph
    hist = collections.Counter((f"{n.domain}::{n.op_type}" if n.domain else n.op_type) for n in g.node)
    ext_files, n_ext = set(), 0
    for init in g.initializer:
        if init.data_location == onnx.TensorProto.EXTERNAL:
            n_ext += 1
            for e in init.external_data:
                if e.key == "location":
                    ext_files.add(e.value)
    full = onnx.load(path, load_external_data=True)
    init_bytes = int(sum(numpy_helper.to_array(t).nbytes for t in full.graph.initializer))
    init_dtypes = collections.Counter(onnx.helper.tensor_dtype_to_np_dtype(t.data_type).name for t in full.graph.initializer)
    checker = "ok"
    try:
        onnx.checker.check_model(path, full_check=False)
    except Exception as e:  # noqa: BLE001
        checker = f"error: {type(e).__name__}: {str(e).splitlines()[0][:300]}"
    const_bytes = 0
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.type == onnx.AttributeProto.TENSOR:
                    const_bytes += numpy_helper.to_array(a.t).nbytes
    files = [os.path.basename(path)] + sorted(ext_files)
    return dict(
        ir_version=int(m.ir_version),
        opset_import={(o.domain or ""): int(o.version) for o in m.opset_import},
        producer_name=m.producer_name, producer_version=m.producer_version,
        node_count=len(g.node),
        op_histogram=dict(sorted(hist.items(), key=lambda kv: (-kv[1], kv[0]))),
        distinct_op_types=len(hist),
        initializer_count=len(g.initializer),
        initializer_bytes=init_bytes,
        initializer_dtypes=dict(sorted(init_dtypes.items())),
        initializers_with_norm_in_name=sum(1 for t in g.initializer if "norm" in t.name),
        external_initializer_count=n_ext,
        external_data_files=sorted(ext_files),
        constant_node_tensor_bytes=const_bytes,
        function_count=len(m.functions),
        functions=[f"{f.domain}::{f.name}" for f in m.functions],
        value_info_count=len(g.value_info),
        nodes_with_metadata_props=sum(1 for n in g.node if len(n.metadata_props) > 0),
        metadata_prop_keys=sorted({p.key for n in g.node for p in n.metadata_props}),
        model_metadata_props={p.key: p.value for p in m.metadata_props},
        subgraph_attribute_count=sum(1 for n in g.node for a in n.attribute if a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)),
        inputs=[dict(name=i.name, dtype=dims_of(i.type)[0], shape=dims_of(i.type)[1]) for i in g.input],
        outputs=[dict(name=o.name, dtype=dims_of(o.type)[0], shape=dims_of(o.type)[1]) for o in g.output],
        onnx_checker=checker,
        files={f: dict(bytes=os.path.getsize(os.path.join(OUT_DIR, f)), sha256=file_sha256(os.path.join(OUT_DIR, f)))
               for f in files},
        total_bytes=sum(os.path.getsize(os.path.join(OUT_DIR, f)) for f in files),
    )


def run_ort(path, feeds):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(None, feeds)))


def run_torch(spec, feeds):
    args = [torch.from_numpy(np.ascontiguousarray(feeds[n])) for n in spec["input_names"]]
    with torch.no_grad():
        out = spec["module"](*args)
    if isinstance(out, torch.Tensor):
        out = (out,)
    return {n: o.detach().float().numpy() for n, o in zip(spec["output_names"], out)}


def config_summary(cfg):
    if isinstance(cfg, dict):
        return cfg
    keep = ["model_type", "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
            "num_key_value_heads", "head_dim", "max_position_embeddings", "rms_norm_eps", "tie_word_embeddings",
            "rope_parameters", "layer_types", "linear_conv_kernel_dim", "linear_key_head_dim", "linear_value_head_dim",
            "linear_num_key_heads", "linear_num_value_heads", "attention_bias", "hidden_act"]
    d = cfg.to_dict()
    return {k: d[k] for k in keep if k in d}


def process(spec):
    name = spec["name"]
    path = os.path.join(OUT_DIR, name + ".onnx")
    remove_outputs(name)
    entry = dict(name=name, file=name + ".onnx", family=spec["family"], hf_class=spec["hf_class"],
                 exporter=spec["exporter"], requested_opset=spec["opset"], dtype=spec["dtype"], layers=spec["layers"],
                 torch_params=spec["params"], attn_implementation=spec["attn_implementation"],
                 config=config_summary(spec["config"]), randomised_norm_weights=spec["norms"])
    for k in ("positions_layout", "linear_attention_path", "randomised_biases"):
        if k in spec:
            entry[k] = spec[k]
    export_opts, secs = export(spec, path)
    entry["export_options"] = export_opts
    if spec.get("strip_metadata_keys"):
        entry["postprocess"] = strip_node_metadata(path, spec["strip_metadata_keys"])
    if spec.get("ort_fusions"):
        entry["ort_fusions"] = ort_fusions(path)
    entry.update(describe(path))
    if entry["total_bytes"] > MAX_MODEL_BYTES:
        raise RuntimeError(f"{name}: {entry['total_bytes']} bytes exceeds the {MAX_MODEL_BYTES} byte limit")

    feeds = spec["ref_inputs"]
    ort_out = run_ort(path, feeds)
    torch_out = run_torch(spec, feeds)
    ref = dict(inputs={}, outputs={})
    for n, a in feeds.items():
        fn = f"{name}.in.{sanitize(n)}.npy"
        np.save(os.path.join(OUT_DIR, fn), a)
        ref["inputs"][n] = dict(file=fn, dtype=a.dtype.name, shape=list(a.shape))
    diffs = {}
    for n, a in ort_out.items():
        fn = f"{name}.out.{sanitize(n)}.npy"
        np.save(os.path.join(OUT_DIR, fn), a)
        ref["outputs"][n] = dict(file=fn, dtype=a.dtype.name, shape=list(a.shape),
                                 abs_max=float(np.abs(a.astype(np.float64)).max()))
        t = torch_out[n]
        d = np.abs(a.astype(np.float64) - t.astype(np.float64))
        diffs[n] = dict(max_abs_diff=float(d.max()), mean_abs_diff=float(d.mean()),
                        finite=bool(np.isfinite(a).all()))
    entry["reference"] = ref
    entry["reference"]["computed_with"] = "onnxruntime CPUExecutionProvider, 1 thread, default graph optimizations"
    entry["ort_vs_torch"] = diffs
    entry["ort_vs_torch_max_abs_diff"] = max(v["max_abs_diff"] for v in diffs.values())
    return entry


# --------------------------------------------------------------------------------------------------
# README
# --------------------------------------------------------------------------------------------------

NOTABLE = ["RMSNormalization", "SimplifiedLayerNormalization", "RotaryEmbedding", "Attention", "Pow", "ReduceMean", "Sqrt", "Reciprocal", "Div",
           "Split", "Slice", "Neg", "Cos", "Sin", "GatherND", "ScatterND", "ScatterElements", "Conv", "CumSum",
           "Softplus", "Cast", "Constant", "IsNaN", "Where"]


def versions():
    import onnx
    import onnxruntime
    import onnxscript
    import transformers
    return dict(python=platform.python_version(), torch=torch.__version__, transformers=transformers.__version__,
                onnx=onnx.__version__, onnxruntime=onnxruntime.__version__, onnxscript=onnxscript.__version__,
                numpy=np.__version__, platform=platform.platform())


def write_readme(manifest):
    v = manifest["versions"]
    L = []
    L.append("# graphfuse test models\n")
    L.append("Small random-weight ONNX exports of Qwen3-family models (plus a hand-written vLLM-style attention "
             "block), with reference inputs/outputs, for graphfuse's loader, `inspect`, pattern-matching and "
             "numeric tests. **Generated by `generate_models.py`; this README and `manifest.json` are written by "
             "that script — every number here is measured, do not edit by hand.**\n")
    L.append("## Regenerate\n")
    L.append("From the repository root (Python is only needed to regenerate; the Java build never runs it):\n")
    L.append("```\n" + GENERATE_CMD + "            # all models\n" + GENERATE_CMD + " NAME ...   # selected models\n```\n")
    L.append("Any Python environment with the same package versions works, e.g. `pip install torch==" + v["torch"].split("+")[0]
             + " transformers==" + v["transformers"] + " onnx==" + v["onnx"] + " onnxruntime==" + v["onnxruntime"]
             + " onnxscript==" + v["onnxscript"] + " numpy==" + v["numpy"] + "` (CPU torch). Two runs of the script "
             "produce byte-identical files. Dynamo exports embed `pkg.torch.onnx.stack_trace` node metadata with "
             "absolute paths of the script and of the installed packages, so regenerating from another location "
             "changes the .onnx bytes (not the graph or the tensors).\n")
    L.append("The venv used: torch CPU wheel plus transformers, onnx, onnxruntime, onnxscript, numpy "
             "(versions below). Seeds are fixed; weights are random (HF `post_init` init for HF models), and every "
             "RMSNorm weight (input/post-attention/final norms, q_norm/k_norm, gated norms) is re-drawn: N(1, 0.1) "
             "for `w * x` norms, N(0, 0.1) for the zero-centred `(1 + w) * x` Qwen3.5 norms, because all-ones "
             "weights are merged by the exporter's initializer deduplication and hide structure.\n")
    L.append(f"Generated on {manifest['generated_on']}.\n")
    L.append("## Library versions\n")
    L.append("| package | version |\n|---|---|")
    for k in ("python", "torch", "transformers", "onnx", "onnxruntime", "onnxscript", "numpy", "platform"):
        L.append(f"| {k} | {v[k]} |")
    L.append("")
    L.append("## Models\n")
    L.append("| file | exporter | opset | IR | dtype | layers | nodes | initializers (bytes) | files total | ORT vs torch max abs diff |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for e in manifest["models"]:
        ops = ", ".join(f"{d}:{o}" if d else f"{o}" for d, o in sorted(e["opset_import"].items()))
        files = " + ".join(f"`{f}`" for f in e["files"])
        L.append(f"| {files} | {e['exporter']} | {ops} | {e['ir_version']} | {e['dtype']} | {e['layers']} | "
                 f"{e['node_count']} | {e['initializer_count']} ({e['initializer_bytes']:,}) | "
                 f"{e['total_bytes']:,} B | {e['ort_vs_torch_max_abs_diff']:.3g} |")
    L.append("")
    L.append("### Notable ops (top-level graph counts)\n")
    for e in manifest["models"]:
        h = e["op_histogram"]
        notable = ", ".join(f"{o} {h[o]}" for o in NOTABLE if o in h)
        other_domains = ", ".join(f"{o} {c}" for o, c in h.items() if "::" in o)
        if other_domains:
            notable += ", " + other_domains
        L.append(f"- **{e['name']}** ({e['distinct_op_types']} op types): {notable or '—'}")
    L.append("")
    L.append("Full per-model op histograms (`op_type`, or `domain::op_type` for a non-empty domain, over the "
             "top-level graph nodes, computed with the `onnx` package) are in `manifest.json`.\n")
    L.append("## Model details\n")
    for e in manifest["models"]:
        c = e["config"]
        L.append(f"### {e['name']}\n")
        L.append(f"- family `{e['family']}`" + (f", class `{e['hf_class']}`" if e["hf_class"] else "")
                 + f", attention `{e['attn_implementation']}`, {e['torch_params']:,} parameters")
        L.append(f"- config: `{json.dumps(c, sort_keys=True)}`")
        L.append(f"- export options: `{json.dumps(e['export_options'], sort_keys=True)}`")
        if "ort_fusions" in e:
            f = e["ort_fusions"]
            # its counts include intermediate fusions no later rule consumed, which it inlines back (the RoPEs)
            L.append(f"- then ONNX Runtime's fusions (onnxscript {f['onnxscript']} `optimize_for_ort`), rules applied, "
                     f"intermediate ones (inlined back when unused) included: `{json.dumps(f['rules_applied'], sort_keys=True)}`")
        ins = "; ".join(f"`{i['name']}` {i['dtype']} {i['shape']}" for i in e["inputs"])
        outs = "; ".join(f"`{o['name']}` {o['dtype']} {o['shape']}" for o in e["outputs"])
        L.append(f"- graph inputs: {ins}; outputs: {outs}")
        refs = ", ".join(f"`{r['file']}` {r['shape']}" for r in list(e["reference"]["inputs"].values())
                         + list(e["reference"]["outputs"].values()))
        L.append(f"- reference tensors: {refs}")
        if "positions_layout" in e:
            L.append(f"- reference position_ids: {e['positions_layout']}")
        if "linear_attention_path" in e:
            L.append(f"- linear attention: {e['linear_attention_path']}")
        L.append(f"- functions {e['function_count']}, value_info {e['value_info_count']}, external initializers "
                 f"{e['external_initializer_count']}, nodes with metadata_props {e['nodes_with_metadata_props']}, "
                 f"onnx.checker: {e['onnx_checker']}")
        L.append("")
    if manifest.get("notes"):
        L.append("## Observations\n")
        for note in manifest["notes"]:
            L.append(note)
        L.append("")
    L.append("## Failures and deviations\n")
    if manifest["failures"]:
        for f in manifest["failures"]:
            L.append(f"- **{f['name']}**: `{f['error']}`")
            for extra in f.get("notes", []):
                L.append(f"  - {extra}")
    else:
        L.append("- No export failed in the final run.")
    for d in manifest.get("deviations", []):
        L.append(f"- {d}")
    L.append("")
    with open(README, "w") as f:
        f.write("\n".join(L))


# --------------------------------------------------------------------------------------------------

def norm_scale_initializers(path):
    """Initializers consumed by Mul nodes whose innermost name scope is a *norm module."""
    import onnx
    m = onnx.load(path, load_external_data=False)
    inits = {t.name for t in m.graph.initializer}
    found = set()
    for n in m.graph.node:
        if n.op_type != "Mul":
            continue
        scopes = [p.value for p in n.metadata_props if p.key == "pkg.torch.onnx.name_scopes"]
        if not scopes:
            continue
        parts = [x.strip(" '") for x in scopes[0].strip("[]").split(",")]
        mods = parts[:-1]
        if mods and mods[-1].rsplit(".", 1)[-1].endswith("norm"):
            found.update(i for i in n.input if i in inits)
    return sorted(found)


def derived_notes(results):
    """Observations computed from this run's results (nothing here is typed in by hand)."""
    notes = []
    a, b = results.get("qwen3_dynamo_op23_f32"), results.get("qwen3_dynamo_op23_f32_dynseq")
    if a and b:
        def c(e, op):
            return e["op_histogram"].get(op, 0)
        notes.append(
            f"- Opset 23, static vs dynamic sequence: the static export has RotaryEmbedding {c(a, 'RotaryEmbedding')}, "
            f"Cos {c(a, 'Cos')}, Sin {c(a, 'Sin')}; the dynamic-seq export has RotaryEmbedding "
            f"{c(b, 'RotaryEmbedding')}, Cos {c(b, 'Cos')}, Sin {c(b, 'Sin')}. onnxscript's RotaryEmbedding23 rule "
            "(rewriter/rules/fusion/_rotary_embedding.py) matches `Concat(freqs, freqs) -> Cos/Sin -> Unsqueeze`; "
            "with static shapes cos/sin are constant-folded first, so the rule has nothing to match. "
            f"RMSNormalization: static {c(a, 'RMSNormalization')}, dynamic {c(b, 'RMSNormalization')}; "
            f"Attention: static {c(a, 'Attention')}, dynamic {c(b, 'Attention')}.")
    q = results.get("qwen35_text_dynamo_op18_f32")
    if q:
        scale_inits = norm_scale_initializers(os.path.join(OUT_DIR, q["file"]))
        named = sorted(n for n in scale_inits if "norm" in n)
        anon = sorted(n for n in scale_inits if "norm" not in n)
        notes.append(
            f"- Qwen3.5: of the {len(scale_inits)} initializers that feed a `Mul` inside a norm module's name scope, "
            f"{len(named)} keep a parameter name ({', '.join('`' + n + '`' for n in named)}) and {len(anon)} are "
            f"anonymous ({', '.join('`' + n + '`' for n in anon[:4])}{', ...' if len(anon) > 4 else ''}): the "
            "exporter's optimizer constant-folds the zero-centred `(1 + w)` of the Gemma-style norms into new "
            "initializers, so the graph shows a plain `Mul(x_normed, scale)` with scale = 1 + w.")
        h = q["op_histogram"]
        notes.append(
            f"- Qwen3.5 linear attention exported with the dynamo exporter at opset 18 with default options; no "
            f"fallback was needed. The 16-token sequence is padded (Pad {h.get('Pad', 0)}) to one 64-token chunk and "
            "transformers' export-only forward-substitution loop over the chunk (63 steps) is unrolled, which is "
            f"where most of ReduceSum {h.get('ReduceSum', 0)}, ScatterND {h.get('ScatterND', 0)}, ScatterElements "
            f"{h.get('ScatterElements', 0)} and Slice {h.get('Slice', 0)} come from.")
    d = results.get("qwen3_dynamo_op18_f32_dynseq")
    if d:
        shp = d["reference"]["inputs"]["input_ids"]["shape"]
        notes.append(f"- Dynamic-seq models were traced with sequence 16; their reference inputs use shape {shp} to "
                     "exercise the symbolic `seq` dimension.")
    h = results.get("qwen3_dynamo_op18_f16")
    if h:
        amax = h["reference"]["outputs"]["logits"]["abs_max"]
        ulp = float(np.spacing(np.float16(amax)))
        notes.append(f"- fp16: ORT (CPU) vs torch eager (CPU, fp16) max abs diff {h['ort_vs_torch_max_abs_diff']:.3g} on "
                     f"logits with abs max {amax:.3g} (one fp16 ulp there is {ulp:.3g}); the fp32 exports agree with "
                     "torch to about 1e-6.")
    return notes


DEVIATIONS = [
    "qwen3_36l_dynamo_op18_f32 uses head_dim 64 (hidden 32, 2 heads, 1 KV head, intermediate 32, vocab 64) rather "
    "than head_dim 16, so the fused ops' head-size constraint (64/128/256) can still be met; to stay under 5 MB its "
    "node metadata `pkg.torch.onnx.stack_trace` and `namespace` entries were removed after export (see `postprocess` "
    "in manifest.json). All other files are byte-for-byte what torch.onnx.export wrote.",
    "The 2-layer Qwen3 / Qwen3-VL models use hidden 64 with 4 query heads x head_dim 64 (q width 256 > hidden), "
    "as Qwen3-0.6B does (hidden 1024, 16 x 128), to keep files small while keeping head_dim 64.",
]
NOTES = []


def main(argv):
    names = argv or list(MODEL_BUILDERS)
    unknown = [n for n in names if n not in MODEL_BUILDERS]
    if unknown:
        sys.exit(f"unknown model(s): {unknown}; known: {list(MODEL_BUILDERS)}")
    old = {}
    if argv and os.path.exists(MANIFEST):
        with open(MANIFEST) as f:
            prev = json.load(f)
        old = {e["name"]: e for e in prev.get("models", [])}
        old_fail = {e["name"]: e for e in prev.get("failures", [])}
    else:
        old_fail = {}
    results, failures = dict(old), dict(old_fail)
    for n in names:
        print(f"=== {n}", flush=True)
        results.pop(n, None)
        failures.pop(n, None)
        try:
            spec = MODEL_BUILDERS[n]()
            results[n] = process(spec)
            e = results[n]
            print(f"    nodes={e['node_count']} bytes={e['total_bytes']} diff={e['ort_vs_torch_max_abs_diff']:.3g}",
                  flush=True)
        except Exception as ex:  # noqa: BLE001
            traceback.print_exc()
            remove_outputs(n)
            failures[n] = dict(name=n, error=f"{type(ex).__name__}: {str(ex).strip().splitlines()[0][:500]}" if str(ex).strip() else type(ex).__name__)
    order = list(MODEL_BUILDERS)
    NOTES[:] = derived_notes(results)
    manifest = dict(
        description="graphfuse ONNX test models; generated by generate_models.py (see README.md)",
        generated_on=datetime.date.today().isoformat(),
        generator="generate_models.py",
        command=GENERATE_CMD,
        versions=versions(),
        op_histogram_key="op_type for the default domain, 'domain::op_type' otherwise; top-level graph nodes only",
        reference_naming="<model>.in.<input_name>.npy / <model>.out.<output_name>.npy, names sanitized to [A-Za-z0-9_.-]",
        models=[results[n] for n in order if n in results],
        failures=[failures[n] for n in order if n in failures],
        deviations=DEVIATIONS,
        notes=NOTES,
    )
    with open(MANIFEST, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=False)
        f.write("\n")
    write_readme(manifest)
    total = sum(os.path.getsize(p) for p in glob.glob(os.path.join(OUT_DIR, "*")) if os.path.isfile(p))
    print(f"done: {len(manifest['models'])} models, {len(manifest['failures'])} failures, dir total {total} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
