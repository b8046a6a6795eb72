#!/usr/bin/env python3
"""GPU performance harness (issue 6): graphfuse's fused kernels against torch eager and torch.compile of the
unfused reference, on the H200. Python runs only on the GPU machine, never in the build or CI.

For every op and every T it times, as CUDA-graph replays (device time only, no host dispatch):
  ours      one gf_* call per iteration, through ctypes, on torch's capture stream
  eager     the unfused torch reference (fp32 math, one cast back, results written back in place)
  compiled  torch.compile of the same function
Each graph holds N calls over N different input buffers (N >= --min-calls, default 8, and enough that the
buffers together exceed the 50 MB L2, where memory allows: kernels back to back, as in a model's graph,
so that the graph's own launch is not charged to one kernel), is replayed >= 50 times, and the median
replay time / N is reported. The device-to-device copy bandwidth is measured in the same run (copy_ of
2^30 bf16 elements, read + write counted); "% copy" is bytes moved by the op per call / time, against it.
"same-size copy" times an elementwise copy that moves the op's bytes (read + write), so small sizes can
be judged against what any kernel of that size reaches; "in place" is the same elementwise op on one
buffer (read and written back); "same pattern" copies, in place and with a Triton kernel, exactly the Q /
K elements the op changes in qkv's own layout (MRope: the rotary 64 of each head's 256). Bytes per token
are the op's memory floor (docs/ops.md#memory-floor): Q and K read and written, positions, the cos/sin rows.
Before timing an op at a size, the harness waits --settle seconds (default 2) after allocating its
buffers: for a while after the previous size's gigabytes are freed, something on the device (not ours)
slows the first kernel timed, by up to 9 % at T = 16,384 (engineering log, 2026-11-22).

For kernel experiments only: --ours-only skips the copies of each row, and GF_BENCH_NOCHAIN=1 gives a table
op every token's angles from table row 0 without positions (the kernel without its position -> cos / sin
chain, to measure what that chain costs; its results are not the op's: engineering log, 2026-11-22).

--seeds times the seeds' own kernels beside ours (bin/gpu_bench_seeds.py: from the git-ignored .peers/,
each checked against float64 first) and prints the ours / seed ratio table.

usage: gpu_bench.py --lib LIB [--kernels LABEL] [--ops a,b] [--tokens 1,32,...] [--peers eager,compiled]
                    [--compile static|dynamic] [--seeds]
"""
import argparse
import ctypes
import math
import os
import statistics
import sys
import time

import torch

try:
    import triton
    import triton.language as tl
except ImportError:  # the "same pattern" column is then left out
    triton = None

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpu_kernel_check import GF_DTYPE, I64x2, I64x3, I32x3, NormArgs, RopeArgs, load_lib  # noqa: E402
import gpu_bench_seeds  # noqa: E402

DEV = "cuda"
MAX_POS = 40960
THETA = 1e6
EPS = 1e-6
L2_BYTES = 50 * 2**20
REPLAYS = 50


class Op:
    """One benchmark op: geometry, bytes per token, how to build our call and the torch reference."""

    def __init__(self, name, nq, nk, nv, hd, rot, mrope, norm, gated=False, entry=None, inv_freq=False,
                 table_dtype=torch.float32, oop=False):
        self.name, self.nq, self.nk, self.nv, self.hd, self.rot = name, nq, nk, nv, hd, rot
        self.mrope, self.norm, self.gated = mrope, norm, gated
        # the cos | sin table's element type; oop: out of place (new q_out / k_out buffers, as an ONNX
        # Runtime custom op writes its outputs) instead of in place on qkv
        self.table_dtype, self.oop = table_dtype, oop
        # the gf_* entry point (the op's name unless a variant of it); inv_freq: angles computed from
        # positions and inv_freq, as graphfuse's own MRoPE ops take them, instead of a cos / sin table
        self.entry, self.inv_freq = entry or name, inv_freq
        # elements of a qkv row; of each Q / K head, those the op changes (in place without a norm, only
        # the rotary dims)
        self.width = (nq + nk + nv) * hd
        self.touched = hd if norm or oop else rot

    def bytes_per_token(self):
        if self.gated:
            return 3 * self.nq * self.hd * 2  # x, z read, out written (bf16)
        b = 2 * (self.nq + self.nk) * self.touched * 2
        if self.rot:
            rows = 3 if self.mrope else 1
            entry = torch.finfo(self.table_dtype).bits // 8
            b += 8 * rows + (0 if self.inv_freq else self.rot * entry)  # positions, cos|sin entries
        return b


