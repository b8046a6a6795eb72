#!/usr/bin/env python3
"""Correctness check of libgraphfuse_kernels.so on a CUDA machine, against a float64 torch reference.

Run by bin/gpu-kernel-check (which builds the library first), and by bin/gpu-bench on the default build and
on each cross-check build of runtime/native/src/config.h (general kernels only, split-lane kernel off,
evict-normal table loads, PDL off). Python and torch are used only here, on the GPU machine: never in
the build or in CI.

Every entry point of runtime/native/include/graphfuse_kernels.h is called through ctypes on fresh random
inputs (never zeros). The reference follows the header's definition in float64, from the very same
(already rounded) inputs, weights, cos/sin tables and fp32 angles the kernel sees, so the only differences
are the kernel's fp32 arithmetic and its one rounding at the store.

Tolerance, per output element, with ref the float64 result and scale the sum of the magnitudes of the
terms it adds (|y_a cos| + |y_b sin| for a rotated element, |ref| otherwise, so cancellation is judged
against the size of what cancelled):
  fp32 outputs:       |out - ref| <= 1e-5 * scale
  bf16 / f16 outputs: |out - ref| <= 1 ulp_out(ref) + 1e-5 * scale
Untouched memory (V, row padding, pass-through dims without a norm, tokens with an out-of-range
position) must be bitwise unchanged.

usage: gpu_kernel_check.py --lib path/to/libgraphfuse_kernels.so [--small] [--seed N] [--no-timing]

GF_CHECK_DEVICE=cpu runs the harness on host tensors, with --lib a host implementation of the same ABI
(not kept in the repository): a self-test of this script without a GPU, never a test of the CUDA kernels.
"""
import argparse
import ctypes
import dataclasses
import math
import os
import re
import sys
import time

import torch

GF_DTYPE = {torch.float32: 1, torch.int32: 6, torch.int64: 7, torch.float16: 10, torch.bfloat16: 16}
GF_ERR_POSITION_RANGE = 10004
GF_ANGLES_TABLE = 1
GF_NORM_LAYER = 2
GF_ANGLES_INV_FREQ = 2
RTOL = 1e-5
ROPE_BASE = 1e6
DEV = os.environ.get("GF_CHECK_DEVICE", "cuda")

I64x2 = ctypes.c_int64 * 2
I64x3 = ctypes.c_int64 * 3
I32x3 = ctypes.c_int32 * 3


# The argument structs as the header declares them: its field lists (GF_ROPE_ARGS_FIELDS, GF_NORM_ARGS_FIELDS)
# are the one place a field is written, so the ctypes structs are read from there, not typed again here.
# check_layout() then compares them with the compiled library's own report (gf_abi_layout).
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "runtime", "native", "include",
                      "graphfuse_kernels.h")
_C_TYPES = {"int32_t": ctypes.c_int32, "int64_t": ctypes.c_int64, "float": ctypes.c_float}


def header_fields(macro):
    """[(name, ctypes type)] of one field list: F(type, name) and A(type, name, count) up to the first line
    that does not continue the macro."""
    text = re.sub(r"/\*.*?\*/", "", open(HEADER).read(), flags=re.S)
    start = text.index("#define " + macro + "(F, A)")
    lines = []
    for line in text[start:].splitlines()[1:]:
        lines.append(line)
        if not line.rstrip().endswith("\\"):
            break
    fields = []
    for kind, typ, name, count in re.findall(r"\b([FA])\(([^,()]+),\s*(\w+)(?:,\s*(\d+))?\)", "\n".join(lines)):
        t = ctypes.c_void_p if "*" in typ else _C_TYPES[typ.strip()]
        fields.append((name, t * int(count) if kind == "A" else t))
    if not fields:
        raise SystemExit(f"{HEADER}: no fields in {macro}")
    return fields


class RopeArgs(ctypes.Structure):
    _fields_ = header_fields("GF_ROPE_ARGS_FIELDS")


class NormArgs(ctypes.Structure):
    _fields_ = header_fields("GF_NORM_ARGS_FIELDS")


GF_ABI_VERSION = int(re.search(r"#define GF_ABI_VERSION (\d+)", open(HEADER).read()).group(1))


def load_lib(path):
    lib = ctypes.CDLL(path)
    vp, i32, sz = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t
    sigs = {
        "gf_abi_version": (i32, []),
        "gf_args_size": (ctypes.c_int64, [i32]),
        "gf_device_count": (i32, [ctypes.POINTER(ctypes.c_int)]),
        "gf_error_string": (ctypes.c_char_p, [i32]),
        "gf_set_device": (i32, [i32]),
        "gf_malloc": (i32, [ctypes.POINTER(vp), sz]),
        "gf_free": (i32, [vp]),
        "gf_memset": (i32, [vp, i32, sz, vp]),
        "gf_memcpy_h2d": (i32, [vp, vp, sz, vp]),
        "gf_memcpy_d2h": (i32, [vp, vp, sz, vp]),
        "gf_memcpy_d2d": (i32, [vp, vp, sz, vp]),
        "gf_stream_create": (i32, [ctypes.POINTER(vp)]),
        "gf_stream_destroy": (i32, [vp]),
        "gf_stream_synchronize": (i32, [vp]),
    }
    for name in ("gf_qk_norm", "gf_qk_norm_rope", "gf_qk_norm_mrope", "gf_mrope", "gf_rope"):
        sigs[name] = (i32, [ctypes.POINTER(RopeArgs), vp])
    for name in ("gf_rms_norm", "gf_gemma_rms_norm", "gf_rms_norm_gated"):
        sigs[name] = (i32, [ctypes.POINTER(NormArgs), vp])
    for name, (res, argtypes) in sigs.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = argtypes
    check_layout(lib)
    return lib


def _kind(t):
    """The layout report's element kind of a ctypes field type."""
    t = getattr(t, "_type_", t) if issubclass(t, ctypes.Array) else t
    return {ctypes.c_void_p: "ptr", ctypes.c_int32: "i32", ctypes.c_int64: "i64", ctypes.c_float: "f32"}[t]


def check_layout(lib):
    """The ctypes structs above agree with the library's compiled header field by field (name, offset,
    size: gf_abi_layout), so a reordered or retyped field stops the run instead of feeding the kernels
    wrong arguments."""
    if not hasattr(lib, "gf_abi_layout"):  # a host stand-in of the ABI (GF_CHECK_DEVICE=cpu) may lack it
        return
    lib.gf_abi_layout.restype = ctypes.c_char_p
    native = {}
    for line in lib.gf_abi_layout().decode().splitlines():
        struct, field, offset, size, kind = line.split()
        native.setdefault(struct, []).append((field, int(offset), int(size), kind))
    for struct, cls in (("gf_rope_args", RopeArgs), ("gf_norm_args", NormArgs)):
        ours = [("sizeof", 0, ctypes.sizeof(cls), "-")]
        ours += [(f, getattr(cls, f).offset, getattr(cls, f).size, _kind(t)) for f, t in cls._fields_]
        if ours != native.get(struct):
            raise SystemExit(f"{struct}: the ctypes layout differs from the library's:\n  ours   {ours}\n"
                             f"  native {native.get(struct)}")


def sync():
    if DEV == "cuda":
        torch.cuda.synchronize()


def err_text(lib, rc):
    return f"rc {rc} ({lib.gf_error_string(rc).decode()})"


# ---------------------------------------------------------------------------------------------------
# tolerances


