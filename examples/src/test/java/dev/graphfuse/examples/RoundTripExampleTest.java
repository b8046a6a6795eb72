package dev.graphfuse.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoundTripExampleTest {
    @Test
    void exampleRunsOnABundledModel(@TempDir Path out) {
        Path root = Path.of(System.getProperty("graphfuse.repoRoot", ".."));
        Path model = root.resolve("testdata/models/qwen3_dynamo_op18_f32.onnx");
        List<String> rsqrt = RoundTripExample.run(model, out);
        // 2 layers × (input norm, q_norm, k_norm, post-attention norm) + final norm
        assertEquals(9, rsqrt.size());
        assertTrue(Files.exists(out.resolve("model.gft")));
        assertEquals(ModelFiles.read(model).graph().nodeCount(), ModelFiles.read(out.resolve("model.onnx")).graph().nodeCount());
    }
}
