package dev.graphfuse.cli;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.ir.Model;
import dev.graphfuse.text.TextWriterOptions;
import dev.graphfuse.util.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse convert MODEL --to text|onnx -o OUT}. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert between ONNX and the graphfuse text format. Output is written atomically; "
                + "external tensors of an ONNX output go to OUT.data.")
final class ConvertCommand implements Callable<Integer> {
    enum Target { text, onnx }

    @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx model or a graphfuse text file")
    Path model;

    @Option(names = "--to", required = true, description = "output format: ${COMPLETION-CANDIDATES}")
    Target to;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "output file")
    Path output;

    @Option(names = "--json", description = "print a JSON report of what was written")
    boolean json;

    @Option(names = "--brief", description = "text only: elide large tensors as '...' and omit node metadata "
            + "(for reading; such text cannot be parsed back)")
    boolean brief;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // a bad -o fails before the model is read
        Model m = ModelFiles.read(model);
        ModelFormat format = to == Target.onnx ? ModelFormat.ONNX : ModelFormat.TEXT;
        if (brief && format == ModelFormat.TEXT) {
            ModelFiles.writeText(m, output, TextWriterOptions.GOLDEN);
        } else {
            ModelFiles.write(m, output, format);
        }
        Path data = output.resolveSibling(output.getFileName() + ".data");
        boolean wroteData = format == ModelFormat.ONNX && Files.exists(data)
                && Files.getLastModifiedTime(data).compareTo(Files.getLastModifiedTime(output)) <= 0;
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("input", model.toString());
            r.put("output", output.toString());
            r.put("format", to.name());
            r.put("bytes", Files.size(output));
            r.put("nodes", m.graph().nodeCount());
            if (wroteData) {
                r.put("external_data", data.toString());
            }
            spec.commandLine().getOut().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            spec.commandLine().getOut().printf("wrote %s (%s, %d nodes)%s%n", output, to, m.graph().nodeCount(),
                    wroteData ? " and " + data : "");
        }
        return 0;
    }
}
