package dev.graphfuse.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtException;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.testing.Ort;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real model written with each IR version: the importer reads back what the exporter wrote for
 * every version it supports ({@link OnnxImporter#MIN_IR_VERSION}–{@link OnnxImporter#MAX_IR_VERSION}),
 * the same graph and the same ir_version; ONNX Runtime gives bit-identical outputs for every version
 * it loads; versions outside the range are refused as documented.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IrVersionTest {
    private static final String MODEL = "qwen3_dynamo_op18_f32";
    /**
     * The highest ir_version ONNX Runtime Java 1.28.0 loads: every version graphfuse writes (1.23.2 stopped
     * at 11). A newer graphfuse range would show up in onnxRuntimeGivesIdenticalOutputs.
     */
    private static final long ORT_MAX_IR_VERSION = 13;

    @TempDir
    Path tmp;

    private TestModels.Entry entry;
    private Map<String, Tensor> inputs;
    private Map<String, Tensor> originalOutputs;

    @BeforeAll
    void runTheOriginal() throws OrtException {
        entry = TestModels.all().stream().filter(m -> m.name().equals(MODEL)).findFirst()
                .orElseThrow(() -> new IllegalStateException(MODEL + " is not in testdata/models/manifest.json"));
        inputs = new LinkedHashMap<>();
        entry.referenceInputs().forEach((name, file) -> inputs.put(name, Npy.read(file, name)));
        assertTrue(!inputs.isEmpty(), "manifest gives no reference inputs for " + MODEL);
        originalOutputs = Ort.run(entry.file(), inputs);
    }

    /** The committed model, re-stamped with {@code ir} and exported to its own directory. */
    private Path exportWithIrVersion(long ir) throws IOException {
        Model m = OnnxImporter.read(entry.file());
        m.setIrVersion(ir);
        Path out = tmp.resolve("ir" + ir).resolve(MODEL + ".onnx");
        Files.createDirectories(out.getParent());
        OnnxExporter.write(m, out);
        return out;
    }

    @ParameterizedTest(name = "ir_version {0}")
    @ValueSource(longs = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
    void supportedVersionsRoundTrip(long ir) throws IOException {
        assertTrue(ir >= OnnxImporter.MIN_IR_VERSION && ir <= OnnxImporter.MAX_IR_VERSION);
        Model expected = OnnxImporter.read(entry.file());
        expected.setIrVersion(ir);
        Model again = OnnxImporter.read(exportWithIrVersion(ir));
        assertEquals(ir, again.irVersion());
        assertEquals(List.of(), GraphVerifier.problems(again));
        assertEquals(ModelRoundTripTest.canonical(expected), ModelRoundTripTest.canonical(again),
                "graph changed in the round trip at ir_version " + ir);
    }

    @ParameterizedTest(name = "ir_version {0}")
    @ValueSource(longs = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
    void onnxRuntimeGivesIdenticalOutputs(long ir) throws IOException, OrtException {
        assertTrue(ir <= ORT_MAX_IR_VERSION);
        Map<String, Tensor> got = Ort.run(exportWithIrVersion(ir), inputs);
        assertEquals(originalOutputs.keySet(), got.keySet());
        for (String name : originalOutputs.keySet()) {
            assertArrayEquals(originalOutputs.get(name).dims(), got.get(name).dims(), "shape of " + name);
            assertArrayEquals(bytes(originalOutputs.get(name)), bytes(got.get(name)),
                    "output " + name + " differs at ir_version " + ir);
        }
    }

    @ParameterizedTest(name = "ir_version {0}")
    @ValueSource(longs = {0, 1, 2, 14, 15, 1000, Long.MAX_VALUE, -1})
    void unsupportedVersionsAreRefusedAsDocumented(long ir) throws IOException {
        // the exporter writes any ir_version it is given; the importer refuses those outside its range
        Path out = exportWithIrVersion(ir);
        BadInputException e = assertThrows(BadInputException.class, () -> OnnxImporter.read(out));
        assertEquals("model.ir_version", e.location());
        assertEquals("unsupported ir_version " + ir + " (supported: " + OnnxImporter.MIN_IR_VERSION + "–"
                + OnnxImporter.MAX_IR_VERSION + ")", e.detail());
        assertEquals(out + ": model.ir_version: error: " + e.detail(), e.getMessage());
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