def ulp(v, dtype):
    """ulp of the output type at |v| (float64 tensor in, float64 out), subnormals included."""
    mant, emin = {torch.bfloat16: (7, -126), torch.float16: (10, -14), torch.float32: (23, -126)}[dtype]
    _, e = torch.frexp(v.abs())  # |v| = m * 2^e, m in [0.5, 1)
    e = torch.clamp(e.to(torch.float64) - 1.0, min=float(emin))
    return torch.pow(2.0, e - mant)


def judge(out, ref, scale, dtype):
    """(ok, worst err/bound, worst err in ulps of the output type at scale) over float64 tensors.

    The ulps are taken at scale rather than at ref: where terms cancel, ulp(ref) is tiny and says nothing."""
    out, ref, scale = out.reshape(-1), ref.reshape(-1), scale.reshape(-1)
    err = (out - ref).abs()
    bound = RTOL * scale + (ulp(ref, dtype) if dtype != torch.float32 else 1e-30)
    ratio = err / bound
    finite = torch.isfinite(out).all().item()
    ok = finite and bool((err <= bound).all().item())
    worst = ratio.max().item() if ratio.numel() else 0.0
    ulps = (err / ulp(scale, dtype)).max().item() if err.numel() else 0.0
    return ok, (worst if finite else math.inf), (ulps if finite else math.inf)


def f32(v):
    """The float32 value the kernel sees for a float argument, as a Python float."""
    return torch.tensor(v, dtype=torch.float32).item()


# ---------------------------------------------------------------------------------------------------
# rope family


@dataclasses.dataclass
class RopeCase:
    name: str
    op: str  # qk_norm, qk_norm_rope, qk_norm_mrope, mrope, rope
    dtype: torch.dtype = torch.bfloat16
    wdtype: torch.dtype = None  # default: dtype
    tdtype: torch.dtype = torch.float32
    pdtype: torch.dtype = torch.int64
    hd: int = 128
    rot: int = 128
    nq: int = 4
    nk: int = 2
    nv: int = 2
    batch: int = 1
    seq: int = 7
    gptj: bool = False
    full_table: bool = False
    source: str = "table"  # or inv_freq
    pos_rows: int = 1
    mrope_interleaved: bool = True
    section: tuple = (0, 0, 0)
    layout: str = "qkv"  # qkv: in place in [B, S, (nq+nk+nv)*hd + pad]; split: separate q, k, padded outputs
    pad: int = 0
    w_offset: float = 0.0
    eps: float = 1e-6
    scaling: float = 1.0
    pos_layout: str = "rows"  # rows: [rows, B, S]; tokens: [B, S, rows]
    max_pos: int = 40960
    bad_tokens: int = 0  # tokens given a position outside [0, max_pos)
    bad_axis: int = 0  # which position row gets the bad value (MRoPE)
    table_bcast: bool = False  # pos_rows 0: one [S, width] table for every batch entry (stride 0)
    bound: int = -1  # inv_freq: max_position passed (default: max_pos)
    small: bool = False  # part of the compute-sanitizer run
    layer: bool = False  # QkLayerNormRope's norm (GF_NORM_LAYER) instead of the RMSNorm
    per_head: bool = False  # layer: weights (and biases) [heads, hd], one row per head (Cohere), else [hd]
    bias: bool = False  # layer: q_bias / k_bias (Chameleon)
    x_mean: float = 0.0  # added to every input element: a LayerNorm must remove it without cancellation
    heads_major: bool = False  # split: outputs stored [B, H, S, hd + pad] (an op's perm [0, 2, 1, 3])

    @property
    def has_norm(self):
        return self.op.startswith("qk_norm")


def elem_maps(c):
    """Per element i < rot: frequency j, rotation partner, and whether it is the first of its pair."""
    i = torch.arange(c.rot, device=DEV)
    half = c.rot // 2
    if c.gptj:
        j, partner, first = i // 2, i ^ 1, (i % 2) == 0
    else:
        first = i < half
        j = torch.where(first, i, i - half)
        partner = torch.where(first, i + half, i - half)
    return j, partner, first


def axis_of_freq(c):
    """Position row (0 T, 1 H, 2 W) of each frequency j < rot/2: the header's MRoPE rule, written out."""
    half = c.rot // 2
    axes = []
    for j in range(half):
        if c.pos_rows != 3:
            axes.append(0)
        elif c.mrope_interleaved:
            if j % 3 == 1 and j < 3 * c.section[1]:
                axes.append(1)
            elif j % 3 == 2 and j < 3 * c.section[2]:
                axes.append(2)
            else:
                axes.append(0)
        else:
            axes.append(0 if j < c.section[0] else (1 if j < c.section[0] + c.section[1] else 2))
    return torch.tensor(axes, dtype=torch.long, device=DEV)


def make_angles(c, args, pos64, keep):
    """Fills the angle fields of args; returns float64 cos, sin per (token, element < rot)."""
    B, S, N = c.batch, c.seq, c.batch * c.seq
    half = c.rot // 2
    j, _, _ = elem_maps(c)
    inv64 = ROPE_BASE ** (-(torch.arange(half, device=DEV, dtype=torch.float64) * 2.0 / c.rot))
    axis_elem = axis_of_freq(c)[j]  # [rot]
    posN = pos64.reshape(3, N).T  # [N, 3]
    p_elem = posN[:, axis_elem]  # [N, rot]
    args.table_width = c.rot if c.full_table else half
    if c.source == "inv_freq":
        inv32 = inv64.to(torch.float32)
        keep.append(inv32)
        args.angle_source = GF_ANGLES_INV_FREQ
        args.inv_freq = inv32.data_ptr()
        args.attention_scaling = c.scaling
        args.max_position = c.max_pos if c.bound < 0 else c.bound
        # the kernel's theta: f32(p) * inv_freq[j], one fp32 rounding; torch's fp32 multiply is the same
        theta32 = p_elem.to(torch.float32) * inv32[j][None, :]
        sc = f32(c.scaling)
        return torch.cos(theta32.double()) * sc, torch.sin(theta32.double()) * sc

    args.angle_source = GF_ANGLES_TABLE
    tw = args.table_width
    if c.pos_rows > 0:
        theta = torch.arange(c.max_pos, device=DEV, dtype=torch.float64)[:, None] * inv64[None, :]
    else:
        nb = 1 if c.table_bcast else B
        hidden = torch.randint(0, c.max_pos, (nb, S), device=DEV).double()
        theta = hidden[..., None] * inv64
    ch, sh = torch.cos(theta), torch.sin(theta)
    if c.full_table:
        widen = (lambda t: t.repeat_interleave(2, -1)) if c.gptj else (lambda t: torch.cat([t, t], -1))
        # entries a and b of a pair differ on purpose: the header says element i reads entry i
        ch = widen(ch) * (1 + 0.01 * torch.randn(widen(ch).shape, device=DEV, dtype=torch.float64))
        sh = widen(sh) * (1 + 0.01 * torch.randn(widen(sh).shape, device=DEV, dtype=torch.float64))
    table = torch.cat([ch, sh], -1).to(c.tdtype).contiguous()  # rows of [cos | sin], like a cos_sin cache
    keep.append(table)
    t64 = table.double()
    es = table.element_size()
    args.table_dtype = GF_DTYPE[c.tdtype]
    args.cos = table.data_ptr()
    args.sin = table.data_ptr() + tw * es
    ent = torch.arange(c.rot, device=DEV) if c.full_table else j
    if c.pos_rows > 0:
        args.table_stride = I64x2(0, 2 * tw)
        args.max_position = c.max_pos
        rows = p_elem.clamp(0, c.max_pos - 1)  # tokens with a bad position are not compared; keep the gather in bounds
        return t64[rows, ent[None, :]], t64[rows, tw + ent[None, :]]
    args.table_stride = I64x2(0 if c.table_bcast else S * 2 * tw, 2 * tw)
    tN = t64.expand(B, S, 2 * tw).reshape(N, 2 * tw)
    return tN[:, ent], tN[:, tw + ent]


