package dev.graphfuse.cli;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graphfuse inspect MODEL}: header, ports, op histogram, sizes. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarize a model: IR and opsets, inputs/outputs, op histogram, initializer bytes, external data.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "an .onnx model or a graphfuse text file")
    Path model;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelSummary s = ModelSummary.of(model.toString(), ModelFiles.read(model));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
        out.printf("model:        %s%n", s.file());
        out.printf("ir_version:   %d%n", s.irVersion());
        if (!s.producer().isEmpty()) {
            out.printf("producer:     %s%n", s.producer());
        }
        StringBuilder ops = new StringBuilder();
        s.opsets().forEach((d, v) -> ops.append(ops.isEmpty() ? "" : ", ").append(d.isEmpty() ? "ai.onnx" : d).append(' ').append(v));
        out.printf("opsets:       %s%n", ops);
        out.println("inputs:");
        s.inputs().forEach(p -> out.printf("  %-32s %s%n", p.name(), p.type()));
        out.println("outputs:");
        s.outputs().forEach(p -> out.printf("  %-32s %s%n", p.name(), p.type()));
        out.printf("nodes:        %d%s%n", s.nodeCount(),
                s.subgraphNodeCount() > 0 ? " (+" + s.subgraphNodeCount() + " in subgraphs)" : "");
        out.println("op histogram:");
        s.opHistogram().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.printf("  %-32s %d%n", e.getKey(), e.getValue()));
        out.printf("initializers: %d, %s (%s inline, %s external)%n", s.initializerCount(), bytes(s.initializerBytes()),
                bytes(s.inlineInitializerBytes()), bytes(s.externalInitializerBytes()));
        if (!s.externalDataFiles().isEmpty()) {
            out.println("external data files:");
            s.externalDataFiles().forEach((f, n) -> out.printf("  %-32s %s referenced%n", f, bytes(n)));
        }
        if (!s.functions().isEmpty()) {
            out.println("functions:    " + String.join(", ", s.functions()));
        }
        return 0;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return String.format("%.1f MiB", n / (1024.0 * 1024));
    }
}
