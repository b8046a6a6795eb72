package dev.graphfuse.onnx;

import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects external tensor payloads into one data file beside an exported model. Payloads are
 * copied file-to-file (never through the Java heap) at 64-byte aligned offsets; the file is written
 * under a temporary name ({@link AtomicFiles#stage}) that the exporter renames together with the model.
 */
final class ExternalDataWriter implements OnnxTensors.ExternalSink, AutoCloseable {
    private static final int ALIGN = 64;

    private final Path target;
    private final String name;
    private AtomicFiles.Staged staged;
    private FileChannel channel;
    private long position;

    /** {@code target}: the data file's path; {@code name}: how the model refers to it (its file name). */
    ExternalDataWriter(Path target, String name) {
        this.target = target;
        this.name = name;
    }

    @Override
    public Map<String, String> write(Tensor t) {
        TensorData.External ext = (TensorData.External) t.data();
        try {
            if (channel == null) {
                staged = AtomicFiles.stage(target);
                channel = FileChannel.open(staged.temporary(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
            long pad = (ALIGN - position % ALIGN) % ALIGN;
            position += pad;
            long start = position;
            try (FileChannel src = FileChannel.open(ext.file(), StandardOpenOption.READ)) {
                long done = 0;
                while (done < ext.length()) {
                    long n = src.transferTo(ext.offset() + done, ext.length() - done, channel.position(start + done));
                    if (n <= 0) {
                        throw new IOException(ext.file() + " ended early while copying tensor " + t.name());
                    }
                    done += n;
                }
            }
            position = start + ext.length();
            Map<String, String> entries = new LinkedHashMap<>();
            entries.put("location", name);
            entries.put("offset", Long.toString(start));
            entries.put("length", Long.toString(ext.length()));
            if (ext.checksum() != null) {
                entries.put("checksum", ext.checksum());
            }
            entries.putAll(ext.extra());
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forces the data file to disk and closes it; returns it for {@link AtomicFiles#commit}, or null when
     * no tensor was written (then there is no data file).
     */
    AtomicFiles.Staged finish() throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
            channel = null;
        }
        return staged;
    }

    /** Deletes the temporary data file unless it was committed. */
    @Override
    public void close() throws IOException {
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            if (staged != null) {
                staged.close();
            }
        }
    }
}