def make_positions(c, args, keep):
    """Random positions [3, B, S] (T != H != W for 3 rows), bad ones injected; fills the position fields."""
    B, S, N = c.batch, c.seq, c.batch * c.seq
    pos = torch.randint(0, c.max_pos, (3, B, S), device=DEV, dtype=torch.int64)
    if c.pos_rows == 3 and N > 1:
        assert not torch.equal(pos[0], pos[1]) and not torch.equal(pos[1], pos[2])
    if c.pos_rows <= 1:
        pos[1] = pos[0]
        pos[2] = pos[0]
    bad = torch.zeros(N, dtype=torch.bool, device=DEV)
    if c.bad_tokens:
        idx = torch.randperm(N, device=DEV)[: c.bad_tokens]
        bad[idx] = True
        flat = pos.reshape(3, N)
        for n, t in enumerate(idx.tolist()):
            value = -1 - n if n % 2 else c.max_pos + n  # negative and too large
            if c.pos_rows == 3:
                flat[c.bad_axis, t] = value
            else:
                flat[:, t] = value
    if c.pos_rows > 0:
        rows = pos[: c.pos_rows].to(c.pdtype)
        if c.pos_layout == "tokens":
            store = rows.permute(1, 2, 0).contiguous()  # [B, S, rows]
            args.position_stride = I64x3(1, S * c.pos_rows, c.pos_rows)
        else:
            store = rows.contiguous()
            args.position_stride = I64x3(B * S, S, 1)
        keep.append(store)
        args.positions = store.data_ptr()
        args.position_dtype = GF_DTYPE[c.pdtype]
    args.position_rows = c.pos_rows
    args.mrope_interleaved = int(c.mrope_interleaved)
    args.mrope_section = I32x3(*c.section)
    return pos, bad


def reference_heads(c, x64, w64, cos_e, sin_e, b64=None):
    """float64 result and error scale of [N, H, hd] heads per the header."""
    mag = None  # magnitude of the terms summed into y, where they may cancel (a bias): the error's scale
    if c.layer:
        # GF_NORM_LAYER: the mean, the variance of the centred values; w64 / b64 [hd] or [H, hd] broadcast
        xc = x64 - x64.mean(-1, keepdim=True)
        r = 1.0 / torch.sqrt((xc * xc).mean(-1, keepdim=True) + f32(c.eps))
        y = xc * r * w64
        mag = y.abs()
        if b64 is not None:
            y = y + b64
            mag = mag + b64.abs()
    elif c.has_norm:
        r = 1.0 / torch.sqrt((x64 * x64).mean(-1, keepdim=True) + f32(c.eps))
        y = x64 * r * (w64 + f32(c.w_offset))
    else:
        y = x64
    mag = y.abs() if mag is None else mag
    out, scale = y.clone(), mag.clone()
    if c.rot > 0:
        _, partner, first = elem_maps(c)
        sign = torch.where(first, -1.0, 1.0).to(torch.float64)
        t1 = y[..., : c.rot] * cos_e[:, None, :]
        t2 = y[..., partner] * sin_e[:, None, :]
        out[..., : c.rot] = t1 + sign * t2
        scale[..., : c.rot] = mag[..., : c.rot] * cos_e[:, None, :].abs() + mag[..., partner] * sin_e[:, None, :].abs()
    return out, scale


def run_rope_case(lib, c, stream):
    wdtype = c.wdtype or c.dtype
    B, S, N, hd = c.batch, c.seq, c.batch * c.seq, c.hd
    keep = []
    a = RopeArgs()
    a.struct_size = ctypes.sizeof(RopeArgs)
    a.dtype, a.weight_dtype = GF_DTYPE[c.dtype], GF_DTYPE[wdtype]
    a.batch, a.seq, a.num_q_heads, a.num_k_heads, a.head_dim = B, S, c.nq, c.nk, hd
    a.rotary_dim, a.interleaved = c.rot, int(c.gptj)
    a.has_norm = GF_NORM_LAYER if c.layer else int(c.has_norm)
    a.epsilon, a.weight_offset = c.eps, c.w_offset

    sentinel = 1234.5
    if c.layout == "qkv":
        W = (c.nq + c.nk + c.nv) * hd + c.pad
        buf = (torch.randn(B * S * W, device=DEV) * 3 + c.x_mean).to(c.dtype)
        orig = buf.clone()
        st = (S * W, W, hd, 1)
        q_in = torch.as_strided(buf, (B, S, c.nq, hd), st, 0)
        k_in = torch.as_strided(buf, (B, S, c.nk, hd), st, c.nq * hd)
        q_out, k_out = q_in, k_in
        outs = [buf]
    else:
        Wo = hd + c.pad
        q_in = (torch.randn(B, S, c.nq, hd, device=DEV) * 3 + c.x_mean).to(c.dtype)
        k_in = (torch.randn(B, S, c.nk, hd, device=DEV) * 3 + c.x_mean).to(c.dtype)
        if c.heads_major:  # the [B, S, H, Wo] views of [B, H, S, Wo] buffers: what a perm of the heads writes
            qo = torch.full((B, c.nq, S, Wo), sentinel, device=DEV).to(c.dtype).permute(0, 2, 1, 3)
            ko = torch.full((B, c.nk, S, Wo), sentinel, device=DEV).to(c.dtype).permute(0, 2, 1, 3)
        else:
            qo = torch.full((B, S, c.nq, Wo), sentinel, device=DEV).to(c.dtype)
            ko = torch.full((B, S, c.nk, Wo), sentinel, device=DEV).to(c.dtype)
        q_out, k_out = qo[..., :hd], ko[..., :hd]
        outs = [qo, ko]
        orig_outs = [qo.clone(), ko.clone()]
        q_orig, k_orig = q_in.clone(), k_in.clone()

    # a tensor without heads is passed as the ABI allows: no pointer, and (below) no norm weight
    if c.nq > 0:
        a.q, a.q_out = q_in.data_ptr(), q_out.data_ptr()
        a.q_stride, a.q_out_stride = I64x3(*q_in.stride()[:3]), I64x3(*q_out.stride()[:3])
    if c.nk > 0:
        a.k, a.k_out = k_in.data_ptr(), k_out.data_ptr()
        a.k_stride, a.k_out_stride = I64x3(*k_in.stride()[:3]), I64x3(*k_out.stride()[:3])

    weights, biases = {}, {}
    if c.layer:
        heads = {"q": c.nq, "k": c.nk}
        shape = (lambda h: (heads[h], hd)) if c.per_head else (lambda h: (hd,))
        weights = {h: (1.0 + 0.25 * torch.randn(shape(h), device=DEV)).to(wdtype) for h in ("q", "k")}
        a.q_weight, a.k_weight = weights["q"].data_ptr(), weights["k"].data_ptr()
        a.weight_head_stride = hd if c.per_head else 0
        if c.bias:
            biases = {h: (0.5 * torch.randn(shape(h), device=DEV)).to(wdtype) for h in ("q", "k")}
            a.q_bias, a.k_bias = biases["q"].data_ptr(), biases["k"].data_ptr()
            a.bias_head_stride = hd if c.per_head else 0
    elif c.has_norm:
        base = 0.0 if c.w_offset else 1.0  # Gemma weights sit around 0, plain ones around 1
        weights = {h: (base + 0.25 * torch.randn(hd, device=DEV)).to(wdtype) for h in ("q", "k")}
        a.q_weight = weights["q"].data_ptr() if c.nq > 0 else None
        a.k_weight = weights["k"].data_ptr() if c.nk > 0 else None

    status = torch.zeros(1, dtype=torch.int32, device=DEV)
    a.status = status.data_ptr()
    cos_e = sin_e = None
    bad = torch.zeros(N, dtype=torch.bool, device=DEV)
    if c.rot > 0:
        pos64, bad = make_positions(c, a, keep)
        cos_e, sin_e = make_angles(c, a, pos64, keep)

    x_q, x_k = q_in.double().reshape(N, c.nq, hd), k_in.double().reshape(N, c.nk, hd)
    sync()
    rc = getattr(lib, "gf_" + c.op)(ctypes.byref(a), stream)
    rc2 = lib.gf_stream_synchronize(stream)
    if rc != 0 or rc2 != 0:
        return False, f"launch {err_text(lib, rc)}, sync {err_text(lib, rc2)}", None, None

    notes = []
    ok = True
    want_status = GF_ERR_POSITION_RANGE if c.bad_tokens else 0
    got_status = status.item()
    if got_status != want_status:
        ok = False
        notes.append(f"status {got_status} != {want_status}")

    worst, ulps = 0.0, 0.0
    good = ~bad
    for name, x64, out_t in (("q", x_q, q_out), ("k", x_k, k_out)):
        if x64.shape[1] == 0:
            continue
        w64 = weights[name].double() if c.has_norm else None
        b64 = biases[name].double() if name in biases else None
        ref, scale = reference_heads(c, x64, w64, cos_e, sin_e, b64)
        got = out_t.double().reshape(N, -1, hd)
        o_ok, o_worst, o_ulps = judge(got[good], ref[good], scale[good], c.dtype)
        worst, ulps = max(worst, o_worst), max(ulps, o_ulps)
        if not o_ok:
            ok = False
            notes.append(f"{name} out of tolerance (err/bound {o_worst:.3g})")
        if not c.has_norm and c.rot < hd:
            passthrough = out_t[..., c.rot:].reshape(N, -1, hd - c.rot)[good]
            src = (q_orig if name == "q" else k_orig) if c.layout == "split" else None
            if src is None:
                src_view = torch.as_strided(orig, out_t.shape, out_t.stride(), out_t.storage_offset())
            else:
                src_view = src
            if not torch.equal(passthrough, src_view[..., c.rot:].reshape(N, -1, hd - c.rot)[good]):
                ok = False
                notes.append(f"{name} pass-through dims changed")

    # memory the kernel must not touch
    if c.layout == "qkv":
        qk = (c.nq + c.nk) * hd
        b2, o2 = buf.reshape(N, -1), orig.reshape(N, -1)
        if not torch.equal(b2[:, qk:], o2[:, qk:]):
            ok = False
            notes.append("V or row padding changed")
        if c.bad_tokens and not torch.equal(b2[bad, :qk], o2[bad, :qk]):
            ok = False
            notes.append("a token with a bad position was written")
    else:
        for t, o, out_t in zip(outs, orig_outs, (q_out, k_out)):
            if c.pad and not torch.equal(t[..., c.hd:], o[..., c.hd:]):
                ok = False
                notes.append("output row padding changed")
            if c.bad_tokens and not torch.equal(t.reshape(N, -1)[bad], o.reshape(N, -1)[bad]):
                ok = False
                notes.append("a token with a bad position was written")
    return ok, "; ".join(notes), worst, ulps


