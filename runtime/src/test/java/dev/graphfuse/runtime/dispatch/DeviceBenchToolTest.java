package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.runtime.ort.OrtOpLibrary;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gf-ort-bench (runtime/native/ort/bench), the device-resident side-by-side timer, driven here on ORT's CPU
 * provider with the ORT runtime of the Maven jar: both models run on the same inputs through IO binding,
 * their outputs are compared, and bad invocations fail with one line naming the problem.
 */
class DeviceBenchToolTest {
    private static final Path TOOL = Path.of("..", "runtime", "target", "native-build", "gf-ort-bench");
    private static final Path ORIGINAL = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32_dynseq.onnx");

    @TempDir
    static Path dir;
    static Path ortRuntime;
    static Path optimized;

    record Result(int exit, String out, String err) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(Files.isExecutable(TOOL), TOOL + " is missing: the runtime module's native build makes it");
        ortRuntime = dir.resolve("libonnxruntime.so.1");
        try (InputStream in = ai.onnxruntime.OrtEnvironment.class.getResourceAsStream(
                "/ai/onnxruntime/native/linux-x64/libonnxruntime.so")) {
            assertTrue(in != null, "the ORT jar has no linux-x64 runtime");
            Files.copy(in, ortRuntime, StandardCopyOption.REPLACE_EXISTING);
        }
        Model m = OnnxImporter.read(ORIGINAL);
        new PassManager().run(m, PassRegistry.standard().pipeline(PassRegistry.DEFAULT_PIPELINE), PassContext.quiet());
        optimized = dir.resolve("optimized.onnx");
        ModelFiles.write(m, optimized, ModelFormat.of(optimized));
    }

    static Result bench(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(TOOL.toString(), "--ort", ortRuntime.toString(), "--library",
                OrtOpLibrary.load().path().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void timesBothModelsOnTheSameInputsAndTheirOutputsAgree() throws Exception {
        for (String fix : List.of("--seed", "--fix-dims")) {
            Path json = dir.resolve("bench" + fix + ".json");
            List<String> args = new ArrayList<>(List.of(ORIGINAL.toString(), optimized.toString(), "--device", "cpu",
                    "--dim", "seq=12", "--int-max", "256", "--warmup", "1", "--iterations", "3", "--json", json.toString()));
            args.addAll(fix.equals("--seed") ? List.of("--seed", "7") : List.of(fix));
            Result r = bench(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.err());
            JsonNode j = new ObjectMapper().readTree(json.toFile());
            assertEquals("input_ids int64 [1,12]", j.get("inputs").asText());
            assertEquals(fix.equals("--fix-dims"), j.get("fixed_dims").asBoolean());
            double orig = j.at("/original/median_us").asDouble();
            double opt = j.at("/optimized/median_us").asDouble();
            assertTrue(orig > 0 && opt > 0, j.toString());
            assertEquals(orig / opt, j.get("speedup").asDouble(), 1e-3 * orig / opt);
            assertTrue(j.at("/relative_error/logits").asDouble() < 1e-4, j.toString());
            assertTrue(r.out().contains("speedup"), r.out());
        }
    }

    /** The comparison is not vacuous: a model whose last norm weights differ is reported as differing. */
    @Test
    void reportsOutputsThatDiffer() throws Exception {
        Model m = OnnxImporter.read(optimized);
        Node lastNorm = null;
        for (Node n : m.graph().nodes()) {
            if (n.opType().equals("RmsNorm")) {
                lastNorm = n;
            }
        }
        assertTrue(lastNorm != null);
        Value w = lastNorm.input(1);
        Tensor t = w.initializer();
        ByteBuffer b = ByteBuffer.allocate((int) t.elementCount() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < t.elementCount(); i++) {
            b.putFloat((float) (t.getDouble(i) * -3.0));
        }
        w.replaceInitializer(Tensor.of(t.name(), ElementType.FLOAT, t.dims(), b.array()));
        Path changed = dir.resolve("changed.onnx");
        ModelFiles.write(m, changed, ModelFormat.of(changed));
        Path json = dir.resolve("changed.json");
        Result r = bench(ORIGINAL.toString(), changed.toString(), "--device", "cpu", "--dim", "seq=4", "--int-max", "256",
                "--warmup", "1", "--iterations", "1", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(new ObjectMapper().readTree(json.toFile()).at("/relative_error/logits").asDouble() > 0.1, r.out());
    }

    @Test
    void aSymbolicDimWithoutAValueIsOneError() throws Exception {
        Result r = bench(ORIGINAL.toString(), optimized.toString(), "--device", "cpu");
        assertEquals(1, r.exit());
        assertEquals("gf-ort-bench: input 'input_ids' dim 1 ('seq') has no value: give --dim seq=N\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void modelsWithDifferentInputsAreRefused() throws Exception {
        Path other = TestModels.modelsDir().resolve("qwen35_text_dynamo_op18_f32.onnx");
        Result r = bench(ORIGINAL.toString(), other.toString(), "--device", "cpu", "--dim", "seq=4");
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("gf-ort-bench: ") && r.err().contains("has 2 inputs"), r.err());
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        Result graphOnCpu = bench(ORIGINAL.toString(), optimized.toString(), "--device", "cpu", "--cuda-graph");
        assertEquals(2, graphOnCpu.exit());
        assertTrue(graphOnCpu.err().startsWith("gf-ort-bench: --cuda-graph needs --device cuda\nusage: "), graphOnCpu.err());
        Result badDim = bench(ORIGINAL.toString(), optimized.toString(), "--dim", "seq=0");
        assertEquals(2, badDim.exit());
        assertTrue(badDim.err().startsWith("gf-ort-bench: --dim seq=0: expected an integer ≥ 1, got '0'"), badDim.err());
        Result oneModel = bench(ORIGINAL.toString());
        assertEquals(2, oneModel.exit());
        assertTrue(oneModel.err().startsWith("gf-ort-bench: expected ORIGINAL and OPTIMIZED, got 1 models"), oneModel.err());
    }

    @Test
    void aMissingRuntimeIsNamed() throws Exception {
        Process p = new ProcessBuilder(TOOL.toString(), "--ort", dir.resolve("nope.so").toString(), "--library", "x.so",
                ORIGINAL.toString(), optimized.toString(), "--device", "cpu").start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(err.startsWith("gf-ort-bench: cannot load ONNX Runtime from " + dir.resolve("nope.so")), err);
    }
}