OPS = {
    "QkNormRope": Op("QkNormRope", 32, 8, 8, 128, 128, None, True),
    "QkNorm": Op("QkNorm", 32, 8, 8, 128, 0, None, True),
    "QkNormMRope": Op("QkNormMRope", 32, 8, 8, 128, 128, [24, 20, 20], True),
    "MRope": Op("MRope", 16, 4, 4, 256, 64, [11, 11, 10], False),
    "RmsNormGated": Op("RmsNormGated", 32, 0, 0, 128, 0, None, True, gated=True),
    # what graphfuse's optimizer emits for Qwen3-VL / Qwen3.5 (graphfuse.QkNormMRope / MRope take positions
    # and inv_freq): not in the default list, whose rows take their angles from a table (docs/ops.md#memory-floor)
    "QkNormMRope-invfreq": Op("QkNormMRope-invfreq", 32, 8, 8, 128, 128, [24, 20, 20], True,
                              entry="QkNormMRope", inv_freq=True),
    "MRope-invfreq": Op("MRope-invfreq", 16, 4, 4, 256, 64, [11, 11, 10], False, entry="MRope", inv_freq=True),
    # the forms of the seeds' table (issue 23): a bf16 cos | sin cache, and out of place
    "QkNormRope-bf16": Op("QkNormRope-bf16", 32, 8, 8, 128, 128, None, True, entry="QkNormRope",
                          table_dtype=torch.bfloat16),
    "QkNormRope-oop": Op("QkNormRope-oop", 32, 8, 8, 128, 128, None, True, entry="QkNormRope", oop=True),
    "QkNorm-oop": Op("QkNorm-oop", 32, 8, 8, 128, 0, None, True, entry="QkNorm", oop=True),
    "MRope-oop": Op("MRope-oop", 16, 4, 4, 256, 64, [11, 11, 10], False, entry="MRope", oop=True),
    "MRope-oop-invfreq": Op("MRope-oop-invfreq", 16, 4, 4, 256, 64, [11, 11, 10], False, entry="MRope",
                            inv_freq=True, oop=True),
    "QkNormMRope-oop": Op("QkNormMRope-oop", 32, 8, 8, 128, 128, [24, 20, 20], True, entry="QkNormMRope",
                          oop=True),
    "QkNormMRope-oop-invfreq": Op("QkNormMRope-oop-invfreq", 32, 8, 8, 128, 128, [24, 20, 20], True,
                                  entry="QkNormMRope", inv_freq=True, oop=True),
}
# the rows of issue 23's table, each against the seed kernel it names (bin/gpu_bench_seeds.py)
SEED_OPS = ["QkNormRope", "QkNormRope-bf16", "QkNorm", "MRope-oop", "RmsNormGated"]
DEFAULT_OPS = ["QkNormRope", "QkNorm", "QkNormMRope", "MRope", "RmsNormGated"]


def cache_table(rot):
    inv = 1.0 / (THETA ** (torch.arange(0, rot, 2, dtype=torch.float64, device=DEV) / rot))
    ang = torch.arange(MAX_POS, dtype=torch.float64, device=DEV)[:, None] * inv[None, :]
    return torch.cat([ang.cos(), ang.sin()], dim=1).float().contiguous()  # [MAX_POS, rot]: cos | sin


def mrope_axis(j, section):
    if j % 3 == 1 and j < 3 * section[1]:
        return 1
    if j % 3 == 2 and j < 3 * section[2]:
        return 2
    return 0


