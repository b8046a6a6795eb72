package dev.graphfuse.cli;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.dispatch.ExecutionProvider;
import dev.graphfuse.runtime.dispatch.FusedPlacement;
import dev.graphfuse.runtime.dispatch.GraphfuseSession;
import dev.graphfuse.runtime.dispatch.ModelInputs;
import dev.graphfuse.runtime.dispatch.ModelSource;
import dev.graphfuse.runtime.dispatch.SessionOptionsSpec;
import dev.graphfuse.runtime.kernels.Fallbacks;
import dev.graphfuse.runtime.rope.MropePositions;
import dev.graphfuse.runtime.rope.RopeIndexException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse run MODEL --input name=file.npy … [-o DIR]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Execute a model in one ONNX Runtime session with graphfuse's op library registered: standard ops "
                + "in ORT's kernels, graphfuse nodes in graphfuse's (CUDA or CPU), all on one execution provider. "
                + "Outputs go to DIR/<output>.npy.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx model (usually one `optimize` wrote)")
    Path model;

    @Option(names = {"-i", "--input"}, paramLabel = "NAME=FILE.npy", description = "a graph input from a NumPy file")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--random", description = "fill inputs not given with random values (floats N(0,1), integers 0..7)")
    boolean random;

    @Option(names = "--dim", paramLabel = "NAME=N", description = "with --random: a value for a symbolic input dim (e.g. seq=512)")
    List<String> dims = new ArrayList<>();

    @Option(names = "--input-shape", paramLabel = "INPUT=D1xD2…", description = "with --random: an input's shape (e.g. input_ids=1x128), which sets its symbolic dims")
    List<String> inputShapes = new ArrayList<>();

    @Option(names = "--seed", description = "seed for --random (default: fresh each run, printed)")
    Long seed;

    @Option(names = "--rope-index", paramLabel = "REQUEST.json", description = "compute the multimodal position "
            + "ids (Qwen3-VL get_rope_index) from a `rope-index` request and feed them as --rope-index-input")
    Path ropeIndex;

    @Option(names = "--rope-index-input", defaultValue = "position_ids", paramLabel = "NAME",
            description = "the graph input that takes the (3, batch, seq) position ids (default: ${DEFAULT-VALUE})")
    String ropeIndexInput;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "write each output as DIR/<name>.npy")
    Path outDir;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the provider, the graphfuse nodes, the time "
            + "and every output's type, shape and file as JSON (atomically)")
    Path json;

    @Mixin
    RuntimeOptions runtime;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Model m = ModelFiles.read(model);
        Map<String, Tensor> given = ModelInputs.read(m, inputs);
        if (ropeIndex != null) {
            given = new LinkedHashMap<>(given);
            given.put(ropeIndexInput, positionIds(m, given));
        }
        Long usedSeed = null;
        if (random) {
            long s = seed != null ? seed : System.nanoTime();
            usedSeed = s;
            given = ModelInputs.randomFor(m, given, new Random(s), ModelInputs.dimValues(m, dims, inputShapes));
            out.println("random inputs, seed " + s);
        }
        ModelInputs.requireAll(m, given);
        Fallbacks fallbacks = runtime.fallbacks(err);
        ExecutionProvider provider = runtime.provider(fallbacks);
        ModelSource source = ModelFormat.of(model) == ModelFormat.ONNX ? ModelSource.of(model) : ModelSource.of(m);
        Map<String, Tensor> result;
        FusedPlacement placed;
        double ms;
        try (GraphfuseSession session = source.open(SessionOptionsSpec.of(provider).withProfile(true))) {
            long t0 = System.nanoTime();
            result = session.run(given);
            ms = (System.nanoTime() - t0) / 1e6;
            placed = FusedPlacement.check(m, session.placements(), provider, fallbacks);
            out.printf("%s: one ONNX Runtime session on %s; %s; %.1f ms (first run, profiled)%n", model,
                    provider.ortName(), placed.summary(), ms);
        }
        if (outDir != null) {
            writeAll(result);
        }
        result.forEach((name, t) -> out.println("  " + name + ": " + t.elementType().shortName()
                + java.util.Arrays.toString(t.dims()) + (outDir == null ? "" : " -> "
                + outDir.resolve(fileName(name)))));
        if (json != null) {
            writeJson(provider, placed, ms, usedSeed, result);
        }
        return 0;
    }

    private void writeJson(ExecutionProvider provider, FusedPlacement placed, double ms, Long usedSeed,
                           Map<String, Tensor> result) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("model", model.toString());
        o.put("provider", provider.ortName());
        o.put("graphfuse_nodes", placed.fusedNodes());
        o.put("misplaced", placed.misplaced().size());
        o.put("placement", placed.summary());
        o.put("milliseconds", ms);
        if (usedSeed != null) {
            o.put("seed", usedSeed);
        }
        com.fasterxml.jackson.databind.node.ArrayNode outs = o.putArray("outputs");
        result.forEach((name, t) -> {
            com.fasterxml.jackson.databind.node.ObjectNode x = outs.addObject();
            x.put("name", name);
            x.put("type", t.elementType().shortName());
            com.fasterxml.jackson.databind.node.ArrayNode shape = x.putArray("shape");
            for (long d : t.dims()) {
                shape.add(d);
            }
            if (outDir != null) {
                x.put("file", outDir.resolve(fileName(name)).toString());
            }
        });
        dev.graphfuse.util.AtomicFiles.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** The request's (3, batch, seq) position ids as the int64 tensor the graph input expects. */
    private Tensor positionIds(Model m, Map<String, Tensor> given) throws IOException {
        String name = ropeIndex.toString();
        if (given.containsKey(ropeIndexInput)) {
            throw new BadInputException("--rope-index", null, "input '" + ropeIndexInput + "' is also given with --input");
        }
        if (m.graph().inputs().stream().noneMatch(v -> v.name().equals(ropeIndexInput))) {
            throw new BadInputException("--rope-index-input", null, "the model has no input '" + ropeIndexInput + "'");
        }
        byte[] json;
        try {
            json = Files.readAllBytes(ropeIndex);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException(name, null, "no such file");
        }
        MropePositions p;
        try {
            RopeIndexJson.Request r = RopeIndexJson.read(name, json);
            p = r.ropeIndex().compute(r.input());
        } catch (RopeIndexException e) {
            throw new BadInputException(name, e.field(), e.detail(), e);
        }
        dev.graphfuse.ir.Value input = m.graph().inputs().stream().filter(v -> v.name().equals(ropeIndexInput)).findFirst()
                .orElseThrow();
        if (input.type() instanceof dev.graphfuse.ir.ValueType.TensorType tt && tt.shape() != null && tt.shape().hasRank()) {
            java.util.List<dev.graphfuse.ir.Dim> d = tt.shape().dims();
            long[] want = {3, p.batch(), p.seqLen()};
            boolean fits = d.size() == 3;
            for (int i = 0; fits && i < 3; i++) {
                fits = !(d.get(i) instanceof dev.graphfuse.ir.Dim.Fixed f) || f.size() == want[i];
            }
            if (!fits) {
                throw new BadInputException(name, null, "the request gives position ids (3, " + p.batch() + ", "
                        + p.seqLen() + "), input '" + ropeIndexInput + "' is " + tt.shape());
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * p.positionIds().length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : p.positionIds()) {
            b.putLong(v);
        }
        return Tensor.of(ropeIndexInput, dev.graphfuse.ir.ElementType.INT64, new long[] {3, p.batch(), p.seqLen()}, b.array());
    }

    /** Writes every output, each through a temp file and a rename, after all were computed. */
    private void writeAll(Map<String, Tensor> result) throws IOException {
        Map<String, String> byFile = new java.util.HashMap<>();
        for (String name : result.keySet()) {
            String clash = byFile.putIfAbsent(fileName(name), name);
            if (clash != null) {
                throw new BadInputException(outDir.toString(), null, "outputs '" + clash + "' and '" + name + "' would both be "
                        + "written to " + fileName(name) + "; no output was written");
            }
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new BadInputException(outDir.toString(), null, "cannot create the output directory: " + e.getMessage());
        }
        for (Map.Entry<String, Tensor> e : result.entrySet()) {
            Npy.write(e.getValue(), outDir.resolve(fileName(e.getKey())));
        }
    }

    /** Output names may hold characters a file name cannot ('/', ':'): those become '_'. */
    static String fileName(String output) {
        return output.replaceAll("[^A-Za-z0-9._-]", "_") + ".npy";
    }
}
