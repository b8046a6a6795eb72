#!/usr/bin/env python3
"""Times onnxscript's optimize_for_ort on an ONNX file, the peer graphfuse's `optimize` is compared with.

Called by bin/bench-onnxscript, which runs graphfuse's JMH OptimizeBenchmark on the same
file in the same run and prints the ratio. Only timing and fusion counts are reported: onnxscript's
ORT fusions target ORT's com.microsoft contrib ops, graphfuse's target its own domain, so the two
outputs are not the same graph.

    python bin/onnxscript_side_by_side.py FILE [REPEATS]
"""

import json
import statistics
import sys
import time

import onnx_ir as ir
from onnxscript.rewriter.ort_fusions import optimize_for_ort


def main(argv):
    path = argv[1]
    repeats = int(argv[2]) if len(argv) > 2 else 5
    times, counts = [], None
    for i in range(repeats + 1):
        model = ir.load(path)  # load (with external data) outside the timed region, as JMH's import is inside ours
        t0 = time.perf_counter()
        _, counts = optimize_for_ort(model)
        dt = time.perf_counter() - t0
        if i > 0:  # the first run imports and compiles the rewrite rules: warm-up, as JMH's warm-up
            times.append(dt)
    print(json.dumps({"file": path, "repeats": repeats, "median_ms": statistics.median(times) * 1e3,
                      "min_ms": min(times) * 1e3, "max_ms": max(times) * 1e3,
                      "fusions": {k: v for k, v in sorted(counts.items()) if v}}))


if __name__ == "__main__":
    main(sys.argv)
