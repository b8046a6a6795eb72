#!/usr/bin/env python3
"""Regenerate graphfuse's Qwen3-VL get_rope_index reference vectors.

Usage (from the repository root)::

    /tmp/gfvenv/bin/python testdata/rope_index/generate_rope_index.py

Every case's inputs are built from a seeded RNG, then transformers' own code produces the outputs:
``ProcessorMixin.create_mm_token_type_ids`` (what the Qwen3-VL processor returns as
``mm_token_type_ids``) and ``Qwen3VLModel.get_rope_index`` on a tiny randomly initialised
Qwen3VLModel (only ``config.vision_config.spatial_merge_size`` matters to the function).  Python is only
used to produce these files; the Java build and tests never run it.  Two runs write identical bytes.

Each case is one ``<name>.npz`` (zip of .npy arrays, deflate) holding:

    input_ids          int32 (B, S)   text ids, vision_start/end, image/video pad tokens, pad id 151643
    mm_token_type_ids  int8  (B, S)   0 text, 1 image, 2 video (transformers' processor helper)
    attention_mask     int8  (B, S)   absent when the case passes attention_mask=None
    image_grid_thw     int32 (n, 3)   absent when None
    video_grid_thw     int32 (n, 3)   absent when None (before transformers splits videos per frame)
    position_ids       int32 (3, B, S)   transformers' output (int64 there; checked to fit)
    rope_deltas        int32 (B, 1)      transformers' output

manifest.json lists the cases with what they exercise and the library versions used.  For the cases in
JSON_CASES the script also writes ``<name>.request.json`` and ``<name>.response.json``: the same inputs and
transformers' outputs in the JSON schema of ``graphfuse rope-index`` (docs/rope-index.md).
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import types
import warnings
import zipfile

import numpy as np
import torch

warnings.filterwarnings("ignore")

import transformers  # noqa: E402
from transformers import Qwen3VLConfig, Qwen3VLModel  # noqa: E402
from transformers.processing_utils import ProcessorMixin  # noqa: E402

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
SEED = 20261121
JSON_CASES = ("cli_example", "edge_grids")  # also written as `graphfuse rope-index` request/response JSON

IMAGE = 151655
VIDEO = 151656
VISION_START = 151652
VISION_END = 151653
PAD = 151643  # <|endoftext|>, Qwen's pad token
TEXT_VOCAB = 151643  # ordinary text ids are drawn from [0, TEXT_VOCAB)


def tiny_model(merge: int) -> Qwen3VLModel:
    cfg = Qwen3VLConfig(
        text_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2,
                         num_key_value_heads=1, head_dim=16, vocab_size=151936,
                         rope_parameters={"rope_type": "default", "rope_theta": 5e6, "mrope_section": [2, 3, 3],
                                          "mrope_interleaved": True}),
        vision_config=dict(depth=1, hidden_size=32, intermediate_size=64, num_heads=2, out_hidden_size=32,
                           spatial_merge_size=merge, deepstack_visual_indexes=[0]),
    )
    assert (cfg.image_token_id, cfg.video_token_id, cfg.vision_start_token_id, cfg.vision_end_token_id) == (
        IMAGE, VIDEO, VISION_START, VISION_END)
    torch.manual_seed(0)
    return Qwen3VLModel(cfg).eval()


def mm_token_type_ids(input_ids: np.ndarray) -> np.ndarray:
    # The processor's own helper; a namespace stands in for the processor (it only reads these three lists).
    proc = types.SimpleNamespace(image_token_ids=[IMAGE], video_token_ids=[VIDEO], audio_token_ids=[None])
    return np.array(ProcessorMixin.create_mm_token_type_ids(proc, input_ids.tolist()), dtype=np.int64)


# ---- building rows ---------------------------------------------------------------------------------

class Row:
    """One sequence: vision items in order, the attended length, and how padding is laid out."""

    def __init__(self, items, length, pad="right", holes=0, first_text=None):
        self.items = items          # [("image"|"video", (t, h, w), vision_start_marker: bool)]
        self.length = length        # attended tokens
        self.pad = pad              # "right", "left", "holes" or "none"
        self.holes = holes          # masked tokens scattered inside the row (pad == "holes")
        self.first_text = first_text  # fixed length of the leading text, else random


def text(rng, n):
    return list(rng.integers(0, TEXT_VOCAB, size=n))


def item_tokens(rng, kind, thw, marker, merge):
    t, h, w = thw
    per_frame = (h // merge) * (w // merge)
    if kind == "image":
        body = [IMAGE] * (t * per_frame)
        return ([VISION_START] + body + [VISION_END]) if marker else body
    out = []
    for _ in range(t):  # Qwen3-VL: "<t seconds>" timestamp text, then one frame's block
        out += text(rng, int(rng.integers(3, 7)))
        out += [VISION_START] + [VIDEO] * per_frame + [VISION_END]
    return out


def build_row(rng, row: Row, seq_len: int, merge: int):
    blocks = [item_tokens(rng, k, thw, m, merge) for k, thw, m in row.items]
    budget = row.length - sum(len(b) for b in blocks)
    assert budget >= 0, f"row of {row.length} tokens cannot hold {sum(len(b) for b in blocks)} vision tokens"
    gaps = len(blocks) + 1
    if row.first_text is not None:
        first = row.first_text
        cuts = np.sort(rng.integers(0, budget - first + 1, size=gaps - 2)) if gaps > 2 else np.array([], dtype=int)
        parts = [first] + list(np.diff(np.concatenate([[0], cuts, [budget - first]])))
    else:
        cuts = np.sort(rng.integers(0, budget + 1, size=gaps - 1))
        parts = list(np.diff(np.concatenate([[0], cuts, [budget]])))
    ids = text(rng, int(parts[0]))
    for b, p in zip(blocks, parts[1:]):
        ids += b + text(rng, int(p))
    assert len(ids) == row.length
    ids = np.array(ids, dtype=np.int64)
    pad_n = seq_len - row.length
    if row.pad == "none":
        assert pad_n == 0
        return ids, np.ones(seq_len, dtype=np.int64)
    if row.pad == "right":
        return (np.concatenate([ids, np.full(pad_n, PAD)]),
                np.concatenate([np.ones(row.length, dtype=np.int64), np.zeros(pad_n, dtype=np.int64)]))
    if row.pad == "left":
        return (np.concatenate([np.full(pad_n, PAD), ids]),
                np.concatenate([np.zeros(pad_n, dtype=np.int64), np.ones(row.length, dtype=np.int64)]))
    assert row.pad == "holes" and pad_n >= row.holes
    # Masked tokens inside the row (some carrying image/video ids, so the mask, not the id, must drop them),
    # then right padding for the rest.
    at = np.sort(rng.choice(row.length + 1, size=row.holes, replace=True))
    out_ids, out_mask, j = [], [], 0
    for i in range(row.length + 1):
        while j < len(at) and at[j] == i:
            out_ids.append(int(rng.choice([PAD, IMAGE, VIDEO, 7])))
            out_mask.append(0)
            j += 1
        if i < row.length:
            out_ids.append(int(ids[i]))
            out_mask.append(1)
    rest = seq_len - len(out_ids)
    return (np.array(out_ids + [PAD] * rest, dtype=np.int64),
            np.array(out_mask + [0] * rest, dtype=np.int64))


def grid(rng, t, lo, hi, merge):
    h, w = (int(rng.integers(lo, hi + 1)) * merge for _ in range(2))
    return (t, h, w)


def random_items(rng, images, videos, img_range, vid_range, frames, merge):
    items = [("image", grid(rng, 1, *img_range, merge), True) for _ in range(images)]
    items += [("video", grid(rng, int(rng.integers(frames[0], frames[1] + 1)), *vid_range, merge), True)
              for _ in range(videos)]
    order = rng.permutation(len(items))
    return [items[i] for i in order]


# ---- the cases ---------------------------------------------------------------------------------------

def cases(rng):
    """(name, description, seq_len, merge, rows, use_mask). lmms-engine PR 184's six cases, then edges."""
    out = []
    m = 2
    out.append(("b2_s4096_8img_2vid", "B=2, S=4k, 8 images + 2 videos (4 + 1 per row), row 1 right-padded",
                4096, m, [Row(random_items(rng, 4, 1, (6, 16), (6, 12), (4, 8), m), 4096, pad="none"),
                          Row(random_items(rng, 4, 1, (6, 16), (6, 12), (4, 8), m), 3617)], True))
    out.append(("b4_s8192_16img_4vid", "B=4, S=8k, 16 images + 4 videos (4 + 1 per row), ragged right padding",
                8192, m, [Row(random_items(rng, 4, 1, (8, 24), (8, 16), (4, 8), m), n, pad="none" if n == 8192 else "right")
                          for n in (8192, 7811, 7040, 6533)], True))
    out.append(("b1_s16384_8vid_t16", "B=1, S=16k, no images, 8 videos with T=16",
                16384, m, [Row(random_items(rng, 0, 8, (1, 1), (7, 10), (16, 16), m), 16384, pad="none")], True))
    out.append(("no_vision", "text only, no grids; row 1 left-padded",
                512, m, [Row([], 512, pad="none"), Row([], 300, pad="left")], True))
    out.append(("vision_no_mask", "attention_mask=None with vision (2 images + 1 video per row)",
                1024, m, [Row(random_items(rng, 2, 1, (4, 12), (4, 8), (2, 4), m), 1024, pad="none")
                          for _ in range(2)], False))
    out.append(("ragged_padding", "right-, left- and hole-padded rows; masked tokens inside vision blocks",
                2048, m, [Row(random_items(rng, 2, 1, (6, 14), (6, 10), (2, 5), m), 1500, pad="right"),
                          Row(random_items(rng, 2, 1, (6, 14), (6, 10), (2, 5), m), 1200, pad="left"),
                          Row(random_items(rng, 2, 1, (6, 14), (6, 10), (2, 5), m), 1750, pad="holes", holes=150)],
                True))
    # Edges: a row that starts with bare image tokens, images with T > max(H, W)/m (the max position, hence
    # the delta, comes from the temporal axis when such an image ends the row), non-square grids, an image
    # directly followed by a video (no text between), a one-frame video, rows ending in a vision block.
    out.append(("edge_grids", "image first, T>1 images, non-square grids, adjacent image/video, vision last",
                768, m, [Row([("image", (2, 4, 16), False), ("video", (1, 8, 6), False), ("image", (5, 2, 4), True),
                              ("image", (1, 12, 2), True), ("video", (3, 4, 4), True)], 700, first_text=0),
                         Row([("image", (1, 6, 10), True), ("image", (7, 4, 4), False)], 400, first_text=9)], True))
    out.append(("merge4", "spatial_merge_size 4 (non-square grids, a T=2 video)",
                1024, 4, [Row([("image", (1, 16, 32), True), ("video", (2, 8, 12), True), ("image", (1, 4, 4), True)],
                              1024, pad="none")], True))
    # Small enough to read: the example of docs/rope-index.md and the CLI test's request.
    out.append(("cli_example", "B=2, S=32: an image and a 2-frame video, a left-padded row with one image",
                32, m, [Row([("image", (1, 4, 4), True), ("video", (2, 4, 4), True)], 30),
                        Row([("image", (1, 2, 4), True)], 20, pad="left")], True))
    return out


