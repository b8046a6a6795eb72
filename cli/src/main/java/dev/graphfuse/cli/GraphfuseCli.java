package dev.graphfuse.cli;

import dev.graphfuse.diag.BadInputException;
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

    @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
            description = "optimize, convert, run, verify: nothing on standard output but the JSON asked for there "
                    + "(errors still go to standard error, the exit code still tells)")
    boolean quiet;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "also ONNX Runtime's own warnings and errors (its log at WARNING; by default only FATAL)")
    boolean verbose;

    /** Commands whose standard output is a report about files they wrote or a verdict, not their product. */
    private static final java.util.Set<String> QUIETABLE = java.util.Set.of("optimize", "convert", "run", "verify");

    /** Applies --quiet / --verbose, wherever on the command line they were given, then runs the command. */
    private static int execute(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult leaf = parsed;
        boolean quiet = parsed.hasMatchedOption("--quiet");
        boolean verbose = parsed.hasMatchedOption("--verbose");
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
            quiet |= leaf.hasMatchedOption("--quiet");
            verbose |= leaf.hasMatchedOption("--verbose");
        }
        dev.graphfuse.runtime.dispatch.GraphfuseSession.setVerbose(verbose);
        // a boolean --json prints the product to standard output: quiet keeps it
        boolean jsonToStdout = leaf.hasMatchedOption("--json") && leaf.matchedOption("--json").typeInfo().isBoolean();
        if (quiet && QUIETABLE.contains(leaf.commandSpec().name()) && !jsonToStdout) {
            leaf.commandSpec().commandLine().setOut(new PrintWriter(java.io.OutputStream.nullOutputStream()));
        }
        if (!TerminalProgress.wanted(quiet)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        return ScopedValue.where(dev.graphfuse.util.Progress.CURRENT, new TerminalProgress())
                .call(() -> new CommandLine.RunLast().execute(parsed));
    }

    /** No subcommand is a usage error: the usage goes to stderr after one error line, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("graphfuse: error: no command given");
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_BAD_INPUT;
    }

    private static void exitCodesInEveryHelp(CommandLine cl) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HelpSections.EXIT_CODES);
        java.util.List<String> examples = HelpSections.EXAMPLES.get(cl.getCommandName());
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
        cl.setExecutionStrategy(GraphfuseCli::execute);
        cl.setExitCodeExceptionMapper(e -> e instanceof BadInputException
                || e instanceof picocli.CommandLine.ParameterException ? EXIT_BAD_INPUT : 1);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof BadInputException) {
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
