package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graphfuse.testing.TestModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: exit codes, output, and agreement with independently computed facts. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GraphfuseCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @TestFactory
    Stream<DynamicTest> inspectHistogramMatchesTheGeneratorsOwnCount() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Run r = run("inspect", "--json", m.file().toString());
            assertEquals(0, r.code(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out());
            JsonNode mj = new ObjectMapper().valueToTree(m.json());
            Map<String, Integer> hist = new TreeMap<>();
            j.path("op_histogram").fields().forEachRemaining(e -> hist.put(e.getKey(), e.getValue().asInt()));
            assertEquals(new TreeMap<>(m.opHistogram()), hist);
            assertEquals(mj.path("node_count").asInt(), j.path("node_count").asInt());
            assertEquals(mj.path("initializer_count").asInt(), j.path("initializer_count").asInt());
            assertEquals(mj.path("initializer_bytes").asLong(), j.path("initializer_bytes").asLong());
            assertEquals(mj.path("ir_version").asLong(), j.path("ir_version").asLong());
            Map<String, Long> opsets = new LinkedHashMap<>();
            mj.path("opset_import").fields().forEachRemaining(e -> opsets.put(e.getKey(), e.getValue().asLong()));
            Map<String, Long> got = new LinkedHashMap<>();
            j.path("opsets").fields().forEachRemaining(e -> got.put(e.getKey(), e.getValue().asLong()));
            assertEquals(new TreeMap<>(opsets), new TreeMap<>(got));
        }));
    }

    @Test
    void inspectPrintsAReadableSummary() {
        Path model = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx");
        Run r = run("inspect", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ir_version:   10"), r.out());
        assertTrue(r.out().contains("input_ids                        i64[1,16]"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  Reciprocal +9\\n.*"), r.out());
        assertTrue(r.out().contains("qwen3_dynamo_op18_f32.onnx.data"), r.out());
    }

    @Test
    void convertWritesTextAndOnnxThatReadBack() throws Exception {
        Path model = TestModels.modelsDir().resolve("vllm_attn_dynamo_op18_f32.onnx");
        Path text = tmp.resolve("sub/attn.gft");
        Run r = run("convert", model.toString(), "--to", "text", "-o", text.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(text).startsWith("model {\n  ir_version: 10\n"));
        // written away from the model's data file, whose ../ location a reader would refuse: inline
        assertFalse(Files.readString(text).contains("external \""), "external reference out of the text's folder");
        Path onnx = tmp.resolve("back.onnx");
        Run r2 = run("convert", text.toString(), "--to", "onnx", "-o", onnx.toString(), "--json");
        assertEquals(0, r2.code(), r2.err());
        Run r3 = run("inspect", onnx.toString());
        assertEquals(0, r3.code(), r3.err());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count(), "temp files left behind");
        }
    }

    @Test
    void textWrittenNextToTheModelKeepsItsDataFile() throws Exception {
        Path model = Files.copy(TestModels.modelsDir().resolve("vllm_attn_dynamo_op18_f32.onnx"), tmp.resolve("m.onnx"));
        Files.copy(TestModels.modelsDir().resolve("vllm_attn_dynamo_op18_f32.onnx.data"),
                tmp.resolve("vllm_attn_dynamo_op18_f32.onnx.data"));
        Path text = tmp.resolve("m.gft");
        Run r = run("convert", model.toString(), "--to", "text", "-o", text.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(text).contains("external \"vllm_attn_dynamo_op18_f32.onnx.data\""), "reference kept");
        Path onnx = tmp.resolve("back.onnx");
        Run back = run("convert", text.toString(), "--to", "onnx", "-o", onnx.toString(), "--json");
        assertEquals(0, back.code(), back.err());
        JsonNode j = new ObjectMapper().readTree(back.out());
        assertEquals(onnx.toString() + ".data", j.path("external_data").asText());
    }

    @Test
    void missingFileIsOneLineAndExitCode2() {
        Run r = run("inspect", tmp.resolve("nope.onnx").toString());
        assertEquals(2, r.code());
        assertEquals(tmp.resolve("nope.onnx") + ": error: no such file\n", r.err());
    }
}
