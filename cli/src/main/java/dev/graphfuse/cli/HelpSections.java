package dev.graphfuse.cli;

/** What every command's --help ends with: the exit codes and runnable examples. */
final class HelpSections {
    private HelpSections() {
    }

    /** The exit codes, listed at the end of every command's --help. */
    static final java.util.Map<String, String> EXIT_CODES = new java.util.LinkedHashMap<>();

    static {
        EXIT_CODES.put("0", "success");
        EXIT_CODES.put("1", "internal error (a bug: please report it with the output of --version)");
        EXIT_CODES.put("2", "bad input or usage: the model, a file, an option");
        EXIT_CODES.put("3", "a fallback refused by --strict / --no-fallback, or the environment lacks something: a GPU, the"
                + " CUDA provider, an ONNX Runtime kernel for the model (bf16 on the CPU)");
        EXIT_CODES.put("4", "verify / golden: an output or a golden file differs");
    }

    /** Runnable examples per command, on the repository's own test models (paths from the repository root). */
    static final java.util.Map<String, java.util.List<String>> EXAMPLES = java.util.Map.ofEntries(
            java.util.Map.entry("inspect", java.util.List.of(
                    "graphfuse inspect testdata/models/qwen3_dynamo_op18_f32.onnx")),
            java.util.Map.entry("convert", java.util.List.of(
                    "graphfuse convert testdata/models/vllm_attn_dynamo_op18_f32.onnx --to text -o /tmp/attn.gft",
                    "graphfuse convert /tmp/attn.gft --to onnx -o /tmp/attn.onnx")),
            java.util.Map.entry("optimize", java.util.List.of(
                    "graphfuse optimize testdata/models/qwen3_dynamo_op18_f32.onnx -o /tmp/q.opt.onnx --stats",
                    "graphfuse optimize MODEL.onnx -o OUT.onnx --passes canonicalize,raise --json")),
            java.util.Map.entry("explain", java.util.List.of(
                    "graphfuse explain testdata/models/llama_dynamo_op18_f32.onnx --pattern QkNormRopeTransposed")),
            java.util.Map.entry("patterns", java.util.List.of("graphfuse patterns list", "graphfuse patterns check my.fuse")),
            java.util.Map.entry("rope-index", java.util.List.of(
                    "graphfuse rope-index testdata/rope_index/qwen3vl_text_model.request.json")),
            java.util.Map.entry("run", java.util.List.of(
                    "graphfuse run /tmp/q.opt.onnx --device cpu -i input_ids=testdata/models/qwen3_dynamo_op18_f32.in.input_ids.npy -o /tmp/out",
                    "graphfuse run /tmp/q.opt.onnx --device cpu --random --seed 1")),
            java.util.Map.entry("verify", java.util.List.of(
                    "graphfuse verify testdata/models/qwen3_dynamo_op18_f32.onnx /tmp/q.opt.onnx --device cpu",
                    "graphfuse verify ORIG.onnx OPT.onnx --dim batch=1 --dim seq=512 --atol 1e-3 --rtol 1e-3 --json v.json")),
            java.util.Map.entry("bench", java.util.List.of(
                    "graphfuse optimize testdata/models/qwen3_dynamo_op18_f32_dynseq.onnx -o /tmp/dyn.opt.onnx",
                    "graphfuse bench testdata/models/qwen3_dynamo_op18_f32_dynseq.onnx /tmp/dyn.opt.onnx --tokens 16,64 --device cpu")),
            java.util.Map.entry("golden", java.util.List.of(
                    "graphfuse golden check testdata/golden", "graphfuse golden update testdata/golden/raise/rms_norm_dynamo.test")));

}
