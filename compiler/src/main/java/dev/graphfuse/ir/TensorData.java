package dev.graphfuse.ir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