def rope_cases():
    Q8 = dict(nq=32, nk=8, nv=8)  # Qwen3-8B attention
    C = RopeCase
    bf, f16, f32_ = torch.bfloat16, torch.float16, torch.float32
    return [
        C("qknorm bf16 hd128 T7", "qk_norm", rot=0, small=True),
        C("qknorm f16 hd64 w-f32 T4097", "qk_norm", dtype=f16, wdtype=f32_, hd=64, rot=0, seq=4097),
        C("qknorm f32 hd256 w-bf16 gemma T1 split", "qk_norm", dtype=f32_, wdtype=bf, hd=256, rot=0, seq=1,
          w_offset=1.0, layout="split", pad=8),
        C("qknormrope bf16 hd128 neox Qwen3-8B T4097", "qk_norm_rope", seq=4097, **Q8),
        C("qknormrope bf16 hd128 gptj T7", "qk_norm_rope", gptj=True, small=True),
        C("qknormrope f16 hd64 bf16-table i32 T4097", "qk_norm_rope", dtype=f16, hd=64, rot=64, tdtype=bf,
          pdtype=torch.int32, seq=4097),
        C("qknormrope f32 hd256 full-table split T7", "qk_norm_rope", dtype=f32_, hd=256, rot=256,
          full_table=True, layout="split", pad=16),
        C("qknormrope bf16 hd128 rot64 neox T7", "qk_norm_rope", rot=64),
        C("qknormrope bf16 hd128 rot36 neox T7", "qk_norm_rope", rot=36, small=True),
        C("qknormrope bf16 hd256 rot100 pad24 T4097", "qk_norm_rope", hd=256, rot=100, pad=24, seq=4097),
        C("qknormrope bf16 hd64 rot22 gptj f16-full T7", "qk_norm_rope", hd=64, rot=22, gptj=True,
          tdtype=f16, full_table=True, small=True),
        C("qknormrope bf16 hd128 invfreq T4097", "qk_norm_rope", source="inv_freq", seq=4097),
        C("qknormrope f32 hd128 rot64 gptj invfreq*0.75 nobound T7", "qk_norm_rope", dtype=f32_, rot=64,
          gptj=True, source="inv_freq", scaling=0.75, bound=0, small=True),
        C("qknormrope bf16 hd128 token-table B2 split", "qk_norm_rope", pos_rows=0, batch=2, layout="split"),
        C("qknormrope bf16 hd64 bcast-table B3S5", "qk_norm_rope", hd=64, rot=64, pos_rows=0, batch=3, seq=5,
          table_bcast=True),
        C("qknormrope bf16 hd128 B2 i32 tokens-pos gemma", "qk_norm_rope", batch=2, pdtype=torch.int32,
          pos_layout="tokens", w_offset=1.0),
        C("qknormrope bf16 hd128 bad-pos T7", "qk_norm_rope", bad_tokens=3, small=True),
        C("qknormrope f16 hd64 bad-pos split T7", "qk_norm_rope", dtype=f16, hd=64, rot=64, bad_tokens=2,
          layout="split", pad=8),
        C("qknormmrope bf16 hd128 [24,20,20] il T4097", "qk_norm_mrope", pos_rows=3, section=(24, 20, 20),
          nq=16, nk=4, nv=4, seq=4097),
        C("qknormmrope bf16 hd128 [16,24,24] chunked T7", "qk_norm_mrope", pos_rows=3, section=(16, 24, 24),
          mrope_interleaved=False, small=True),
        C("qknormmrope f16 hd128 [24,20,20] chunked full-bf16 i32 T7", "qk_norm_mrope", dtype=f16, pos_rows=3,
          section=(24, 20, 20), mrope_interleaved=False, tdtype=bf, full_table=True, pdtype=torch.int32,
          pos_layout="tokens"),
        C("qknormmrope bf16 hd256 rot64 [11,11,10] gemma T4097", "qk_norm_mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), w_offset=1.0, nq=16, nk=4, nv=4, seq=4097),
        C("qknormmrope f32 hd128 invfreq [24,20,20] il T7", "qk_norm_mrope", dtype=f32_, pos_rows=3,
          section=(24, 20, 20), source="inv_freq"),
        C("qknormmrope bf16 hd128 1-row pos T7", "qk_norm_mrope", pos_rows=1),
        C("qknormmrope bf16 hd128 bad H-row T7", "qk_norm_mrope", pos_rows=3, section=(24, 20, 20),
          bad_tokens=2, bad_axis=1, small=True),
        C("qknormmrope bf16 hd128 bad W-row B2", "qk_norm_mrope", pos_rows=3, section=(24, 20, 20),
          bad_tokens=1, bad_axis=2, batch=2),
        C("mrope bf16 hd256 rot64 [11,11,10] Qwen3.5 T4097", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=4097),
        C("mrope f32 hd128 [16,24,24] chunked split T7", "mrope", dtype=f32_, pos_rows=3, section=(16, 24, 24),
          mrope_interleaved=False, layout="split", pad=4),
        C("mrope f16 hd64 [8,12,12] gptj invfreq T7", "mrope", dtype=f16, hd=64, rot=64, gptj=True, pos_rows=3,
          section=(8, 12, 12), source="inv_freq", small=True),
        C("rope bf16 hd128 q-only split T4097", "rope", nk=0, layout="split", seq=4097),
        C("rope f16 hd256 rot128 gptj full T7", "rope", dtype=f16, hd=256, rot=128, gptj=True, full_table=True),
        C("rope f32 hd64 rot16 i32 T1", "rope", dtype=f32_, hd=64, rot=16, pdtype=torch.int32, seq=1),
        C("rope bf16 hd128 invfreq T1", "rope", source="inv_freq", seq=1),
        C("rope bf16 hd128 rot2 T7", "rope", rot=2),
        # QkLayerNormRope (gf_qk_norm_rope with GF_NORM_LAYER, always the general kernel): Cohere's per-head
        # weights with gpt-j pairs over a full-width table; Chameleon's per-head weights and biases on inputs
        # centred far from 0 (the two-pass variance); shared [hd] weights and biases, partial rotary, separate
        # outputs; a head narrower than a warp (idle lanes must not enter the mean)
        C("qklayernormrope bf16 hd128 per-head gptj full-table T7", "qk_norm_rope", layer=True, per_head=True,
          gptj=True, full_table=True, eps=1e-5, small=True),
        C("qklayernormrope f16 hd64 per-head bias mean20 T4097", "qk_norm_rope", layer=True, per_head=True,
          bias=True, dtype=f16, hd=64, rot=64, x_mean=20.0, eps=1e-5, seq=4097),
        C("qklayernormrope f32 hd80 rot32 shared bias split T7", "qk_norm_rope", layer=True, bias=True,
          dtype=f32_, hd=80, rot=32, layout="split", pad=8),
        C("qklayernormrope bf16 hd256 shared w-f32 B2 S33", "qk_norm_rope", layer=True, wdtype=f32_, hd=256,
          rot=256, batch=2, seq=33, **Q8),
        C("qklayernormrope bf16 hd16 per-head bias T7", "qk_norm_rope", layer=True, per_head=True, bias=True,
          hd=16, rot=16, small=True),
        # head sizes without a specialised kernel (the general one, any head_dim up to 512): Phi's 80 with
        # partial neox, GPT-NeoX's 96 gpt-j, a test model's 16, a 320-wide MRoPE head, in place without a norm
        C("qknormrope bf16 hd80 rot32 T4097", "qk_norm_rope", hd=80, rot=32, seq=4097),
        C("qknormrope f16 hd96 rot96 gptj full T7", "qk_norm_rope", dtype=f16, hd=96, rot=96, gptj=True,
          full_table=True, small=True),
        C("qknorm f32 hd16 T7", "qk_norm", dtype=f32_, hd=16, rot=0, small=True),
        C("rope bf16 hd16 rot16 B2 S33", "rope", hd=16, rot=16, batch=2, seq=33),
        C("mrope bf16 hd320 rot64 [11,11,10] split T7", "mrope", hd=320, rot=64, pos_rows=3, section=(11, 11, 10),
          layout="split", small=True),
        # the split-lane path: idle lanes of a partial step, several batches, decode items of a few steps,
        # gpt-j pairs inside a lane, the rot-only width of an in-place MRoPE at head_dim 128
        C("qknormrope bf16 hd128 5+3 heads B3 S700", "qk_norm_rope", nq=5, nk=3, nv=1, batch=3, seq=700),
        C("qknormrope f16 hd64 gptj 7+1 heads T33", "qk_norm_rope", dtype=f16, hd=64, rot=64, gptj=True, nq=7,
          nk=1, nv=1, seq=33),
        C("qknorm bf16 hd256 3+1 heads B32 S1", "qk_norm", hd=256, rot=0, nq=3, nk=1, nv=1, batch=32, seq=1),
        # outputs transposed to [B, H, S, D] (QkNorm / QkNormRope with perm [0, 2, 1, 3]: EXAONE 4's NoPE layers,
        # every Hugging Face layout) at decode, mid and prefill sizes
        C("qknorm bf16 hd128 heads-major B2 S3", "qk_norm", rot=0, batch=2, seq=3, layout="split", heads_major=True,
          small=True),
        C("qknorm f16 hd64 heads-major pad8 T3000", "qk_norm", dtype=f16, hd=64, rot=0, seq=3000, layout="split",
          pad=8, heads_major=True, **Q8),
        C("qknorm bf16 hd128 heads-major gemma T20000", "qk_norm", rot=0, seq=20000, w_offset=1.0, layout="split",
          heads_major=True, **Q8),
        C("qknormrope bf16 hd128 heads-major B2 S9", "qk_norm_rope", batch=2, seq=9, layout="split",
          heads_major=True, small=True),
        C("qknormrope bf16 hd256 rot64 heads-major T5000", "qk_norm_rope", hd=256, rot=64, seq=5000, layout="split",
          heads_major=True),
        C("mrope bf16 hd128 rot64 [11,11,10] 5+1 heads T300", "mrope", hd=128, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=5, nk=1, nv=1, seq=300),
        C("rope bf16 hd128 invfreq q-only B2 S2049", "rope", source="inv_freq", nk=0, batch=2, seq=2049),
        C("qknormrope bf16 hd128 full-table i32 B2 S3000", "qk_norm_rope", full_table=True, pdtype=torch.int32,
          batch=2, seq=3000, **Q8),
        # many tokens: whole-token items, then the grid's last tokens split into shorter items (the tail)
        C("qknormmrope bf16 hd128 [24,20,20] il bad-pos B3 S3001", "qk_norm_mrope", pos_rows=3,
          section=(24, 20, 20), bad_tokens=40, batch=3, seq=3001, **Q8),
        C("mrope bf16 hd256 rot64 [11,11,10] Qwen3.5 bad-pos T9001", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=9001, bad_tokens=30),
        C("qknorm bf16 hd128 Qwen3-8B T12001", "qk_norm", rot=0, seq=12001, **Q8),
        # the row kernel (a norm without a rotation, more than kRowsMinItems heads, rope_rows.cuh): a warp's rows
        # across tokens and batch entries (4 heads a token), Q alone with fp32 weights and Gemma's offset, out
        # of place into padded rows at 64 and 256 (16-byte aligned: pad 8; pad 4 leaves hd64 to the split
        # kernel), an access of 4 rows over tokens of 2 heads, accesses of 2 rows over tokens of 3 + 3, and
        # launches whose last access is part of a warp's
        C("qknorm bf16 hd256 3+1 heads B5 S701 rows", "qk_norm", hd=256, rot=0, nq=3, nk=1, nv=1, batch=5, seq=701),
        C("qknorm f16 hd64 q-only w-f32 gemma B3 S1001 rows", "qk_norm", dtype=f16, wdtype=f32_, hd=64, rot=0,
          nq=32, nk=0, nv=8, batch=3, seq=1001, w_offset=1.0),
        # K heads alone, without a Q weight (the ABI allows both to be absent): the row, split and decode kernels
        C("qknorm bf16 hd128 k-only B2 S2000 rows", "qk_norm", rot=0, nq=0, nk=8, nv=8, batch=2, seq=2000),
        C("qknormrope bf16 hd128 k-only T4097", "qk_norm_rope", nq=0, nk=8, nv=8, seq=4097),
        C("qknormrope bf16 hd128 k-only T3", "qk_norm_rope", nq=0, nk=8, nv=8, seq=3, small=True),
        C("qknorm bf16 hd64 out of place pad4 T3001 rows", "qk_norm", hd=64, rot=0, nq=8, nk=2, nv=2, seq=3001,
          layout="split", pad=4),
        C("qknorm bf16 hd64 out of place pad8 T3001 rows", "qk_norm", hd=64, rot=0, nq=8, nk=2, nv=2, seq=3001,
          layout="split", pad=8),
        C("qknorm bf16 hd64 1+1 heads T6001 rows", "qk_norm", hd=64, rot=0, nq=1, nk=1, nv=1, seq=6001, small=True),
        C("qknorm f16 hd128 3+3 heads B3 S667 rows", "qk_norm", dtype=f16, rot=0, nq=3, nk=3, nv=1, batch=3,
          seq=667, small=True),
        C("qknorm f16 hd256 out of place pad8 B2 S1500 rows", "qk_norm", dtype=f16, hd=256, rot=0, nq=6, nk=2,
          nv=2, batch=2, seq=1500, layout="split", pad=8),
        # out of place, a rotation on part of the head and no norm: the split kernel on the rotary dims and
        # the pass-through copy of the rest, or, built with GF_WIDE_KERNEL=1, the wide-lane kernel (rotating
        # and copying lanes in one access); a padded stride that breaks 16-byte units takes the other paths
        C("mrope bf16 hd256 rot64 [11,11,10] Qwen3.5 out of place T4097", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=4097, layout="split"),
        C("mrope f16 hd128 rot64 [11,11,10] out of place pad4 bad-pos T2001", "mrope", dtype=f16, hd=128, rot=64,
          pos_rows=3, section=(11, 11, 10), nq=8, nk=2, nv=2, seq=2001, layout="split", pad=4, bad_tokens=5),
        C("rope bf16 hd128 rot64 out of place B2 S1500", "rope", rot=64, batch=2, seq=1500, layout="split"),
        # the wide-lane kernel's other forms: decode (a step per warp), partners 3 lanes apart (rot 48), gpt-j
        # pairs over a half-width table, inv_freq, a 16-bit table, partial steps of 4 heads, bad positions
        C("mrope bf16 hd256 rot64 [11,11,10] Qwen3.5 out of place T1", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=1, layout="split", small=True),
        C("rope bf16 hd128 rot48 out of place T33", "rope", rot=48, seq=33, layout="split", small=True),
        C("rope f16 hd128 rot32 gptj out of place B2 S65", "rope", dtype=f16, rot=32, gptj=True, batch=2, seq=65,
          layout="split"),
        C("mrope bf16 hd256 rot64 [11,11,10] invfreq out of place T300", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=300, source="inv_freq", layout="split"),
        C("rope bf16 hd128 rot64 bf16-table full out of place T40", "rope", rot=64, tdtype=bf, full_table=True,
          seq=40, layout="split"),
        C("rope bf16 hd64 rot32 5+3 heads out of place bad-pos T3001", "rope", hd=64, rot=32, nq=5, nk=3, nv=1,
          seq=3001, layout="split", bad_tokens=20),
        # whole tokens with the split ends (config.h, kWideTailPct; rope_items.cuh): batch entries and bad
        # positions among the split tokens
        C("mrope bf16 hd256 rot64 [11,11,10] out of place bad-pos B3 S2001", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, batch=3, seq=2001, layout="split", bad_tokens=25),
        # the decode kernel (at most kDecodeMaxItems (token, head) items, rope_decode.cuh): an fp32 table read
        # per MRoPE row in place, gpt-j pairs over a half-width MRoPE table, inv_freq MRoPE rows with a norm
        # out of place, a bad position on the H row at decode, the Qwen3.5 shape with a bf16 table, the split
        # lane layout (64 rotary dims) out of place into padded rows with bad positions
        C("mrope bf16 hd256 rot64 [11,11,10] Qwen3.5 decode in place T3", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), nq=16, nk=4, nv=4, seq=3, small=True),
        C("mrope f16 hd128 [16,24,24] gptj half-table decode B2 S3", "mrope", dtype=f16, pos_rows=3,
          section=(16, 24, 24), gptj=True, batch=2, seq=3, small=True),
        C("qknormmrope bf16 hd256 rot64 [11,11,10] invfreq out of place decode T2", "qk_norm_mrope", hd=256, rot=64,
          pos_rows=3, section=(11, 11, 10), source="inv_freq", nq=16, nk=4, nv=4, seq=2, layout="split"),
        C("qknormmrope bf16 hd128 [24,20,20] bad H-row decode T1", "qk_norm_mrope", pos_rows=3, section=(24, 20, 20),
          bad_tokens=1, bad_axis=1, seq=1, small=True),
        C("mrope bf16 hd256 rot64 [11,11,10] bf16-table out of place decode T32", "mrope", hd=256, rot=64, pos_rows=3,
          section=(11, 11, 10), tdtype=bf, nq=16, nk=4, nv=4, seq=32, layout="split"),
        C("mrope f16 hd128 rot64 [11,11,10] out of place pad4 bad-pos decode T5", "mrope", dtype=f16, hd=128, rot=64,
          pos_rows=3, section=(11, 11, 10), seq=5, layout="split", pad=4, bad_tokens=2, small=True),
    ]


