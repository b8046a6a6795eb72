package dev.graphfuse.cli;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.runtime.rope.MropePositions;
import dev.graphfuse.runtime.rope.RopeIndexException;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse rope-index [REQUEST] [-o OUT]}: Qwen3-VL multimodal position ids, JSON in, JSON out. */
@Command(name = "rope-index", mixinStandardHelpOptions = true,
        description = "Compute Qwen3-VL multimodal RoPE position ids (3, B, S) and rope deltas (B, 1) from a JSON "
                + "request, identically to transformers' get_rope_index. Schema: docs/rope-index.md.")
final class RopeIndexCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "REQUEST",
            description = "JSON request file; '-' or none reads standard input")
    String request;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the JSON response here "
            + "(atomically) instead of standard output")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (output != null) {
            AtomicFiles.checkTarget(output); // a bad -o fails before standard input is read
        }
        boolean stdin = request == null || request.equals("-");
        String name = stdin ? "<stdin>" : request;
        byte[] json;
        try {
            json = stdin ? System.in.readAllBytes() : Files.readAllBytes(Path.of(request));
        } catch (NoSuchFileException e) {
            throw new BadInputException(name, null, "no such file");
        }
        String response;
        try {
            RopeIndexJson.Request r = RopeIndexJson.read(name, json);
            MropePositions positions = r.ropeIndex().compute(r.input());
            response = RopeIndexJson.write(positions);
        } catch (RopeIndexException e) {
            throw new BadInputException(name, e.field(), e.detail(), e);
        }
        // Nothing is printed or written before the whole response exists, so a bad request leaves no output.
        if (output != null) {
            AtomicFiles.writeString(output, response);
        } else {
            spec.commandLine().getOut().print(response);
        }
        return 0;
    }
}
