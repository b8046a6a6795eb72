package dev.graphfuse.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write path under every output: a failure leaves the old file and no temporary file. */
class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporary() throws Exception {
        Path out = Files.writeString(tmp.resolve("out.json"), "previous");
        BadInputException e = assertThrows(BadInputException.class, () -> AtomicFiles.write(out, os -> {
            os.write(new byte[100_000]);
            throw new IOException("No space left on device");
        }));
        assertEquals(out + ": error: cannot write the output: No space left on device", e.getMessage());
        assertEquals("previous", Files.readString(out));
        assertOnly("out.json");
        // a bug in the writer, not an I/O error, passes through unchanged but still cleans up
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(out, os -> {
            throw new IllegalStateException("bug");
        }));
        assertOnly("out.json");
    }

    @Test
    void commitChecksEveryTargetBeforeTheFirstRename() throws Exception {
        Path data = Files.writeString(tmp.resolve("m.onnx.data"), "old data");
        Path model = tmp.resolve("m.onnx");
        try (AtomicFiles.Staged d = AtomicFiles.stage(data); AtomicFiles.Staged m = AtomicFiles.stage(model)) {
            d.write(os -> os.write("new data".getBytes()));
            m.write(os -> os.write("new model".getBytes()));
            Files.createDirectory(model); // became a directory after staging
            BadInputException e = assertThrows(BadInputException.class, () -> AtomicFiles.commit(d, m));
            assertTrue(e.getMessage().startsWith(model + ": error: output is not a regular file (it is a directory)"),
                    e.getMessage());
        }
        assertEquals("old data", Files.readString(data), "the data must not be replaced when the model cannot be");
        assertOnly("m.onnx", "m.onnx.data");
    }

    @Test
    void npyOutputsOfRunAreRefusedOnADevice() throws Exception {
        Path dev = Path.of("/dev/null");
        assumeTrue(isCharacterDevice(dev));
        Tensor t = Tensor.of("x", ElementType.FLOAT, new long[] {1}, new byte[4]);
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.write(t, dev));
        assertEquals("/dev/null: error: output is not a regular file (it is a character device); "
                + "outputs are written only to regular files", e.getMessage());
        assertTrue(isCharacterDevice(dev), "/dev/null must still be a device");
    }

    private static boolean isCharacterDevice(Path p) throws IOException {
        return Files.exists(p) && ((Integer) Files.getAttribute(p, "unix:mode") & 0170000) == 0020000;
    }

    private void assertOnly(String... names) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(names), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