# ---------------------------------------------------------------------------------------------------
# norm family


@dataclasses.dataclass
class NormCase:
    name: str
    op: str  # rms_norm, gemma_rms_norm, rms_norm_gated
    dtype: torch.dtype = torch.bfloat16
    out_dtype: torch.dtype = None  # default: dtype
    wdtype: torch.dtype = None  # default: dtype
    rows: int = 7
    n: int = 128
    x_pad: int = 0
    out_pad: int = 0
    in_place: bool = False
    eps: float = 1e-6
    small: bool = False


def run_norm_case(lib, c, stream):
    out_dtype, wdtype = c.out_dtype or c.dtype, c.wdtype or c.dtype
    gated = c.op == "rms_norm_gated"
    offset = 1.0 if c.op == "gemma_rms_norm" else 0.0
    R, n = c.rows, c.n
    sentinel = 1234.5
    # x and z share one [R, 2n + pad] buffer, as a per-head [x | gate] projection would
    xs = 2 * n + c.x_pad
    xz = (torch.randn(R, xs, device=DEV) * 3).to(c.dtype)
    x, z = xz[:, :n], xz[:, n:2 * n]
    w = ((0.0 if offset else 1.0) + 0.25 * torch.randn(n, device=DEV)).to(wdtype)
    if c.in_place:
        out_buf, out = xz, x
    else:
        out_buf = torch.full((R, n + c.out_pad), sentinel, device=DEV).to(out_dtype)
        out = out_buf[:, :n]
    before = out_buf.clone()
    x64, z64 = x.double(), z.double()

    a = NormArgs()
    a.struct_size = ctypes.sizeof(NormArgs)
    a.dtype, a.out_dtype, a.weight_dtype = GF_DTYPE[c.dtype], GF_DTYPE[out_dtype], GF_DTYPE[wdtype]
    a.gated, a.rows, a.n, a.epsilon, a.weight_offset = int(gated), R, n, c.eps, offset
    a.x, a.out, a.weight = x.data_ptr(), out.data_ptr(), w.data_ptr()
    a.x_row_stride, a.out_row_stride = x.stride(0), out.stride(0)
    if gated:
        a.z, a.z_row_stride = z.data_ptr(), z.stride(0)
    sync()
    rc = getattr(lib, "gf_" + c.op)(ctypes.byref(a), stream)
    rc2 = lib.gf_stream_synchronize(stream)
    if rc != 0 or rc2 != 0:
        return False, f"launch {err_text(lib, rc)}, sync {err_text(lib, rc2)}", None, None

    r = 1.0 / torch.sqrt((x64 * x64).mean(-1, keepdim=True) + f32(c.eps))
    ref = x64 * r * (w.double() + offset)
    if gated:
        ref = ref * (z64 * torch.sigmoid(z64))
    ok, worst, ulps = judge(out.double(), ref, ref.abs(), out_dtype)
    notes = [] if ok else [f"out of tolerance (err/bound {worst:.3g})"]
    if c.in_place:
        if not torch.equal(xz[:, n:], before[:, n:]):
            ok = False
            notes.append("gate / padding changed")
    elif c.out_pad and not torch.equal(out_buf[:, n:], before[:, n:]):
        ok = False
        notes.append("output row padding changed")
    return ok, "; ".join(notes), worst, ulps


