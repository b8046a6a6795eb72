package dev.graphfuse.cli;

import dev.graphfuse.pipeline.PassRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by {@code optimize} and {@code explain}: which passes, and extra pattern files. */
final class PipelineOptions {
    @Option(names = "--passes", split = ",", paramLabel = "PASS",
            description = "comma-separated passes to run (default: canonicalize,raise,fuse,tables; `graphfuse patterns list` "
                    + "shows them all); 'patterns' names the --patterns files")
    List<String> passes;

    @Option(names = "--patterns", arity = "1..*", paramLabel = "FILE",
            description = ".fuse files to load; their patterns form the pass 'patterns', run last unless --passes "
                    + "places it")
    List<Path> patternFiles = new ArrayList<>();

    /** The pass name the --patterns files get. */
    static final String USER_PASS = "patterns";

    PassRegistry registry() {
        PassRegistry r = PassRegistry.standard();
        if (!patternFiles.isEmpty()) {
            r.registerPatterns(USER_PASS, patternFiles);
        }
        return r;
    }

    /** The pipeline, an unknown pass name being a usage error. */
    dev.graphfuse.pass.Pipeline pipeline(PassRegistry registry, List<String> names,
                                         picocli.CommandLine commandLine) {
        try {
            return registry.pipeline(names);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    List<String> pipelineNames() {
        List<String> names = new ArrayList<>(passes == null ? PassRegistry.DEFAULT_PIPELINE : passes);
        if (!patternFiles.isEmpty() && !names.contains(USER_PASS)) {
            names.add(USER_PASS);
        }
        return names;
    }
}
