package dev.graphfuse.examples;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import dev.graphfuse.match.Constant;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.pipeline.PassRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Extending the default pipeline from Java with {@link PassRegistry}:
 * <ol>
 *   <li>a pattern file of your own ({@code silu.fuse}, shipped in this module's resources) that fuses
 *       {@code Mul(x, Sigmoid(x))} into a custom-domain {@code example.Silu(x)}, with a native predicate
 *       ({@code IsFloatingPoint}) implemented here and used in the pattern's {@code require};</li>
 *   <li>a pass written in Java ({@link RemoveMulByOne}) that records what it did in {@link RuleStats};</li>
 *   <li>a pipeline mixing both with the built-in stages, run by {@link PassManager} (which verifies the
 *       graph after every pass), its statistics printed and the result written.</li>
 * </ol>
 *
 * <pre>java -cp … dev.graphfuse.examples.CustomPassExample testdata/models/qwen3_dynamo_op18_f32.onnx /tmp/out.onnx</pre>
 */
public final class CustomPassExample {
    /** The name the pattern file's patterns run under. */
    public static final String SILU_PASS = "silu";
    /** Where the pattern file lies on the classpath. */
    public static final String PATTERN_RESOURCE = "dev/graphfuse/examples/silu.fuse";
    /** The pipeline: built-in stages around the two passes registered here. */
    public static final List<String> PIPELINE = List.of("canonicalize", "raise", SILU_PASS, RemoveMulByOne.NAME, "fuse");

    private CustomPassExample() {
    }

    /** What a run did. */
    public record Result(int nodesBefore, int nodesAfter, List<RuleStats> stats) {
    }

    /** The registry with this example's predicate, pattern file and Java pass added to the standard one. */
    public static PassRegistry registry() {
        return PassRegistry.standard()
                // Native predicates are registered by name before the pattern files that declare them load.
                .registerPredicate("IsFloatingPoint", args -> {
                    Value x = (Value) args.get(0);
                    ElementType t = x.elementType();
                    return t != null && FLOATING.contains(t) ? null
                            : "'" + x.name() + "' is " + (t == null ? "of unknown type" : t.shortName())
                            + ", not floating point";
                })
                .registerPatterns(SILU_PASS, patternFile())
                .registerPass(new RemoveMulByOne());
    }

    private static final Set<ElementType> FLOATING = Set.of(ElementType.FLOAT, ElementType.FLOAT16,
            ElementType.BFLOAT16, ElementType.DOUBLE);

    /** Runs {@link #PIPELINE} on {@code model}, prints the statistics and writes the result to {@code out}. */
    public static Result run(Path model, Path out) {
        PassRegistry registry = registry();
        Pipeline pipeline = registry.pipeline(PIPELINE);
        Model m = ModelFiles.read(model);
        int before = m.graph().nodeCount();
        PassContext ctx = new PassContext(System.err::println, false);
        new PassManager().run(m, pipeline, ctx);
        for (RuleStats s : ctx.allStats()) {
            System.out.println(s.pass() + "/" + s);
        }
        ModelFiles.write(m, out, ModelFormat.of(out));
        System.out.printf("%s: %d → %d nodes, wrote %s%n", model.getFileName(), before, m.graph().nodeCount(), out);
        return new Result(before, m.graph().nodeCount(), ctx.allStats());
    }

    /**
     * The pattern file as a file path, as {@link PassRegistry#registerPatterns} takes: the resource
     * itself when the classes lie in a directory, else a copy in a temporary file (inside a jar).
     */
    public static Path patternFile() {
        URL url = CustomPassExample.class.getClassLoader().getResource(PATTERN_RESOURCE);
        if (url == null) {
            throw new IllegalStateException(PATTERN_RESOURCE + " is not on the classpath");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path tmp = Files.createTempFile("silu", ".fuse");
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A Java pass: removes {@code Mul(x, 1)} when it cannot change {@code x} (the constant has a
     * single element and does not raise {@code x}'s rank, so no broadcasting happens), pointing its
     * users at {@code x}. One rule, {@code MulByOne}: every Mul is a candidate; rejections are counted
     * by reason.
     */
    public static final class RemoveMulByOne implements Pass {
        public static final String NAME = "remove-mul-by-one";
        public static final String RULE = "MulByOne";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String summary() {
            return "removes Mul(x, 1) that cannot broadcast";
        }

        @Override
        public void run(Model model, PassContext context) {
            RuleStats stats = context.stats(NAME, RULE);
            Graph g = model.graph();
            for (Node n : new ArrayList<>(g.nodes())) {
                if (!n.domain().isEmpty() || !n.opType().equals("Mul") || n.inputCount() != 2) {
                    continue;
                }
                stats.countCandidate();
                Value y = n.output();
                Value x = isOne(n.input(1)) ? n.input(0) : isOne(n.input(0)) ? n.input(1) : null;
                if (x == null) {
                    stats.countRejected("no-constant-one");
                    continue;
                }
                Value one = x == n.input(0) ? n.input(1) : n.input(0);
                if (!keepsShape(x, one)) {
                    stats.countRejected("may-broadcast");
                    continue;
                }
                if (y.isGraphOutput()) {
                    // The graph output's name is part of the model's interface: keep the node.
                    stats.countRejected("graph-output");
                    continue;
                }
                stats.countMatched();
                y.replaceAllUsesWith(x);
                g.removeNode(n);
                if (one.isInitializer() && !one.hasUses() && !one.isGraphInput() && !one.isGraphOutput()) {
                    g.removeInitializer(one);
                }
                stats.countRewritten();
            }
        }

        private static boolean isOne(Value v) {
            Constant c = Constant.of(v);
            if (c == null || c.count() != 1) {
                return false;
            }
            double[] d = c.values();
            return d != null && d[0] == 1.0;
        }

        /** {@code x · one} has x's shape and type: one element, no higher rank than {@code x}, same element type. */
        private static boolean keepsShape(Value x, Value one) {
            Shape s = x.shape();
            Constant c = Constant.of(one);
            return s.hasRank() && c.dims().length <= s.rank() && x.elementType() != null
                    && x.elementType() == c.elementType();
        }
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CustomPassExample MODEL OUT");
            System.exit(2);
        }
        run(Path.of(args[0]), Path.of(args[1]));
    }
}