class Instance:
    """Buffers for one call of op at T tokens: inputs (rotated per instance), shared weights and table."""

    def __init__(self, op, T, shared):
        self.op, self.T = op, T
        if op.gated:
            self.x = torch.randn(T, op.nq * op.hd, device=DEV, dtype=torch.bfloat16)
            self.z = torch.randn_like(self.x)
            self.out = torch.empty_like(self.x)
            return
        self.qkv = torch.randn(T, op.width, device=DEV, dtype=torch.bfloat16)
        if op.rot:
            rows = 3 if op.mrope else 1
            self.pos = torch.randint(0, MAX_POS, (rows, T), device=DEV, dtype=torch.int64)
        if op.oop:
            self.q_out = torch.empty(T, op.nq * op.hd, device=DEV, dtype=torch.bfloat16)
            self.k_out = torch.empty(T, op.nk * op.hd, device=DEV, dtype=torch.bfloat16)
        self.status = torch.zeros(1, device=DEV, dtype=torch.int32)


def ours_call(lib, op, inst, shared):
    """ctypes args + the entry point for this instance."""
    if op.gated:
        a = NormArgs()
        a.struct_size = ctypes.sizeof(NormArgs)
        a.dtype = a.out_dtype = a.weight_dtype = GF_DTYPE[torch.bfloat16]
        a.gated, a.rows, a.n, a.epsilon, a.weight_offset = 1, inst.T * op.nq, op.hd, EPS, 0.0
        a.x, a.z, a.out, a.weight = inst.x.data_ptr(), inst.z.data_ptr(), inst.out.data_ptr(), shared["w"].data_ptr()
        a.x_row_stride = a.z_row_stride = a.out_row_stride = op.hd
        return lib.gf_rms_norm_gated, a
    a = RopeArgs()
    a.struct_size = ctypes.sizeof(RopeArgs)
    a.dtype = a.weight_dtype = GF_DTYPE[torch.bfloat16]
    T, hd = inst.T, op.hd
    width = op.width
    a.batch, a.seq, a.num_q_heads, a.num_k_heads, a.head_dim = 1, T, op.nq, op.nk, hd
    a.rotary_dim, a.interleaved, a.has_norm, a.epsilon, a.weight_offset = op.rot, 0, int(op.norm), EPS, 0.0
    base = inst.qkv.data_ptr()
    a.q = a.q_out = base
    a.k = a.k_out = base + op.nq * hd * 2
    a.q_stride = I64x3(T * width, width, hd)
    a.q_out_stride = I64x3(T * width, width, hd)
    a.k_stride = I64x3(T * width, width, hd)
    a.k_out_stride = I64x3(T * width, width, hd)
    if op.oop:
        a.q_out, a.k_out = inst.q_out.data_ptr(), inst.k_out.data_ptr()
        a.q_out_stride = I64x3(T * op.nq * hd, op.nq * hd, hd)
        a.k_out_stride = I64x3(T * op.nk * hd, op.nk * hd, hd)
    if op.norm:
        a.q_weight, a.k_weight = shared["wq"].data_ptr(), shared["wk"].data_ptr()
    a.status = inst.status.data_ptr()
    if op.rot:
        if op.inv_freq:
            a.angle_source, a.attention_scaling = 2, 1.0
            a.inv_freq = shared["inv_freq"].data_ptr()
        else:
            table = shared["table"]
            a.angle_source, a.table_dtype = 1, GF_DTYPE[table.dtype]
            a.cos, a.sin = table.data_ptr(), table.data_ptr() + (op.rot // 2) * table.element_size()
            a.table_stride = I64x2(0, op.rot)
            a.table_width = op.rot // 2
            if os.environ.get("GF_BENCH_NOCHAIN") == "1":
                # experiment (engineering log, 2026-11-22): every token's angles from row 0, no position: the
                # kernel without its position -> cos / sin chain (results are not the op's)
                a.table_stride = I64x2(0, 0)
                a.position_rows = 0
                a.mrope_interleaved = 0
                return fn_of(lib, op), a
        a.position_rows = 3 if op.mrope else 1
        a.position_dtype = GF_DTYPE[torch.int64]
        a.positions = inst.pos.data_ptr()
        a.position_stride = I64x3(T, 0, 1)
        a.max_position = MAX_POS
        if op.mrope:
            a.mrope_interleaved = 1
            a.mrope_section = I32x3(*op.mrope)
    return fn_of(lib, op), a


def fn_of(lib, op):
    return {"QkNormRope": lib.gf_qk_norm_rope, "QkNorm": lib.gf_qk_norm, "QkNormMRope": lib.gf_qk_norm_mrope,
            "MRope": lib.gf_mrope}[op.entry]


def torch_reference(op, shared):
    """The unfused function, fp32 math and one cast back, written back in place (as the fused op is)."""
    hd, rot, half = op.hd, op.rot, op.rot // 2

    def norm(x, w):
        x32 = x.float()
        return x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + EPS) * w.float()

    def rotate(y, cos, sin):
        r, p = y[..., :rot], y[..., rot:]
        x1, x2 = r[..., :half], r[..., half:]
        out = torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)
        return torch.cat([out, p], dim=-1) if p.shape[-1] else out

    if op.gated:
        def fn(x, z, out, w):
            T = x.shape[0]
            xs = x.view(T, op.nq, hd)
            zs = z.view(T, op.nq, hd).float()
            out.view(T, op.nq, hd).copy_((norm(xs, w) * zs * torch.sigmoid(zs)).to(torch.bfloat16))
        return fn

    axis = torch.tensor([mrope_axis(j, op.mrope) for j in range(half)], device=DEV) if op.mrope else None

    def angles(pos, table):
        if op.inv_freq:
            # Hugging Face's way: f32(position) * inv_freq, then cos / sin (table holds inv_freq here)
            p = pos[axis] if op.mrope else pos[0][None, :].expand(half, -1)  # [half, T]
            theta = (p.float() * table[:, None]).t()[:, None, :]
            return theta.cos(), theta.sin()
        if op.mrope is None:
            rows = table[pos[0]]
            return rows[:, None, :half], rows[:, None, half:]
        p = pos[axis]  # [half, T]: the position of frequency j
        cols = torch.arange(half, device=DEV)[:, None].expand_as(p)
        return table[p, cols].t()[:, None, :], table[p, cols + half].t()[:, None, :]

    def fn(qkv, pos, table, wq, wk, q_out=None, k_out=None):
        T = qkv.shape[0]
        q = qkv[:, : op.nq * hd].view(T, op.nq, hd)
        k = qkv[:, op.nq * hd: (op.nq + op.nk) * hd].view(T, op.nk, hd)
        yq = norm(q, wq) if op.norm else q.float()
        yk = norm(k, wk) if op.norm else k.float()
        if rot:
            cos, sin = angles(pos, table.float() if table.is_floating_point() else table)
            yq, yk = rotate(yq, cos, sin), rotate(yk, cos, sin)
        (q if q_out is None else q_out.view(T, op.nq, hd)).copy_(yq.to(torch.bfloat16))
        (k if k_out is None else k_out.view(T, op.nk, hd)).copy_(yk.to(torch.bfloat16))
    return fn


