#!/usr/bin/env python3
"""Python's onnxruntime with graphfuse's op library: each optimized model loads through
SessionOptions.register_custom_ops_library, runs on the CPU provider, matches its original (same inputs:
the testdata reference inputs beside the original), and ORT's profile shows every graphfuse node run by
graphfuse's kernel. usage: ort_python_check.py LIB ORIGINAL OPTIMIZED [ORIGINAL OPTIMIZED ...]"""
import json
import os
import sys
import tempfile

import numpy as np
import onnxruntime as ort

GRAPHFUSE_OPS = {"RmsNorm", "GemmaRmsNorm", "RmsNormGated", "QkNorm", "QkNormRope", "QkNormMRope", "Rope", "MRope",
                 "MRopeCosSin"}


def main(lib, pairs):
    failed = False
    for original, optimized in pairs:
        feed = {i.name: np.load(original[:-len(".onnx")] + ".in." + i.name + ".npy")
                for i in ort.InferenceSession(original).get_inputs()}
        want = ort.InferenceSession(original, providers=["CPUExecutionProvider"]).run(None, feed)
        so = ort.SessionOptions()
        so.register_custom_ops_library(lib)
        so.enable_profiling = True
        so.profile_file_prefix = os.path.join(tempfile.mkdtemp(), "ort")
        s = ort.InferenceSession(optimized, so, providers=["CPUExecutionProvider"])
        got = s.run(None, feed)
        profile = s.end_profiling()
        with open(profile) as f:
            events = json.load(f)
        os.remove(profile)
        ran = sorted({e["args"]["op_name"] + "@" + e["args"]["provider"] for e in events
                      if e.get("cat") == "Node" and e["args"].get("op_name") in GRAPHFUSE_OPS})
        err = max(float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) for a, b in zip(want, got))
        ok = err <= 1e-4 and ran
        failed |= not ok
        print(f"{os.path.basename(optimized)}: onnxruntime {ort.__version__}, max abs diff vs original {err:.3g}, "
              f"graphfuse kernels {ran}: {'ok' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(args[0], list(zip(args[1::2], args[2::2]))))