def norm_cases():
    C = NormCase
    bf, f16, f32_ = torch.bfloat16, torch.float16, torch.float32
    return [
        C("rms bf16 n128 R4097", "rms_norm", rows=4097),
        C("rms f32->bf16 w-f32 n4096 R7", "rms_norm", dtype=f32_, out_dtype=bf, wdtype=f32_, n=4096),
        C("rms f16 n1000 padded R33", "rms_norm", dtype=f16, n=1000, rows=33, x_pad=24, out_pad=8, small=True),
        C("rms bf16 in place n2048 R9", "rms_norm", n=2048, rows=9, in_place=True),
        C("rms bf16 n1 R1", "rms_norm", n=1, rows=1),
        C("gemma bf16 n256 R4097", "gemma_rms_norm", n=256, rows=4097),
        C("gemma f16->f32 w-f32 n1025 R7", "gemma_rms_norm", dtype=f16, out_dtype=f32_, wdtype=f32_, n=1025,
          small=True),
        C("gated bf16 n128 R4097", "rms_norm_gated", rows=4097),
        C("gated f32 n4096 R5", "rms_norm_gated", dtype=f32_, n=4096, rows=5),
        C("gated f16->bf16 n1024 R1", "rms_norm_gated", dtype=f16, out_dtype=bf, n=1024, rows=1, small=True),
        C("gated bf16 in place n128 R7", "rms_norm_gated", in_place=True),
        # the decode kernel (at most kNormDecodeRows rows of 64, 128 or 256): fp32 weights over padded f16 rows,
        # Gemma's offset at 256, the gate over padded f16 rows
        C("rms f16 n64 w-f32 padded R33 decode", "rms_norm", dtype=f16, wdtype=f32_, n=64, rows=33, x_pad=8,
          out_pad=8, small=True),
        C("gemma bf16 n256 R40 decode", "gemma_rms_norm", n=256, rows=40, small=True),
        C("gated f16 n128 padded R32 decode", "rms_norm_gated", dtype=f16, rows=32, x_pad=16, out_pad=4),
    ]


