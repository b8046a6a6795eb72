"""The seeds' own kernels beside ours in bin/gpu_bench.py (issue 23): our side of the comparison only.

The seeds' code is never in this repository. For a measurement it is fetched into the git-ignored folder
.peers/ (or $GF_PEERS_DIR), whose module seed_peers.py builds and wraps it; this file only loads that module
when it is there, checks every implementation against float64 before it is timed, and prints the ratios.

seed_peers.load(device) returns {row name: peer}; a peer has .label, .prepare(args) -> state and
.call(state) (one call on torch's current stream, capturable in a CUDA graph). args is a dict: qkv, pos,
table, wq, wk, nq, nk, nv, hd, rot, eps, mrope_section, q_out, k_out (out-of-place rows), or x, z, out, w, n
(RmsNormGated). seed_peers.COMMITS names the seeds' commits.
"""
import importlib
import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_seeds(device):
    """{row: peer} from $GF_PEERS_DIR (default .peers/), or {} with the reason printed."""
    d = os.environ.get("GF_PEERS_DIR", os.path.join(ROOT, ".peers"))
    if not os.path.isfile(os.path.join(d, "seed_peers.py")):
        print(f"seeds: none ({d}/seed_peers.py is absent)")
        return {}, {}
    sys.path.insert(0, d)
    try:
        mod = importlib.import_module("seed_peers")
        peers = mod.load(device=device)
    except Exception as e:  # a broken seed folder must not stop the timing of our kernels
        print(f"seeds: not loaded ({type(e).__name__}: {e})")
        return {}, {}
    commits = getattr(mod, "COMMITS", {})
    for name, p in peers.items():
        print(f"seed for {name}: {p.label}")
    print("seed commits: " + ", ".join(f"{k} {v}" for k, v in commits.items()))
    return peers, commits


def seed_args(op, inst, shared, eps):
    if op.gated:
        return {"x": inst.x, "z": inst.z, "out": inst.out, "w": shared["w"], "n": op.hd, "eps": eps}
    a = {"qkv": inst.qkv, "pos": getattr(inst, "pos", None), "wq": shared.get("wq"), "wk": shared.get("wk"),
         "table": shared.get("inv_freq") if op.inv_freq else shared.get("table"), "inv_freq": op.inv_freq,
         "nq": op.nq, "nk": op.nk, "nv": op.nv, "hd": op.hd, "rot": op.rot, "eps": eps,
         "mrope_section": op.mrope}
    if op.oop:
        a["q_out"], a["k_out"] = inst.q_out, inst.k_out
    return a


def _axis(op, device):
    half = op.rot // 2
    s = op.mrope

    def ax(j):
        if j % 3 == 1 and j < 3 * s[1]:
            return 1
        if j % 3 == 2 and j < 3 * s[2]:
            return 2
        return 0
    return torch.tensor([ax(j) for j in range(half)], device=device)


def float64_reference(op, inputs, shared, eps):
    """The op in float64 from the very inputs the kernel saw (already rounded): q, k or out."""
    if op.gated:
        x, z = inputs["x"].double(), inputs["z"].double()
        T = x.shape[0]
        xs, zs = x.view(T, op.nq, op.hd), z.view(T, op.nq, op.hd)
        y = xs * torch.rsqrt(xs.pow(2).mean(-1, keepdim=True) + eps) * shared["w"].double()
        return {"out": (y * zs * torch.sigmoid(zs)).view(T, -1)}
    qkv = inputs["qkv"].double()
    T, hd, rot, half = qkv.shape[0], op.hd, op.rot, op.rot // 2
    q = qkv[:, : op.nq * hd].view(T, op.nq, hd)
    k = qkv[:, op.nq * hd: (op.nq + op.nk) * hd].view(T, op.nk, hd)
    if op.norm:
        q = q * torch.rsqrt(q.pow(2).mean(-1, keepdim=True) + eps) * shared["wq"].double()
        k = k * torch.rsqrt(k.pow(2).mean(-1, keepdim=True) + eps) * shared["wk"].double()
    if rot:
        pos = inputs["pos"]
        p = pos[_axis(op, pos.device)] if op.mrope else pos[0][None, :].expand(half, -1)  # [half, T]
        if op.inv_freq:
            theta = (p.float() * shared["inv_freq"][:, None]).double().t()  # f32(p) * inv_freq, rounded once
            cos, sin = theta.cos(), theta.sin()
        else:
            table = shared["table"].double()
            cols = torch.arange(half, device=pos.device)[:, None].expand_as(p)
            cos, sin = table[p, cols].t(), table[p, cols + half].t()
        cos, sin = cos[:, None, :], sin[:, None, :]

        def rotate(y):
            r, rest = y[..., :rot], y[..., rot:]
            x1, x2 = r[..., :half], r[..., half:]
            return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin, rest], dim=-1)
        q, k = rotate(q), rotate(k)
    return {"q": q.reshape(T, -1), "k": k.reshape(T, -1)}


def _outputs(op, inst):
    if op.gated:
        return {"out": inst.out}
    if op.oop:
        return {"q": inst.q_out, "k": inst.k_out}
    T, hd = inst.qkv.shape[0], op.hd
    return {"q": inst.qkv[:, : op.nq * hd], "k": inst.qkv[:, op.nq * hd: (op.nq + op.nk) * hd]}


def check(op, inst, shared, eps, run):
    """Runs run() once on inst and compares its outputs with float64: the largest error in bf16 ulps of
    the reference (1 ulp allowed: the one rounding at the store, plus fp32 arithmetic that may move a
    result across a rounding boundary). Returns (ok, worst ulps)."""
    inputs = {k: v.clone() for k, v in vars(inst).items() if isinstance(v, torch.Tensor)}
    ref = float64_reference(op, inputs, shared, eps)
    run()
    torch.cuda.synchronize()
    worst = 0.0
    for name, want in ref.items():
        got = _outputs(op, inst)[name].double()
        ulp = torch.clamp(want.abs(), min=2.0 ** -14)
        ulp = 2.0 ** (torch.floor(torch.log2(ulp)) - 7)  # bf16: 8 significant bits
        err = ((got - want).abs() / ulp).max().item()
        worst = max(worst, err) if err == err else float("inf")  # a NaN output is the worst error, not none
    # restore the inputs: in-place ops overwrote them
    for k, v in inputs.items():
        getattr(inst, k).copy_(v)
    return worst <= 1.0, worst


def ratio_table(rows, seeds, tokens):
    """Markdown: per row and T, 'ours vs seed (ours / seed)'; below 1 means ours is faster."""
    by = {(r["op"], r["T"]): r for r in rows}
    ops = [o for o in dict.fromkeys(r["op"] for r in rows) if o in seeds]
    if not ops:
        return
    print("\n| op | seed | " + " | ".join(f"T = {t:,}" for t in tokens) + " |")
    print("|---|---|" + "---|" * len(tokens))
    for o in ops:
        cells = []
        for t in tokens:
            r = by.get((o, t))
            if r is None or "seed" not in r:
                cells.append("–")
            else:
                cells.append(f"{r['ours']:.2f} vs {r['seed']:.2f} ({r['ours'] / r['seed']:.2f})")
        print(f"| {o} | {seeds[o].label} | " + " | ".join(cells) + " |")
