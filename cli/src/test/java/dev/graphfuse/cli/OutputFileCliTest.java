package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -o} of every command that writes files: only regular files are replaced. A device, FIFO or
 * directory as OUT is one error line and exit 2 with the filesystem untouched (no {@code OUT.data}, no
 * temporary file), as root too: CI runs these as root, where the old rename replaced {@code /dev/null}
 * itself with a regular file.
 */
class OutputFileCliTest {
    @TempDir
    Path tmp;

    /** Has external data, so a write makes both OUT and OUT.data. */
    private static final Path QWEN3 = TestModels.modelsDir().resolve("qwen3_dynamo_op18_f32.onnx");
    private static final Path VLLM = TestModels.modelsDir().resolve("vllm_attn_dynamo_op18_f32.onnx");
    private static final Path ROPE_REQUEST = TestModels.repoRoot().resolve("testdata/rope_index/cli_example.request.json");
    private static final String NOT_REGULAR = ": error: output is not a regular file (it is %s); "
            + "outputs are written only to regular files\n";

    /** Every command that takes {@code -o OUT}, writing to {@code out}. */
    private static List<String[]> commandsWriting(Path out) {
        return List.of(
                new String[] {"optimize", QWEN3.toString(), "-o", out.toString()},
                new String[] {"convert", QWEN3.toString(), "--to", "onnx", "-o", out.toString()},
                new String[] {"convert", VLLM.toString(), "--to", "text", "-o", out.toString()},
                new String[] {"rope-index", ROPE_REQUEST.toString(), "-o", out.toString()});
    }

    private static int fileType(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
    }

    private static final int S_IFCHR = 0020000;