def peer_args(op, inst, shared):
    if op.gated:
        return (inst.x, inst.z, inst.out, shared["w"])
    table = shared.get("inv_freq") if op.inv_freq else shared.get("table")
    args = (inst.qkv, getattr(inst, "pos", None), table, shared.get("wq"), shared.get("wk"))
    return args + ((inst.q_out, inst.k_out) if op.oop else ())


if triton is not None:
    @triton.jit
    def _pattern_copy(x, rows, heads, row_elems, head_stride, BLOCK_R: tl.constexpr, W: tl.constexpr):
        # rows = tokens x heads; each row is W contiguous elements at token * row_elems + head * head_stride,
        # read and written back in place: the bytes and the layout an in-place rope op touches
        r = tl.program_id(0) * BLOCK_R + tl.arange(0, BLOCK_R)
        off = (r // heads).to(tl.int64) * row_elems + (r % heads) * head_stride
        ptr = x + off[:, None] + tl.arange(0, W)[None, :]
        m = r[:, None] < rows
        tl.store(ptr, tl.load(ptr, mask=m), mask=m)


def pattern_copy(op, inst, heads_per_program=64, num_warps=4):
    """In-place copy of exactly the Q / K elements op changes, in qkv's layout (None for the gated norm)."""
    if op.gated or triton is None:
        return None
    heads = op.nq + op.nk
    rows = inst.T * heads
    grid = (triton.cdiv(rows, heads_per_program),)
    return lambda: _pattern_copy[grid](inst.qkv, rows, heads, op.width, op.hd, BLOCK_R=heads_per_program,
                                       W=op.touched, num_warps=num_warps)


def time_graph(calls):
    """Captures calls() into a CUDA graph; returns the median replay time in µs over REPLAYS replays."""
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(2):
            calls(s)  # warm-up: module loads, compilation, allocator
    torch.cuda.current_stream().wait_stream(s)
    torch.cuda.synchronize()
    g = torch.cuda.CUDAGraph()
    with torch.cuda.graph(g):
        calls(torch.cuda.current_stream())
    g.replay()
    torch.cuda.synchronize()
    times = []
    for _ in range(REPLAYS):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record()
        g.replay()
        b.record()
        b.synchronize()
        times.append(a.elapsed_time(b) * 1000)
    del g
    return statistics.median(times)


def copy_bandwidth():
    """b.copy_(a) timed with events outside a graph (in a graph the copy becomes a copy-engine node, which
    is slower than the SM copy kernel that eager D2D copies use): the best of the two is the ceiling."""
    a = torch.empty(2**30, device=DEV, dtype=torch.bfloat16)
    b = torch.empty_like(a)
    for _ in range(3):
        b.copy_(a)
    times = []
    for _ in range(REPLAYS):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record()
        b.copy_(a)
        e1.record()
        e1.synchronize()
        times.append(e0.elapsed_time(e1) * 1000)
    eager = statistics.median(times)
    graph = time_graph(lambda s: b.copy_(a))
    del a, b
    torch.cuda.empty_cache()
    return 2 * 2**31 / min(eager, graph) / 1e6  # TB/s


def launch_calls(op, calls, stream):
    """Our kernel once per (entry point, args) of calls, on stream; a non-zero status is an error."""
    for fn, a in calls:
        rc = fn(ctypes.byref(a), ctypes.c_void_p(stream.cuda_stream))
        if rc:
            raise RuntimeError(f"{op.name}: rc {rc}")


def make_shared(op):
    """What every instance of op shares: norm weights and the cos / sin table (or inv_freq)."""
    shared = {}
    if op.gated:
        shared["w"] = torch.randn(op.hd, device=DEV, dtype=torch.bfloat16)
    else:
        shared["wq"] = torch.randn(op.hd, device=DEV, dtype=torch.bfloat16)
        shared["wk"] = torch.randn(op.hd, device=DEV, dtype=torch.bfloat16)
        if op.rot and op.inv_freq:
            exps = torch.arange(0, op.rot, 2, dtype=torch.int64, device=DEV).float() / op.rot
            shared["inv_freq"] = (1.0 / (THETA ** exps)).contiguous()
        elif op.rot:
            shared["table"] = cache_table(op.rot).to(op.table_dtype)
    return shared


def calls_per_graph(op, T, min_calls=1):
    """N: at least min_calls, enough instances that their buffers exceed twice the L2, at most 256 and
    (memory permitting) 8 GB of them."""
    inst_bytes = T * (op.width * 2 if not op.gated else 3 * op.nq * op.hd * 2)
    return max(1, min(256, max(min_calls, math.ceil(2 * L2_BYTES / max(inst_bytes, 1))),
                      (8 * 2**30) // max(inst_bytes, 1)))


def empty_launch_floor():
    """µs per launch of an empty kernel, N back to back in a graph (as the rows are timed): no kernel of
    any size takes less."""
    if triton is None:
        return float("nan")
    x = torch.zeros(1, device=DEV)
    return time_graph(lambda s: [_empty[(1,)](x) for _ in range(256)]) / 256


if triton is not None:
    @triton.jit
    def _empty(x):
        pass


def bench(lib, op, T, peers, compile_mode, copy_tbs, min_calls=1, settle=0.0, copies=True, seeds=None):
    torch.manual_seed(T)
    shared = make_shared(op)
    per_call = op.bytes_per_token() * T
    n = calls_per_graph(op, T, min_calls)
    insts = [Instance(op, T, shared) for _ in range(n)]
    row = {"op": op.name, "T": T, "n": n, "bytes": per_call}
    if settle > 0:
        torch.cuda.synchronize()
        time.sleep(settle)

    calls = [ours_call(lib, op, i, shared) for i in insts]
    seed = (seeds or {}).get(op.name)
    if seed is not None:
        # both checked against float64 on the same inputs before either is timed
        ok, ulps = gpu_bench_seeds.check(op, insts[0], shared, EPS,
                                         lambda: launch_calls(op, calls[:1], torch.cuda.current_stream()))
        states = [seed.prepare(gpu_bench_seeds.seed_args(op, i, shared, EPS)) for i in insts]
        sok, sulps = gpu_bench_seeds.check(op, insts[0], shared, EPS, lambda: seed.call(states[0]))
        row["check"] = f"ours {ulps:.2f} ulp{'' if ok else ' FAIL'}, seed {sulps:.2f} ulp{'' if sok else ' FAIL'}"
    row["ours"] = time_graph(lambda s: launch_calls(op, calls, s)) / n
    if seed is not None:
        row["seed"] = time_graph(lambda s: [seed.call(st) for st in states]) / n
        del states
    # The same bytes through a plain elementwise copy (out = in * 1, bf16: per_call / 2 read, per_call / 2
    # written) over n buffer pairs, timed the same way: what a kernel of this size reaches at all, launch,
    # ramp-up and tail included. The "% copy" column stays against the large-copy ceiling.
    row["same"] = row["same_ip"] = row["pattern"] = float("nan")
    if copies:
        elems = max(1, per_call // 4)
        pairs = [(torch.randn(elems, device=DEV).to(torch.bfloat16), torch.empty(elems, device=DEV, dtype=torch.bfloat16))
                 for _ in range(n)]
        row["same"] = time_graph(lambda s: [torch.mul(c, 1, out=d) for c, d in pairs]) / n
        # ... and in place (c *= 1 reads and writes the same bytes, as our in-place rope kernels do)
        row["same_ip"] = time_graph(lambda s: [c.mul_(1) for c, _ in pairs]) / n
        # ... and in the op's own layout: only the elements it changes, in place (a Triton kernel), the
        # ceiling of the access pattern itself (MRope touches 128 of every 512 bytes of a head)
        pcs = [pattern_copy(op, i) for i in insts]
        if pcs[0] is not None:
            row["pattern"] = time_graph(lambda s: [f() for f in pcs]) / n
        del pairs  # after the pattern copy: a large free slows the next kernel timed (see --settle)
    ref = torch_reference(op, shared)
    if "eager" in peers:
        row["eager"] = time_graph(lambda s: [ref(*peer_args(op, i, shared)) for i in insts]) / n
    if "compiled" in peers:
        cfn = torch.compile(ref, dynamic=(compile_mode == "dynamic"))
        row["compiled"] = time_graph(lambda s: [cfn(*peer_args(op, i, shared)) for i in insts]) / n
    row["tbs"] = per_call / row["ours"] / 1e6
    row["pct"] = 100 * row["tbs"] / copy_tbs
    del insts, calls
    torch.cuda.empty_cache()
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lib", required=True)
    ap.add_argument("--kernels", default="default build",
                    help="which build of the library --lib is (printed with the results; bin/gpu-sweep passes the "
                         "variant's name and flags, e.g. -DGF_ONLY_GENERAL_KERNEL=1 for the general kernels' baseline)")
    ap.add_argument("--ops", default=",".join(DEFAULT_OPS), help="of: " + ", ".join(OPS))
    ap.add_argument("--tokens", default="1,32,256,2048,16384,65536")
    ap.add_argument("--peers", default="eager,compiled")
    ap.add_argument("--compile", default="dynamic", choices=["static", "dynamic"])
    ap.add_argument("--min-calls", type=int, default=8,
                    help="calls per graph at least (memory permitting); 1 times a large T as one kernel per "
                         "replay, the graph's own launch included")
    ap.add_argument("--settle", type=float, default=2.0,
                    help="seconds to wait after allocating an op's buffers, before timing it (0: none)")
    ap.add_argument("--ours-only", action="store_true", help="skip the copies of each row (kernel sweeps)")
    ap.add_argument("--seeds", action="store_true",
                    help="time the seeds' kernels (from .peers/, see gpu_bench_seeds.py) on the rows they have; "
                         "--ops defaults to issue 23's rows")
    args = ap.parse_args()
    lib = load_lib(args.lib)
    peers = [p for p in args.peers.split(",") if p]
    seeds, _ = gpu_bench_seeds.load_seeds(DEV) if args.seeds else ({}, {})
    if args.seeds and args.ops == ",".join(DEFAULT_OPS):
        args.ops = ",".join(SEED_OPS)
    print(f"{torch.cuda.get_device_name()}, torch {torch.__version__}, kernels: {args.kernels}, compile: {args.compile}")
    copy_tbs = copy_bandwidth()
    print(f"copy bandwidth {copy_tbs:.3f} TB/s (copy_ of 2^30 bf16, read + write)")
    print(f"empty-kernel floor {empty_launch_floor():.2f} us per launch (256 back to back in a graph)")
    hdr = f"{'op':<13}{'T':>7}{'N':>5}{'ours us':>11}{'TB/s':>8}{'% copy':>8}{'same-size copy us':>19}{'% of it':>9}{'in place us':>13}{'% of it':>9}{'same pattern us':>17}{'% of it':>9}"
    for p in peers:
        hdr += f"{p + ' us':>13}{'x ' + p:>11}"
    if seeds:
        hdr += f"{'seed us':>10}{'ours/seed':>11}  check"
    print(hdr)
    rows = []
    tokens = [int(t) for t in args.tokens.split(",")]
    for name in args.ops.split(","):
        for T in tokens:
            t0 = time.time()
            r = bench(lib, OPS[name], T, peers, args.compile, copy_tbs, args.min_calls, args.settle,
                      copies=not args.ours_only, seeds=seeds)
            rows.append(r)
            line = (f"{r['op']:<13}{T:>7}{r['n']:>5}{r['ours']:>11.2f}{r['tbs']:>8.3f}{r['pct']:>7.1f}%"
                    f"{r['same']:>19.2f}{100 * r['same'] / r['ours']:>8.1f}%"
                    f"{r['same_ip']:>13.2f}{100 * r['same_ip'] / r['ours']:>8.1f}%"
                    f"{r['pattern']:>17.2f}{100 * r['pattern'] / r['ours']:>8.1f}%")
            for p in peers:
                line += f"{r[p]:>13.2f}{r[p] / r['ours']:>10.1f}x"
            if "seed" in r:
                line += f"{r['seed']:>10.2f}{r['ours'] / r['seed']:>11.2f}  {r['check']}"
            print(line + f"   ({time.time() - t0:.0f} s)", flush=True)
    gpu_bench_seeds.ratio_table(rows, seeds, tokens)


if __name__ == "__main__":
    main()
