package dev.graphfuse.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.graphfuse.diag.BadInputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed .npy header is one located error (exit 2), never an index or arithmetic exception. */
class NpyHeaderTest {
    @TempDir
    Path dir;

    private Path npy(int version, long headerLength, String header, int dataBytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer len = ByteBuffer.allocate(version == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (version == 1) {
            len.putShort((short) headerLength);
        } else {
            len.putInt((int) headerLength);
        }
        out.write(len.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[dataBytes]);
        Path p = dir.resolve("t" + System.nanoTime() + ".npy");
        Files.write(p, out.toByteArray());
        return p;
    }

    private static String header(String shape) {
        return "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }\n";
    }

    @Test
    void aHeaderLengthNear2To31IsRefused() throws Exception {
        Path p = npy(2, 0x7fffffffL, header("2,"), 8);
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(p, "x"));
        assertEquals(p + ": header: error: header length 2147483647 exceeds the file", e.getMessage());
    }

    @Test
    void aVersion2FileCutInsideItsLengthFieldIsRefused() throws Exception {
        // found by RequestAndNpyFuzzTest: 10 bytes pass the magic check, but version 2 reads a 4-byte length at 8
        Path p = dir.resolve("cut.npy");
        Files.write(p, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 16, 0});
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(p, "x"));
        assertEquals(p + ": header: error: truncated: 10 bytes, no room for the header length", e.getMessage());
    }

    @Test
    void negativeOrNonNumericDimsAreRefused() throws Exception {
        String h = header("2, -3");
        Path p = npy(1, h.length(), h, 0);
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(p, "x"));
        assertEquals(p + ": header: error: shape (2, -3) has '-3', not a size", e.getMessage());
        String h2 = header("2, x");
        Path p2 = npy(1, h2.length(), h2, 0);
        assertEquals(p2 + ": header: error: shape (2, x) has 'x', not a size",
                assertThrows(BadInputException.class, () -> Npy.read(p2, "x")).getMessage());
    }

    @Test
    void aShapeWhoseElementCountOverflowsIsRefused() throws Exception {
        String h = header("4294967296, 4294967296, 4294967296");
        Path p = npy(1, h.length(), h, 0);
        BadInputException e = assertThrows(BadInputException.class, () -> Npy.read(p, "x"));
        assertEquals(p + ": header: error: shape (4294967296, 4294967296, 4294967296) has more elements than a file holds",
                e.getMessage());
    }
}
