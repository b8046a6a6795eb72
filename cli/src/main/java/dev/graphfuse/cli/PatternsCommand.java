package dev.graphfuse.cli;

import dev.graphfuse.dsl.PatternLibrary;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.pipeline.PassRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse patterns check FILE…} and {@code graphfuse patterns list}. */
@Command(name = "patterns", mixinStandardHelpOptions = true, description = "Check or list pattern files.",
        subcommands = {PatternsCommand.Check.class, PatternsCommand.ListPasses.class})
final class PatternsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Parse and check .fuse files (with the built-in library and the ONNX op signatures); "
                    + "print every error as FILE:LINE:COL: error: …, exit 2 if there is one.")
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE")
        List<Path> files;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PassRegistry r = PassRegistry.standard().registerPatterns(PipelineOptions.USER_PASS, files);
            PatternLibrary lib = r.library();
            PrintWriter out = spec.commandLine().getOut();
            for (Path f : files) {
                List<CompiledPattern> ps = lib.patternsOf(f.toString());
                out.printf("%s: ok, %d pattern%s%s%n", f, ps.size(), ps.size() == 1 ? "" : "s",
                        ps.isEmpty() ? "" : " (" + String.join(", ", ps.stream()
                                .map(p -> p.name() + " benefit " + p.benefit()).toList()) + ")");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List passes and the patterns in each.")
    static final class ListPasses implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PassRegistry r = PassRegistry.standard();
            PrintWriter out = spec.commandLine().getOut();
            for (String name : r.passNames()) {
                var p = r.pass(name);
                out.printf("%-16s %s%n", name, p.summary());
            }
            return 0;
        }
    }
}