def build_case(rng, seq_len, merge, rows):
    ids, mask, img, vid = [], [], [], []
    for r in rows:
        i, mk = build_row(rng, r, seq_len, merge)
        ids.append(i)
        mask.append(mk)
        img += [thw for k, thw, _ in r.items if k == "image"]
        vid += [thw for k, thw, _ in r.items if k == "video"]
    return np.stack(ids), np.stack(mask), img, vid


def end_with_vision(ids, mask, row):
    """Moves the trailing text of a right-padded row into the padding, so the row ends in a vision block."""
    valid = np.nonzero(mask[row])[0]
    last_vision = max(i for i in valid if ids[row, i] in (IMAGE, VIDEO))
    ids[row, last_vision + 1:] = PAD
    mask[row, last_vision + 1:] = 0


def npy_bytes(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def write_npz(path, arrays):
    # np.savez_compressed stamps the current time into the zip; fixed entry dates keep the bytes reproducible.
    with zipfile.ZipFile(path + ".tmp", "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, a in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, npy_bytes(a), compresslevel=9)
    os.replace(path + ".tmp", path)


def json_rows(a) -> str:
    """Nested lists with the innermost rows on one line each (json.dumps(indent=...) puts every number on its own)."""
    a = np.asarray(a)
    if a.ndim == 1:
        return "[" + ", ".join(str(int(x)) for x in a) + "]"
    return "[\n" + ",\n".join(json_rows(x) for x in a) + "\n]"


def write_json_pair(name, ids, types_, mask, use_mask, img, vid, merge, pos, deltas):
    """The request and transformers' response in the schema of `graphfuse rope-index` (docs/rope-index.md)."""
    fields = [("input_ids", json_rows(ids)), ("mm_token_type_ids", json_rows(types_))]
    if use_mask:
        fields.append(("attention_mask", json_rows(mask)))
    fields.append(("image_grid_thw", json_rows(np.array(img)) if img else "null"))
    fields.append(("video_grid_thw", json_rows(np.array(vid)) if vid else "null"))
    fields.append(("spatial_merge_size", str(merge)))
    request = "{\n" + ",\n".join(f'"{k}": {v}' for k, v in fields) + "\n}\n"
    response = ("{\n\"position_ids\": " + json_rows(pos.numpy()) + ",\n\"rope_deltas\": " + json_rows(deltas.numpy())
                + "\n}\n")
    for suffix, text in (("request", request), ("response", response)):
        json.loads(text)
        with open(os.path.join(OUT_DIR, f"{name}.{suffix}.json"), "w") as f:
            f.write(text)


def narrow(a: np.ndarray, dtype) -> np.ndarray:
    out = a.astype(dtype)
    assert np.array_equal(out.astype(np.int64), a), f"values do not fit {dtype}"
    return out


def main():
    rng = np.random.default_rng(SEED)
    models = {}
    manifest_cases = []
    for name, desc, seq_len, merge, rows, use_mask in cases(rng):
        ids, mask, img, vid = build_case(rng, seq_len, merge, rows)
        if name == "edge_grids":
            end_with_vision(ids, mask, 0)
            end_with_vision(ids, mask, 1)  # its last image has T = 7 > max(H, W)/m = 2: the delta comes from T
        if not use_mask:
            assert mask.all()
        types_ = mm_token_type_ids(ids)
        if merge not in models:
            models[merge] = tiny_model(merge)
        model = models[merge]
        img_t = torch.tensor(img, dtype=torch.long).reshape(-1, 3) if img else None
        vid_t = torch.tensor(vid, dtype=torch.long).reshape(-1, 3) if vid else None
        with torch.no_grad():
            pos, deltas = model.get_rope_index(
                torch.from_numpy(ids), mm_token_type_ids=torch.from_numpy(types_),
                image_grid_thw=None if img_t is None else img_t.clone(),
                video_grid_thw=None if vid_t is None else vid_t.clone(),
                attention_mask=torch.from_numpy(mask) if use_mask else None)
        assert tuple(pos.shape) == (3, ids.shape[0], seq_len) and tuple(deltas.shape) == (ids.shape[0], 1)
        arrays = {"input_ids": narrow(ids, np.int32), "mm_token_type_ids": narrow(types_, np.int8)}
        if use_mask:
            arrays["attention_mask"] = narrow(mask, np.int8)
        if img:
            arrays["image_grid_thw"] = narrow(np.array(img), np.int32)
        if vid:
            arrays["video_grid_thw"] = narrow(np.array(vid), np.int32)
        arrays["position_ids"] = narrow(pos.numpy(), np.int32)
        arrays["rope_deltas"] = narrow(deltas.numpy(), np.int32)
        file = name + ".npz"
        if name in JSON_CASES:
            write_json_pair(name, ids, types_, mask, use_mask, img, vid, merge, pos, deltas)
        write_npz(os.path.join(OUT_DIR, file), arrays)
        entry = {
            "name": name, "file": file, "description": desc, "batch": int(ids.shape[0]), "seq_len": seq_len,
            "spatial_merge_size": merge, "attention_mask": use_mask,
            "attended_tokens": [int(x) for x in mask.sum(axis=1)],
            "images": len(img), "videos": len(vid), "video_frames": int(sum(t for t, _, _ in vid)),
            "image_tokens": int((types_ == 1)[mask == 1].sum()), "video_tokens": int((types_ == 2)[mask == 1].sum()),
            "max_position": int(pos.max()), "rope_deltas": [int(d) for d in deltas[:, 0]],
            "bytes": os.path.getsize(os.path.join(OUT_DIR, file)),
        }
        manifest_cases.append(entry)
        print(f"{file}: B={entry['batch']} S={seq_len} images={entry['images']} videos={entry['videos']} "
              f"frames={entry['video_frames']} deltas={entry['rope_deltas']} {entry['bytes']:,} B")
    manifest = {
        "generator": "testdata/rope_index/generate_rope_index.py",
        "function": "transformers.Qwen3VLModel.get_rope_index (mm_token_type_ids from "
                    "ProcessorMixin.create_mm_token_type_ids)",
        "seed": SEED,
        "token_ids": {"image": IMAGE, "video": VIDEO, "vision_start": VISION_START, "vision_end": VISION_END,
                      "pad": PAD},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__, "numpy": np.__version__},
        "cases": manifest_cases,
    }
    with open(os.path.join(OUT_DIR, "manifest.json.tmp"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(os.path.join(OUT_DIR, "manifest.json.tmp"), os.path.join(OUT_DIR, "manifest.json"))


if __name__ == "__main__":
    sys.exit(main())