    @ParameterizedTest
    @ValueSource(strings = {"/dev/null", "/dev/full"})
    void aCharacterDeviceIsRefusedAndLeftADevice(String device) throws Exception {
        Path dev = Path.of(device);
        assumeTrue(Files.exists(dev) && fileType(dev) == S_IFCHR, device + " is not a character device here");
        for (String[] args : commandsWriting(dev)) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(device + NOT_REGULAR.formatted("a character device"), r.err(), String.join(" ", args));
            assertEquals("", r.out());
            assertEquals(S_IFCHR, fileType(dev), device + " must still be a character device after " + args[0]);
            assertFalse(Files.isRegularFile(dev, LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(Path.of(device + ".data"), LinkOption.NOFOLLOW_LINKS), device + ".data was written");
        }
        try (Stream<Path> s = Files.list(dev.getParent())) {
            String prefix = "." + dev.getFileName() + ".";
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(prefix)), "temporary file left in /dev");
        }
    }

    @Test
    void aFifoIsRefusedAndNotOpened() throws Exception {
        Path fifo = tmp.resolve("fifo");
        int rc;
        try {
            rc = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            rc = -1;
        }
        assumeTrue(rc == 0, "mkfifo is not available");
        for (String[] args : commandsWriting(fifo)) {
            // an open for writing would block forever with no reader: getting an answer at all is the test
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), r.err());
            assertEquals(fifo + NOT_REGULAR.formatted("a FIFO"), r.err());
            assertEquals(0010000, fileType(fifo), "the FIFO must still be a FIFO");
        }
        assertOnly(List.of("fifo"));
    }

    @Test
    void aDirectoryIsRefusedAndNothingIsWrittenBesideIt() throws Exception {
        Path dir = tmp.resolve("out.onnx");
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("keep"), "kept");
        for (String[] args : commandsWriting(dir)) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), r.err());
            assertEquals(dir + NOT_REGULAR.formatted("a directory"), r.err(), String.join(" ", args));
            assertEquals("kept", Files.readString(dir.resolve("keep")));
        }
        // an empty directory too: a non-atomic replacing move would have deleted it
        Path empty = tmp.resolve("empty");
        Files.createDirectory(empty);
        for (String[] args : commandsWriting(empty)) {
            CliTest.Run r = CliTest.run(args);
            assertEquals(2, r.code(), r.err());
            assertEquals(empty + NOT_REGULAR.formatted("a directory"), r.err());
            assertTrue(Files.isDirectory(empty, LinkOption.NOFOLLOW_LINKS));
        }
        assertOnly(List.of("empty", "out.onnx"));
    }

    @Test
    void aDirectoryAsOutDataIsRefusedBeforeOutIsReplaced() throws Exception {
        Path out = tmp.resolve("o.onnx");
        Files.writeString(out, "old model");
        Files.createDirectory(tmp.resolve("o.onnx.data"));
        CliTest.Run r = CliTest.run("optimize", QWEN3.toString(), "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(out + ".data" + NOT_REGULAR.formatted("a directory"), r.err());
        assertEquals("old model", Files.readString(out), "OUT must stay as it was when OUT.data cannot be written");
        assertOnly(List.of("o.onnx", "o.onnx.data"));
    }

    @Test
    void aParentThatIsARegularFileIsOneLineNamingIt() throws Exception {
        // fails for root too, unlike permission bits
        Path file = tmp.resolve("somefile");
        Files.writeString(file, "x");
        for (Path out : List.of(file.resolve("out.onnx"), file.resolve("sub/out.onnx"))) {
            for (String[] args : commandsWriting(out)) {
                CliTest.Run r = CliTest.run(args);
                assertEquals(2, r.code(), r.err());
                assertEquals(out + ": error: cannot create the output: " + file + " is not a directory\n", r.err());
            }
        }
        assertEquals("x", Files.readString(file));
        assertOnly(List.of("somefile"));
    }

    @Test
    void anUnwritableDirectoryIsOneLineNamingIt() throws Exception {
        Path dir = tmp.resolve("ro");
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(dir), "root ignores permission bits");
            Path out = dir.resolve("out.onnx");
            for (String[] args : commandsWriting(out)) {
                CliTest.Run r = CliTest.run(args);
                assertEquals(2, r.code(), r.err());
                assertEquals(out + ": error: cannot create the output: directory " + dir + " is not writable\n", r.err());
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.count());
            }
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aSymlinkToADeviceIsRefusedAndLeftALink() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("out.onnx"), Path.of("/dev/null"));
        CliTest.Run r = CliTest.run("optimize", QWEN3.toString(), "-o", link.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(link + NOT_REGULAR.formatted("a character device"), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(S_IFCHR, fileType(Path.of("/dev/null")));
        assertOnly(List.of("out.onnx"));
    }

    @Test
    void aSymlinkToARegularFileIsReplacedNotWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("precious.onnx"), "precious");
        Path link = Files.createSymbolicLink(tmp.resolve("out.onnx"), target);
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling.onnx"), tmp.resolve("nowhere"));
        for (Path out : List.of(link, dangling)) {
            CliTest.Run r = CliTest.run("optimize", QWEN3.toString(), "-o", out.toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS), out + " should now be a regular file");
            assertTrue(Files.isRegularFile(Path.of(out + ".data"), LinkOption.NOFOLLOW_LINKS));
            assertTrue(OnnxImporter.read(out).graph().nodeCount() > 0);
        }
        assertEquals("precious", Files.readString(target), "the link's target must be left alone");
        assertFalse(Files.exists(tmp.resolve("nowhere")));
        try (Stream<Path> s = Files.list(elsewhere)) {
            assertEquals(1, s.count());
        }
        assertOnly(List.of("dangling.onnx", "dangling.onnx.data", "elsewhere", "out.onnx", "out.onnx.data"));
    }

    @Test
    void anExistingModelAndItsDataAreReplacedWithOrdinaryPermissions() throws Exception {
        Path out = tmp.resolve("m.onnx");
        Files.writeString(out, "old");
        Files.writeString(tmp.resolve("m.onnx.data"), "old data");
        CliTest.Run r = CliTest.run("optimize", QWEN3.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(OnnxImporter.read(out).graph().nodeCount() > 0);
        assertTrue(Files.size(tmp.resolve("m.onnx.data")) > 1000);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("m.onnx.data"))));
        assertOnly(List.of("m.onnx", "m.onnx.data"));
        // and the model reads back with its data: the same outputs as the original's inputs would need
        assertArrayEquals(OnnxImporter.read(QWEN3).graph().inputs().stream().map(v -> v.name()).toArray(),
                OnnxImporter.read(out).graph().inputs().stream().map(v -> v.name()).toArray());
    }

    /** {@code tmp} holds exactly these names: nothing else was created, no temporary file was left. */
    private void assertOnly(List<String> names) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(names, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
