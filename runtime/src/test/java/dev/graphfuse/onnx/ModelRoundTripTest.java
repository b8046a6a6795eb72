package dev.graphfuse.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.testing.Ort;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed model survives import → export → import unchanged, and stock ONNX Runtime gives
 * bit-identical outputs for the original and the re-exported file.
 */
class ModelRoundTripTest {
    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> onnxRoundTripIsIdentity() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model original = OnnxImporter.read(m.file());
            assertEquals(List.of(), GraphVerifier.problems(original));
            Path out = tmp.resolve(m.name()).resolve(m.file().getFileName());
            Files.createDirectories(out.getParent());
            OnnxExporter.write(original, out);
            Model again = OnnxImporter.read(out);
            assertEquals(List.of(), GraphVerifier.problems(again));
            assertEquals(canonical(original), canonical(again), "graph changed in the ONNX round trip");
            // external tensors must stay external (in OUT.data), not be inlined into the model file
            assertEquals(OnnxExporter.hasExternalData(original), OnnxExporter.hasExternalData(again));
        }));
    }

    @TestFactory
    Stream<DynamicTest> textRoundTripIsIdentity() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Model original = OnnxImporter.read(m.file());
            // the text as if written beside the model: its external references stay inside that folder,
            // the only place a reader follows them
            Path dir = m.file().toAbsolutePath().getParent();
            String text = GraphTextWriter.print(original, TextWriterOptions.FULL.withExternalBase(dir));
            Model parsed = GraphTextReader.parse(text, m.name() + ".gft", dir);
            assertEquals(List.of(), GraphVerifier.problems(parsed));
            assertEquals(canonical(original), canonical(parsed), "graph changed in the text round trip");
        }));
    }

    @TestFactory
    Stream<DynamicTest> onnxRuntimeOutputsAreIdenticalAfterRoundTrip() {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            m.referenceInputs().forEach((name, file) -> inputs.put(name, Npy.read(file, name)));
            assertTrue(!inputs.isEmpty(), "manifest gives no reference inputs for " + m.name());
            Path out = tmp.resolve("ort-" + m.name()).resolve(m.file().getFileName());
            Files.createDirectories(out.getParent());
            OnnxExporter.write(OnnxImporter.read(m.file()), out);

            Map<String, Tensor> before = Ort.run(m.file(), inputs);
            Map<String, Tensor> after = Ort.run(out, inputs);
            assertEquals(before.keySet(), after.keySet());
            for (String name : before.keySet()) {
                assertArrayEquals(bytes(before.get(name)), bytes(after.get(name)), "output " + name + " differs");
            }
            // and ORT Java agrees with the generator's ORT (Python) reference
            m.referenceOutputs().forEach((name, file) -> {
                Tensor ref = Npy.read(file, name);
                Tensor got = before.get(name);
                assertArrayEquals(ref.dims(), got.dims(), "shape of " + name);
                double tol = ref.elementType() == ElementType.FLOAT16 ? 2e-2 : 1e-4;
                double worst = 0;
                for (long i = 0; i < ref.elementCount(); i++) {
                    double r = ref.getDouble(i);
                    double err = Math.abs(r - got.getDouble(i)) / (1 + Math.abs(r));
                    worst = Math.max(worst, err);
                }
                assertTrue(worst <= tol, name + ": max scaled error " + worst + " > " + tol);
            });
        }));
    }

    static String canonical(Model m) {
        return GraphTextWriter.print(m, TextWriterOptions.CANONICAL);
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = t.bytes();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
