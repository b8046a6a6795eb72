package dev.graphfuse.cli;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.dsl.DslException;
import dev.graphfuse.pass.FallbackException;
import dev.graphfuse.runtime.kernels.KernelException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code graphfuse} command. Exit codes: 0 ok, 1 internal error, 2 bad input or usage,
 * 3 a fallback under {@code --strict} / {@code --no-fallback}, 4 {@code verify} found an output over tolerance. */
@Command(name = "graphfuse", mixinStandardHelpOptions = true, versionProvider = VersionReport.class,
        description = "Imports, inspects, converts and fuses exported model graphs.",
        subcommands = {InspectCommand.class, ConvertCommand.class, OptimizeCommand.class, ExplainCommand.class,
                PatternsCommand.class, RopeIndexCommand.class, RunCommand.class, VerifyCommand.class, BenchCommand.class, GoldenCommand.class,
                CommandLine.HelpCommand.class})
public final class GraphfuseCli implements java.util.concurrent.Callable<Integer> {
    public static final int EXIT_BAD_INPUT = 2;
    /** A fallback that --strict turned into an error. */
    public static final int EXIT_STRICT_FALLBACK = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** No subcommand is a usage error: the usage goes to stderr after one error line, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("graphfuse: error: no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_BAD_INPUT;
    }

    /** The exit codes, listed at the end of every command's --help. */
    static final java.util.Map<String, String> EXIT_CODES = new java.util.LinkedHashMap<>();

    static {
        EXIT_CODES.put("0", "success");
        EXIT_CODES.put("1", "internal error (a bug: please report it with the output of --version)");
        EXIT_CODES.put("2", "bad input or usage: the model, a file, an option");
        EXIT_CODES.put("3", "a fallback refused by --strict / --no-fallback, or the environment lacks something: a GPU, the"
                + " CUDA provider, an ONNX Runtime kernel for the model (bf16 on the CPU)");
        EXIT_CODES.put("4", "verify / golden: an output or a golden file differs");
    }

    /** Runnable examples per command, on the repository's own test models (paths from the repository root). */
    static final java.util.Map<String, java.util.List<String>> EXAMPLES = java.util.Map.ofEntries(
            java.util.Map.entry("inspect", java.util.List.of(
                    "graphfuse inspect testdata/models/qwen3_dynamo_op18_f32.onnx")),
            java.util.Map.entry("convert", java.util.List.of(
                    "graphfuse convert testdata/models/vllm_attn_dynamo_op18_f32.onnx --to text -o /tmp/attn.gft",
                    "graphfuse convert /tmp/attn.gft --to onnx -o /tmp/attn.onnx")),
            java.util.Map.entry("optimize", java.util.List.of(
                    "graphfuse optimize testdata/models/qwen3_dynamo_op18_f32.onnx -o /tmp/q.opt.onnx --stats",
                    "graphfuse optimize MODEL.onnx -o OUT.onnx --passes canonicalize,raise --json")),
            java.util.Map.entry("explain", java.util.List.of(
                    "graphfuse explain testdata/models/llama_dynamo_op18_f32.onnx --pattern QkNormRopeTransposed")),
            java.util.Map.entry("patterns", java.util.List.of("graphfuse patterns list", "graphfuse patterns check my.fuse")),
            java.util.Map.entry("rope-index", java.util.List.of(
                    "graphfuse rope-index testdata/rope_index/qwen3vl_text_model.request.json")),
            java.util.Map.entry("run", java.util.List.of(
                    "graphfuse run /tmp/q.opt.onnx --device cpu -i input_ids=testdata/models/qwen3_dynamo_op18_f32.in.input_ids.npy -o /tmp/out",
                    "graphfuse run /tmp/q.opt.onnx --device cpu --random --seed 1")),
            java.util.Map.entry("verify", java.util.List.of(
                    "graphfuse verify testdata/models/qwen3_dynamo_op18_f32.onnx /tmp/q.opt.onnx --device cpu",
                    "graphfuse verify ORIG.onnx OPT.onnx --dim batch=1 --dim seq=512 --atol 1e-3 --rtol 1e-3 --json v.json")),
            java.util.Map.entry("bench", java.util.List.of(
                    "graphfuse optimize testdata/models/qwen3_dynamo_op18_f32_dynseq.onnx -o /tmp/dyn.opt.onnx",
                    "graphfuse bench testdata/models/qwen3_dynamo_op18_f32_dynseq.onnx /tmp/dyn.opt.onnx --tokens 16,64 --device cpu")),
            java.util.Map.entry("golden", java.util.List.of(
                    "graphfuse golden check testdata/golden", "graphfuse golden update testdata/golden/raise/rms_norm_dynamo.test")));

    private static void exitCodesInEveryHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        java.util.List<String> examples = EXAMPLES.get(cl.getCommandName());
        if (examples != null) {
            java.util.List<String> footer = new java.util.ArrayList<>(java.util.List.of("", "Examples:"));
            examples.forEach(e -> footer.add("  " + e));
            cl.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
        }
        cl.getSubcommands().values().forEach(GraphfuseCli::exitCodesInEveryHelp);
    }

    /**
     * A usage error is one {@code error:} line and the command's synopsis, not its whole help (which
     * {@code --help} gives): the line that matters stays on screen.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("graphfuse: error: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.print("Usage: " + cmd.getHelp().synopsis(0));
        }
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options and examples.");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests and examples). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new GraphfuseCli());
        cl.setOut(out);
        cl.setErr(err);
        exitCodesInEveryHelp(cl);
        cl.setParameterExceptionHandler(GraphfuseCli::usageError);
        cl.setExitCodeExceptionMapper(e -> e instanceof BadInputException || e instanceof DslException
                || e instanceof picocli.CommandLine.ParameterException ? EXIT_BAD_INPUT : 1);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException || e instanceof DslException) {
                commandLine.getErr().println(e.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (e instanceof KernelException ke) {
                boolean fallback = ke.code() == KernelException.NO_DEVICE;
                commandLine.getErr().println("graphfuse: error: " + e.getMessage());
                return fallback ? EXIT_STRICT_FALLBACK : EXIT_BAD_INPUT;
            }
            if (e instanceof dev.graphfuse.runtime.ort.OrtLibraryException) {
                commandLine.getErr().println("graphfuse: error: " + e.getMessage());
                return EXIT_STRICT_FALLBACK;
            }
            if (e instanceof ai.onnxruntime.OrtException oe) {
                // ORT refused the model or its inputs (a graphfuse kernel's own errors name the node)
                String message = dev.graphfuse.diag.Quote.oneLine(String.valueOf(e.getMessage()).replaceAll("\\s*\\n\\s*", " "));
                if (oe.getCode() == ai.onnxruntime.OrtException.OrtErrorCode.ORT_NOT_IMPLEMENTED) {
                    // a valid model this ORT build has no kernel for on this provider (bf16 on the CPU):
                    // the environment's limit, not the model's fault
                    commandLine.getErr().println("graphfuse: error: ONNX Runtime has no kernel for this model on this"
                            + " execution provider (an environment limit; another provider or ORT build may run it): " + message);
                    return EXIT_STRICT_FALLBACK;
                }
                commandLine.getErr().println("graphfuse: error: ONNX Runtime: " + message);
                return EXIT_BAD_INPUT;
            }
            if (e instanceof FallbackException) {
                commandLine.getErr().println("graphfuse: error: " + e.getMessage());
                return EXIT_STRICT_FALLBACK;
            }
            if (e instanceof picocli.CommandLine.ParameterException pe) {
                commandLine.getErr().println("graphfuse: error: " + pe.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("graphfuse: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
