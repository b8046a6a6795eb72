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
    private final boolean keepData;
    private AtomicFiles.Staged staged;
    private FileChannel channel;
    private long position;
    private long kept;
    private dev.graphfuse.util.Progress.Task progress = dev.graphfuse.util.Progress.Task.NONE;

    /** {@code target}: the data file's path; {@code name}: how the model refers to it (its file name). */
    ExternalDataWriter(Path target, String name) {
        this(target, name, false);
    }

    /**
     * With {@code keepData}, a tensor whose bytes already lie in a file inside the output's folder is not
     * copied: the model refers to that file where it is. Not the data file being written, though: it is
     * replaced when the model is, so tensors read from it are copied into the new one.
     */
    ExternalDataWriter(Path target, String name, boolean keepData) {
        this.target = target;
        this.name = name;
        this.keepData = keepData;
    }

    /** The bytes the model's external tensors hold, for the progress of copying them (-1: unknown). */
    private long toCopy = -1;

    void expect(long bytes) {
        toCopy = bytes;
    }

    /** Bytes referred to where they already were instead of copied. */
    long keptBytes() {
        return kept;
    }

    private String keptLocation(TensorData.External ext) throws IOException {
        if (!keepData || !java.nio.file.Files.exists(ext.file())) {
            return null;
        }
        Path dir = target.toAbsolutePath().getParent().toRealPath();
        Path file = ext.file().toRealPath();
        if (!file.startsWith(dir) || java.nio.file.Files.exists(target) && java.nio.file.Files.isSameFile(file, target)) {
            return null;
        }
        return dir.relativize(file).toString();
    }

    @Override
    public Map<String, String> write(Tensor t) {
        TensorData.External ext = (TensorData.External) t.data();
        try {
            String where = keptLocation(ext);
            if (where != null) {
                kept += ext.length();
                Map<String, String> entries = new LinkedHashMap<>();
                entries.put("location", where);
                entries.put("offset", Long.toString(ext.offset()));
                entries.put("length", Long.toString(ext.length()));
                if (ext.checksum() != null) {
                    entries.put("checksum", ext.checksum());
                }
                entries.putAll(ext.extra());
                return entries;
            }
            if (channel == null) {
                progress = dev.graphfuse.util.Progress.current().start("weights", toCopy, dev.graphfuse.util.Progress.Unit.BYTES);
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
                    progress.advance(n);
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
        progress.close();
        progress = dev.graphfuse.util.Progress.Task.NONE;
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
        progress.close();
        progress = dev.graphfuse.util.Progress.Task.NONE;
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
