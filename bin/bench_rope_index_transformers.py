#!/usr/bin/env python3
"""The transformers half of bin/bench-rope-index (run that script, not this one).

``time CASE OUT.json``: times transformers' own ``Qwen3VLModel.get_rope_index`` (torch CPU) on the inputs of
testdata/rope_index/CASE.npz — the arrays the Java benchmark reads — checks its output against the committed
reference, and writes the timings.  ``report HF.json JMH.json``: prints both sides and the ratio as a
Markdown table.  Only bin/bench-rope-index needs Python; the build and the tests never do.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import warnings

warnings.filterwarnings("ignore")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "testdata", "rope_index"))

WARMUP = 5
REPEATS = 30


def time_transformers(case: str, out: str) -> None:
    import numpy as np
    import torch
    import transformers
    from generate_rope_index import tiny_model  # the same model the references came from

    data = np.load(os.path.join(ROOT, "testdata", "rope_index", case + ".npz"))
    manifest = json.load(open(os.path.join(ROOT, "testdata", "rope_index", "manifest.json")))
    entry = next(c for c in manifest["cases"] if c["name"] == case)
    model = tiny_model(entry["spatial_merge_size"])

    def tensor(name):
        return torch.from_numpy(data[name].astype(np.int64)) if name in data else None

    # int64 on CPU, as a processor hands them to the model
    kwargs = dict(mm_token_type_ids=tensor("mm_token_type_ids"), image_grid_thw=tensor("image_grid_thw"),
                  video_grid_thw=tensor("video_grid_thw"), attention_mask=tensor("attention_mask"))
    input_ids = tensor("input_ids")
    with torch.no_grad():
        pos, deltas = model.get_rope_index(input_ids, **kwargs)
        assert np.array_equal(pos.numpy(), data["position_ids"]), "transformers disagrees with its own reference"
        assert np.array_equal(deltas.numpy(), data["rope_deltas"])
        for _ in range(WARMUP):
            model.get_rope_index(input_ids, **kwargs)
        samples = []
        for _ in range(REPEATS):
            t0 = time.perf_counter_ns()
            model.get_rope_index(input_ids, **kwargs)
            samples.append((time.perf_counter_ns() - t0) / 1000.0)
    samples.sort()
    result = {
        "case": case, "repeats": REPEATS, "warmup": WARMUP, "samples_us": samples,
        "median_us": statistics.median(samples), "p10_us": samples[len(samples) // 10],
        "p90_us": samples[(len(samples) * 9) // 10], "torch_threads": torch.get_num_threads(),
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "transformers": transformers.__version__},
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"transformers {transformers.__version__} get_rope_index on {case}: median {result['median_us']:,.0f} µs "
          f"over {REPEATS} calls (torch {torch.__version__}, {result['torch_threads']} threads)")


def report(hf_file: str, jmh_file: str) -> None:
    hf = json.load(open(hf_file))
    jmh = json.load(open(jmh_file))
    print()
    print(f"Qwen3-VL get_rope_index, case {hf['case']} (same inputs on both sides)")
    print()
    print("| implementation | p50 | p10 | p90 | samples | transformers p50 / this p50 |")
    print("|---|---|---|---|---|---|")
    print(f"| transformers {hf['versions']['transformers']} `Qwen3VLModel.get_rope_index` (torch {hf['versions']['torch']},"
          f" {hf['torch_threads']} threads) | {hf['median_us']:,.0f} µs | {hf['p10_us']:,.0f} µs | "
          f"{hf['p90_us']:,.0f} µs | {hf['repeats']} | 1.0× |")
    for r in jmh:
        m = r["primaryMetric"]
        assert m["scoreUnit"] == "us/op", m["scoreUnit"]
        # SampleTime histograms (forks → iterations → [value, count]); percentiles by the same rule as above
        values = sorted(v for fork in m["rawDataHistogram"] for it in fork for v, cnt in it for _ in range(int(cnt)))
        p50, p10, p90 = statistics.median(values), values[len(values) // 10], values[(len(values) * 9) // 10]
        name = r["benchmark"].rsplit(".", 1)[1]
        print(f"| graphfuse `Qwen3VlRopeIndex` `{name}` (JMH, 1 thread) | {p50:,.1f} µs | {p10:,.1f} µs | "
              f"{p90:,.1f} µs | {len(values):,} | **{hf['median_us'] / p50:,.0f}×** |")


def main(argv):
    if len(argv) == 3 and argv[0] == "time":
        time_transformers(argv[1], argv[2])
    elif len(argv) == 3 and argv[0] == "report":
        report(argv[1], argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
