package dev.graphfuse.io;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.util.Progress;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.TensorData;
import dev.graphfuse.ir.Value;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import dev.graphfuse.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads and writes models in either format; every write is atomic. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Reads a model and checks it against the IR's invariants, so a model that is already broken (an
     * initializer whose data disagrees with its declared type, …) is the user's one-line error, not a
     * pass reported as having broken it.
     */
    public static Model read(Path file) {
        requireRegularFile(file);
        Model model;
        // one parse of the whole file (an .onnx's inline weights included): shown as elapsed time
        try (Progress.Task task = Progress.current().start("read " + file.getFileName(), -1, Progress.Unit.STEPS)) {
            model = ModelFormat.of(file) == ModelFormat.ONNX ? OnnxImporter.read(file) : GraphTextReader.read(file);
        }
        List<String> problems = GraphVerifier.problems(model);
        if (!problems.isEmpty()) {
            throw new BadInputException(file.toString(), null, "invalid model: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
        return model;
    }

    /**
     * Models are read only from regular files: a FIFO would block the format sniffing forever, a device or a
     * folder has no model in it.
     */
    public static void requireRegularFile(Path file) {
        if (Files.isRegularFile(file)) {
            return;
        }
        if (!Files.exists(file)) {
            throw new BadInputException(file.toString(), null, "no such file");
        }
        throw new BadInputException(file.toString(), null, "not a regular file (" + (Files.isDirectory(file) ? "a directory"
                : "a device, FIFO or socket") + "); models are read from regular files");
    }

    public static void write(Model model, Path out, ModelFormat format) {
        if (format == ModelFormat.ONNX) {
            OnnxExporter.write(model, out);
            return;
        }
        writeText(model, out, TextWriterOptions.FULL);
    }

    /**
     * Writes text with the given options; external data locations are made relative to OUT's directory.
     * A reader refuses a location that climbs out of its folder, so when a data file is not inside OUT's
     * directory its tensors are written inline instead (the text then stands alone).
     */
    public static void writeText(Model model, Path out, TextWriterOptions options) {
        Path dir = out.toAbsolutePath().getParent();
        if (!options.inlineExternal() && !options.elideData() && hasExternalOutside(model, dir.normalize())) {
            options = new TextWriterOptions(options.inlineLimit(), false, options.nodeMetadata(), dir, true);
        }
        String text = GraphTextWriter.print(model, options.withExternalBase(dir));
        AtomicFiles.writeString(out, text);
    }

    private static boolean hasExternalOutside(Model model, Path dir) {
        for (Value v : model.graph().values()) {
            if (v.initializer() != null && v.initializer().data() instanceof TensorData.External e
                    && !e.file().toAbsolutePath().normalize().startsWith(dir)) {
                return true;
            }
        }
        return false;
    }
}