# ---------------------------------------------------------------------------------------------------
# library, device and memory entry points


def check_api(lib, stream):
    notes = []
    if lib.gf_abi_version() != GF_ABI_VERSION:
        notes.append(f"abi {lib.gf_abi_version()}")
    if lib.gf_args_size(1) != ctypes.sizeof(RopeArgs) or lib.gf_args_size(2) != ctypes.sizeof(NormArgs):
        notes.append(f"struct sizes {lib.gf_args_size(1)}/{lib.gf_args_size(2)} vs ctypes "
                     f"{ctypes.sizeof(RopeArgs)}/{ctypes.sizeof(NormArgs)}")
    n = ctypes.c_int(-1)
    rc = lib.gf_device_count(ctypes.byref(n))
    if rc != 0 or (DEV == "cuda" and n.value != torch.cuda.device_count()):
        notes.append(f"device count {err_text(lib, rc)} n {n.value}")
    if lib.gf_set_device(0) != 0:
        notes.append("gf_set_device(0)")
    size = 4096
    src = (ctypes.c_uint8 * size)(*[(i * 37 + 11) % 256 for i in range(size)])
    back = (ctypes.c_uint8 * size)()
    p, q = ctypes.c_void_p(), ctypes.c_void_p()
    rcs = [lib.gf_malloc(ctypes.byref(p), size), lib.gf_malloc(ctypes.byref(q), size)]
    if rcs == [0, 0]:
        rcs += [lib.gf_memcpy_h2d(p, src, size, stream), lib.gf_memcpy_d2d(q, p, size, stream),
                lib.gf_memset(p, 0x5A, 100, stream), lib.gf_memcpy_d2h(back, q, size, stream),
                lib.gf_stream_synchronize(stream)]
        if bytes(back) != bytes(src):
            notes.append("h2d/d2d/d2h round trip differs")
        rcs += [lib.gf_memcpy_d2h(back, p, size, stream), lib.gf_stream_synchronize(stream)]
        if bytes(back[:100]) != b"\x5a" * 100 or bytes(back[100:]) != bytes(src[100:]):
            notes.append("gf_memset result differs")
        rcs += [lib.gf_free(p), lib.gf_free(q)]
    if any(rcs):
        notes.append(f"memory calls returned {rcs}")
    return not notes, "; ".join(notes)


