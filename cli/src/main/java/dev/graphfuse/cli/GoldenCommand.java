package dev.graphfuse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.golden.GoldenCase;
import dev.graphfuse.golden.GoldenResult;
import dev.graphfuse.golden.GoldenRunner;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code graphfuse golden check|update PATH…}: golden cases of the user's own models and patterns. */
@Command(name = "golden", mixinStandardHelpOptions = true,
        description = "Run golden cases (NAME.test files, or every one below a folder): the case's input or model "
                + "through its passes, the printed graph and per-rule statistics compared with the case, and the same "
                + "with the input's nodes shuffled. check: a mismatch prints a unified diff, writes NAME.test.actual "
                + "beside the case and exits 4. update: rewrites the expectations.")
final class GoldenCommand implements Callable<Integer> {
    static final int EXIT_MISMATCH = 4;

    @Parameters(index = "0", paramLabel = "check|update")
    String mode;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "case files or folders holding them")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "also write one record per case as JSON (atomically)")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean update = switch (mode) {
            case "check" -> false;
            case "update" -> true;
            default -> throw new BadInputException(mode, null, "expected 'check' or 'update'");
        };
        List<Path> files = caseFiles(paths);
        // every case is read (and refused, located) before any runs: a bad file never leaves others half-updated
        List<GoldenCase> cases = files.stream().map(f -> GoldenCase.read(f, update)).toList();
        // in parallel, reported in the cases' sorted order
        List<GoldenResult> results = cases.parallelStream().map(GoldenRunner::run).toList();
        int failed = 0;
        int updated = 0;
        for (int i = 0; i < cases.size(); i++) {
            GoldenResult r = results.get(i);
            Path actualFile = r.file().resolveSibling(r.file().getFileName() + ".actual");
            if (r.nondeterminism() != null) {
                failed++;
                out.println("FAIL " + r.file() + ": " + r.nondeterminism());
            } else if (r.matches()) {
                Files.deleteIfExists(actualFile);
                out.println("ok   " + r.file());
            } else if (!r.updatable()) {
                failed++;
                out.println("FAIL " + r.file() + ": the case says 'expect: unchanged' but the pipeline changed the graph"
                        + (update ? " (not updated: edit the case)" : ""));
                out.print(r.diff());
            } else if (update) {
                GoldenRunner.update(cases.get(i), r);
                Files.deleteIfExists(actualFile);
                updated++;
                out.println("updated " + r.file());
            } else {
                failed++;
                AtomicFiles.writeString(actualFile, r.actual());
                out.println("FAIL " + r.file() + " (the run's result: " + actualFile + ")");
                out.print(r.diff());
            }
        }
        out.printf("%d cases: %d matched, %d updated, %d failed%n", cases.size(), cases.size() - failed - updated, updated,
                failed);
        if (json != null) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (GoldenResult r : results) {
                ObjectNode o = arr.addObject();
                o.put("case", r.file().toString());
                o.put("matches", r.matches());
                o.put("deterministic", r.nondeterminism() == null);
                if (!r.matches()) {
                    o.put("diff", r.diff());
                }
            }
            AtomicFiles.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n");
        }
        return failed == 0 ? 0 : EXIT_MISMATCH;
    }

    /** The .test files named, and those below the folders named, sorted, each once. */
    static List<Path> caseFiles(List<Path> paths) throws IOException {
        TreeSet<Path> files = new TreeSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.getFileName().toString().endsWith(".test") && Files.isRegularFile(f)).forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new BadInputException(p.toString(), null, "no such file or folder");
            }
        }
        if (files.isEmpty()) {
            throw new BadInputException(paths.get(0).toString(), null, "no .test case files here");
        }
        return new ArrayList<>(files);
    }
}
