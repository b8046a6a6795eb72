package dev.graphfuse.ir;

import static dev.graphfuse.diag.Quote.quote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Where a tensor's elements live. Inline data may alias a memory-mapped model file; external data is
 * only a reference (file, offset, length) until {@link #bytes()} is called.
 */
public sealed interface TensorData {

    /** The packed little-endian element bytes (for non-string tensors), read from disk if external. */
    ByteBuffer bytes();

    /** Number of bytes of the packed payload, known without reading it. */
    long byteLength();

    /** Inline little-endian bytes. */
    record Inline(ByteBuffer buffer) implements TensorData {
        public Inline {
            // slice: element i is always at absolute index i * width, whatever buffer it aliases
            buffer = buffer.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }

        public static Inline of(byte[] bytes) {
            return new Inline(ByteBuffer.wrap(bytes));
        }

        @Override
        public ByteBuffer bytes() {
            return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public long byteLength() {
            return buffer.remaining();
        }
    }

    /**
     * A reference to bytes in an external file. {@code location} is the path as written in the model
     * (relative to the model's directory); {@code baseDir} is where it resolves. Extra keys of the
     * external_data entry other than location/offset/length/checksum are kept in {@code extra}.
     */
    record External(Path baseDir, String location, long offset, long length, String checksum,
                    Map<String, String> extra) implements TensorData {
        public External {
            extra = Map.copyOf(extra);
        }

        public Path file() {
            return baseDir.resolve(location);
        }

        /**
         * Checks a reference read from a model file before it is trusted: {@code location} must be a
         * non-empty relative path resolving against {@code baseDir} (null: the model was not read
         * from a file), and with {@code insideBaseDir} not climbing out of it with {@code ..}, to a
         * regular file that holds {@code offset + length} bytes. The ONNX importer and the text
         * reader both call this, so they accept and reject the same references in the same words.
         * Throws {@link IllegalArgumentException} with a one-line message.
         */
        private static boolean insideAfterLinks(Path baseDir, Path file) {
            try {
                return file.toRealPath().startsWith(baseDir.toRealPath());
            } catch (IOException e) {
                return false;
            }
        }

        public static void checkReference(Path baseDir, String location, long offset, long length,
                                          boolean insideBaseDir) {
            if (location.isEmpty()) {
                // "" resolves to baseDir itself
                throw new IllegalArgumentException("external data location is empty");
            }
            Path rel;
            try {
                rel = Path.of(location);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("external data location " + quote(location) + " is not a valid path");
            }
            if (rel.isAbsolute() || insideBaseDir && rel.normalize().startsWith("..")) {
                throw new IllegalArgumentException("external data location " + quote(location)
                        + " must be a relative path inside the model's directory");
            }
            if (baseDir == null) {
                throw new IllegalArgumentException("external data " + quote(location)
                        + " cannot be resolved: the model was not read from a file");
            }
            Path file = baseDir.resolve(rel);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("external data file " + quote(location) + " is missing (looked in "
                        + baseDir + ")");
            }
            if (!Files.isRegularFile(file)) {
                // a directory passes Files.size (4096 on most file systems) and fails only when read
                throw new IllegalArgumentException("external data location " + quote(location) + " is not a regular file");
            }
            if (insideBaseDir && !insideAfterLinks(baseDir, file)) {
                // a link named like a data file must not reach what the model's folder does not hold (a
                // model from elsewhere, read as root, would copy /etc/shadow into OUT.data)
                throw new IllegalArgumentException("external data location " + quote(location)
                        + " leads outside the model's directory through a symbolic link");
            }
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("external data file " + quote(location) + " cannot be read: "
                        + e.getMessage());
            }
            // written without offset + length, which can overflow to a negative number and pass
            if (offset < 0 || length < 0 || offset > size || size - offset < length) {
                throw new IllegalArgumentException("external data file " + quote(location) + " has " + size
                        + " bytes, shorter than offset " + offset + " + length " + length);
            }
        }

        @Override
        public ByteBuffer bytes() {
            if (length > Integer.MAX_VALUE) {
                throw new UnsupportedOperationException("external tensor of " + length + " bytes exceeds 2 GiB");
            }
            try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate((int) length);
                long pos = offset;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, pos);
                    if (n < 0) {
                        throw new IOException(file() + ": ends before offset " + offset + " + length " + length);
                    }
                    pos += n;
                }
                buf.flip();
                return buf.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public long byteLength() {
            return length;
        }
    }

    /** Elements of a STRING tensor, each a byte string. */
    record Strings(List<byte[]> values) implements TensorData {
        public Strings {
            values = List.copyOf(values);
        }

        @Override
        public ByteBuffer bytes() {
            throw new UnsupportedOperationException("string tensors have no packed byte form");
        }

        @Override
        public long byteLength() {
            long n = 0;
            for (byte[] v : values) {
                n += v.length;
            }
            return n;
        }
    }
}