def check_dependent_launch(lib, stream, rounds=4):
    """Kernels launch with programmatic dependent launch (launch.cuh): the second of two back-to-back
    launches may be placed while the first still runs, and must still read what the first wrote. Here the
    first (QkNormRope over T tokens) writes the last tokens last and the second (QkNorm over just those) is
    small enough to be placed at once: its results, with no synchronisation between the launches, must be
    bitwise those of the two launches run one at a time. Checked on our stream and on the legacy NULL
    stream (what a caller without a stream of its own uses). Its negative control: a library built with
    -DGF_PDL_NO_WAIT (runtime/native/src/config.h: the kernels skip griddepcontrol.wait) must fail it."""
    T, tail, hd = 32768, 64, 128
    W = 48 * hd
    keep = []
    c = RopeCase("chain", "qk_norm_rope", nq=32, nk=8, nv=8, seq=T)
    w = (1.0 + 0.25 * torch.randn(hd, device=DEV)).to(torch.bfloat16)
    status = torch.zeros(1, dtype=torch.int32, device=DEV)

    def args(buf, first, n, rope, angles_of=None):
        """QkNormRope (rope) or QkNorm over tokens [first, first + n) of buf; angles_of: args whose
        positions and table to share"""
        if angles_of is not None:
            a = RopeArgs.from_buffer_copy(angles_of)
            a.q = a.q_out = buf.data_ptr() + first * W * 2
            a.k = a.k_out = a.q + 32 * hd * 2
            return a
        a = RopeArgs()
        a.struct_size = ctypes.sizeof(RopeArgs)
        a.dtype = a.weight_dtype = GF_DTYPE[torch.bfloat16]
        a.batch, a.seq, a.num_q_heads, a.num_k_heads, a.head_dim = 1, n, 32, 8, hd
        a.has_norm, a.epsilon = 1, 1e-6
        a.q = a.q_out = buf.data_ptr() + first * W * 2
        a.k = a.k_out = a.q + 32 * hd * 2
        a.q_stride = a.q_out_stride = a.k_stride = a.k_out_stride = I64x3(n * W, W, hd)
        a.q_weight = a.k_weight = w.data_ptr()
        a.status = status.data_ptr()
        if rope:
            a.rotary_dim = hd
            pos, _ = make_positions(c, a, keep)
            make_angles(c, a, pos, keep)
        return a

    notes = []
    for where, s in (("our stream", stream), ("NULL stream", None)):
        for r in range(rounds):
            x = (torch.randn(T * W, device=DEV) * 3).to(torch.bfloat16)
            serial, chained = x.clone(), x.clone()
            a1s, a2s = args(serial, 0, T, True), args(serial, T - tail, tail, False)
            a1c, a2c = args(chained, 0, T, True, angles_of=a1s), args(chained, T - tail, tail, False)
            torch.cuda.synchronize()
            rcs = [lib.gf_qk_norm_rope(ctypes.byref(a1s), s), lib.gf_stream_synchronize(s),
                   lib.gf_qk_norm(ctypes.byref(a2s), s), lib.gf_stream_synchronize(s),
                   lib.gf_qk_norm_rope(ctypes.byref(a1c), s), lib.gf_qk_norm(ctypes.byref(a2c), s),
                   lib.gf_stream_synchronize(s)]
            if any(rcs):
                notes.append(f"{where}: calls returned {rcs}")
                break
            if not torch.equal(serial.view(torch.int16), chained.view(torch.int16)):
                bad = (serial.view(torch.int16) != chained.view(torch.int16)).reshape(T, W).any(1)
                notes.append(f"{where}, round {r}: {int(bad.sum())} tokens differ when chained "
                             f"(first {int(bad.nonzero()[0])})")
                break
        if status.item() != 0:
            notes.append(f"status {status.item()}")
    return not notes, "; ".join(notes)


# ---------------------------------------------------------------------------------------------------
# rough timing (information only: the performance work is a later issue)


def time_qk_norm_rope(lib, T, iters=20):
    c = RopeCase("timing", "qk_norm_rope", nq=32, nk=8, nv=8, seq=T)
    W, hd = 48 * 128, 128
    buf = torch.randn(T * W, device=DEV).to(torch.bfloat16)
    keep = []
    a = RopeArgs()
    a.struct_size = ctypes.sizeof(RopeArgs)
    a.dtype = a.weight_dtype = GF_DTYPE[torch.bfloat16]
    a.batch, a.seq, a.num_q_heads, a.num_k_heads, a.head_dim = 1, T, 32, 8, hd
    a.rotary_dim, a.has_norm, a.epsilon = hd, 1, 1e-6
    a.q = a.q_out = buf.data_ptr()
    a.k = a.k_out = buf.data_ptr() + 32 * hd * 2
    a.q_stride = a.q_out_stride = a.k_stride = a.k_out_stride = I64x3(T * W, W, hd)
    w = torch.ones(hd, device=DEV, dtype=torch.bfloat16)
    a.q_weight = a.k_weight = w.data_ptr()
    status = torch.zeros(1, dtype=torch.int32, device=DEV)
    a.status = status.data_ptr()
    pos, _ = make_positions(c, a, keep)
    make_angles(c, a, pos, keep)
    torch.cuda.synchronize()
    for _ in range(3):
        lib.gf_qk_norm_rope(ctypes.byref(a), None)
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()  # torch's default stream is the legacy NULL stream, which the launches below use too
    for _ in range(iters):
        lib.gf_qk_norm_rope(ctypes.byref(a), None)
    end.record()
    torch.cuda.synchronize()
    us = start.elapsed_time(end) * 1000 / iters
    bytes_moved = T * (2 * 40 * hd * 2 + 8 + 128 * 4)  # Q+K read and written, position, fp32 cos|sin row
    return us, bytes_moved / us / 1e6  # TB/s


# ---------------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--small", action="store_true", help="only the small cases (for compute-sanitizer)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--no-timing", action="store_true")
    ap.add_argument("--only", default=None, help="only cases whose name contains this text")
    opts = ap.parse_args()
    seed = opts.seed if opts.seed is not None else int(time.time()) % 100000
    torch.manual_seed(seed)
    if DEV == "cuda":
        torch.cuda.init()
        torch.zeros(1, device=DEV)  # the primary context exists before the library's own runtime attaches
    lib = load_lib(opts.lib)
    where = torch.cuda.get_device_name(0) if DEV == "cuda" else "host emulation (harness self-test)"
    print(f"library {opts.lib}, seed {seed}, torch {torch.__version__}, {where}")

    stream = ctypes.c_void_p()
    rc = lib.gf_stream_create(ctypes.byref(stream))
    if rc != 0:
        print(f"FAIL gf_stream_create: {err_text(lib, rc)}")
        return 1

    results = []  # (name, ok, worst err/bound, worst ulps, notes)
    ok, notes = check_api(lib, stream)
    results.append(("api: version, sizes, device, memory, stream", ok, None, None, notes))
    if DEV == "cuda" and not opts.small and not opts.only:
        ok, notes = check_dependent_launch(lib, stream)
        results.append(("dependent launch: the second of two chained kernels reads the first's writes", ok,
                        None, None, notes))
    for c in rope_cases():
        if (opts.small and not c.small) or (opts.only and opts.only not in c.name):
            continue
        try:
            ok, notes, worst, ulps = run_rope_case(lib, c, stream)
        except Exception as e:  # a broken case must not hide the others
            ok, notes, worst, ulps = False, f"exception {type(e).__name__}: {e}", None, None
        results.append((f"{c.op}: {c.name}", ok, worst, ulps, notes))
    for c in norm_cases():
        if (opts.small and not c.small) or (opts.only and opts.only not in c.name):
            continue
        try:
            ok, notes, worst, ulps = run_norm_case(lib, c, stream)
        except Exception as e:
            ok, notes, worst, ulps = False, f"exception {type(e).__name__}: {e}", None, None
        results.append((f"{c.op}: {c.name}", ok, worst, ulps, notes))
    lib.gf_stream_destroy(stream)

    width = max(len(r[0]) for r in results)
    print()
    print(f"{'case':<{width}}  result  err/bound  ulps@scale  notes")
    print("-" * (width + 50))
    for name, ok, worst, ulps, notes in results:
        w = "" if worst is None else f"{worst:9.3g}"
        u = "" if ulps is None else f"{ulps:10.3g}"
        print(f"{name:<{width}}  {'PASS' if ok else 'FAIL':<6}  {w:>9}  {u:>10}  {notes}")
    failed = sum(1 for r in results if not r[1])
    print("-" * (width + 50))
    print(f"{len(results) - failed} passed, {failed} failed (tolerance: fp32 {RTOL:g}*scale; bf16/f16 1 ulp + "
          f"{RTOL:g}*scale; err/bound <= 1 passes)")

    if DEV == "cuda" and not opts.small and not opts.no_timing and failed == 0:
        print("\nrough timing, QkNormRope bf16 in place, Qwen3-8B shapes (information only):")
        for T in (1, 4096, 65536):
            us, tbs = time_qk_norm_rope(lib, T)
            print(f"  T {T:6d}: {us:9.2f} us  {tbs:6.3f} TB/s effective")
    print("GPU KERNEL CHECK:", "PASS" if failed == 0 else "FAIL")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
