package dev.graphfuse.dsl;

import dev.graphfuse.diag.BadInputException;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.match.AttrEvaluator;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.Matcher;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.rewrite.PatternPass;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the pattern language front end, with every committed .fuse file as a
 * seed: the ONNX prelude, the pattern library and the diagnostics cases under {@code testdata/dsl}.
 *
 * <p>Each iteration derives its own seed from the base seed and its index, picks a seed file and
 * applies one to four mutations: token-level (delete, duplicate, swap, replace with another token of
 * the file, insert punctuation, keywords, odd numbers and names, splice tokens from another seed) and
 * character-level (delete, duplicate, insert characters including quotes, backslashes and control
 * characters; delete, duplicate or swap lines; truncate). The result is loaded with
 * {@link PatternLoader#source(String, String)} under the seed file's path (so its imports resolve).
 * The only acceptable outcomes are a library, or a {@link BadInputException} whose every line reads
 * {@code FILE:LINE:COL: error|note: MESSAGE}. A library that loads is then matched against a small
 * real model and a graph of common ops, evaluating the replacement's attributes of every match, which
 * may fail a match but must not throw anything else; when anything matched, fresh copies of both are
 * rewritten by a {@link PatternPass} of the library and must still verify.
 *
 * <p>Knobs (system properties): {@code dsl.fuzz.seconds} wall-time budget (default 15),
 * {@code dsl.fuzz.iterations} iteration cap, {@code dsl.fuzz.seed} base seed, and
 * {@code dsl.fuzz.replay=SEED} to run exactly one iteration seed (as printed in a failure).
 * The mutated text of every failure is also written to {@code target/dsl-fuzz-findings/}.
 */
class DslFuzzTest {
    private static final long DEFAULT_BASE_SEED = 0x6466_7A7A_2025_0002L;
    private static final long HANG_LIMIT_MS = 10_000;
    private static final int MAX_REPORTED = 12;
    static final Pattern DIAGNOSTIC_LINE = Pattern.compile("^\\S+:\\d+:\\d+: (error|note): .+");

    /**
     * A committed .fuse file: the name it is loaded under (its path), its text, tokenized, and its
     * selection weight (files that load cleanly weigh more: their mutants reach the checker and matcher).
     */
    record SeedFile(String name, String text, List<String> tokens, int weight) {
    }

    private static List<SeedFile> seeds;
    /** Graphs the matcher reads (shared, never modified), and a way to get fresh copies for rewriting. */
    private static List<Model> graphs;
    private static List<java.util.function.Supplier<Model>> freshGraphs;

    @BeforeAll
    static void loadSeeds() throws IOException {
        Path root = TestModels.repoRoot();
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("compiler/src/main/resources").resolve(PatternLoader.PRELUDE));
        for (Path dir : List.of(root.resolve("patterns/src/main/resources"), root.resolve("testdata/dsl"))) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".fuse")).sorted().forEach(files::add);
            }
        }
        List<SeedFile> out = new ArrayList<>();
        for (Path p : files) {
            String text = Files.readString(p, StandardCharsets.UTF_8);
            String name = p.toAbsolutePath().normalize().toString();
            boolean loads;
            try {
                new PatternLoader(PredicateRegistry.withBuiltins()).source(name, text).load();
                loads = true;
            } catch (BadInputException e) {
                loads = false;
            }
            out.add(new SeedFile(name, text, tokenize(text), loads ? 8 : 1));
        }
        assertFalse(out.size() < 3, "expected the prelude, the library and testdata/dsl: " + files);
        seeds = out;
        Path model = root.resolve("testdata/models/vllm_attn_dynamo_op18_f32.onnx");
        byte[] bytes = Files.readAllBytes(model);
        freshGraphs = List.of(
                () -> OnnxImporter.read(java.nio.ByteBuffer.wrap(bytes), model.toString(), model.getParent()),
                () -> GraphTextReader.parse(COMMON_OPS, "common_ops.gft", null));
        graphs = freshGraphs.stream().map(java.util.function.Supplier::get).toList();
    }

    /** A graph of the ops the seed files' patterns mention, so that mutated patterns still find matches. */
    private static final String COMMON_OPS = """
            model {
              ir_version: 10
              opset "": 18
            }
            graph fuzz (x: f32[2,3,8], w: f32[8], k: i64[1]) -> (o1, o2, o3, o4, o5, o6, v, i) {
              init two: f32[] = [2.0]
              init one: f32[] = [1.0]
              init eps: f32[] = [0.000001]
              init shape: i64[2] = [6, 8]
              init axes: i64[1] = [-1]
              p: f32[2,3,8] = Pow(x, two)
              m: f32[2,3,1] = ReduceMean(p, axes) {keepdims: int = 1}
              a: f32[2,3,1] = Add(m, eps)
              s: f32[2,3,1] = Sqrt(a)
              r: f32[2,3,1] = Div(one, s)
              n: f32[2,3,8] = Mul(x, r)
              o1: f32[2,3,8] = Mul(n, w)
              sq: f32[2,3,8] = Mul(x, x)
              rl: f32[2,3,8] = Relu(sq)
              sg: f32[2,3,8] = Sigmoid(rl)
              c: f32[2,3,8] = Cast(sg) {to: int = 1}
              o2: f32[2,3,8] = Relu(c)
              sm: f32[2,3,8] = Softmax(x) {axis: int = -1}
              lr: f32[2,3,8] = LeakyRelu(sm) {alpha: float = 0.2}
              o3: f32[2,3,8] = Tanh(lr)
              v: f32[2,3,1], i: i64[2,3,1] = TopK(o3, k) {axis: int = -1}
              rs: f32[6,8] = Reshape(x, shape)
              o4: f32[8,6] = Transpose(rs) {perm: ints = [1, 0]}
              sb: f32[2,3,8] = Sub(x, sq)
              o5: f32[2,3,8] = Abs(sb)
              g: f32[2,3,8] = Gelu(x)
              o6: f32[2,3,8] = Identity(g)
            }
            """;

    // ====================================================================== the test

    @Test
    void mutatedFuseFilesLoadOrFailCleanly() throws Exception {
        long seconds = Long.getLong("dsl.fuzz.seconds", 15);
        long maxIterations = Long.getLong("dsl.fuzz.iterations", 1_000_000);
        String seedProp = System.getProperty("dsl.fuzz.seed");
        long baseSeed = seedProp == null || seedProp.isBlank() ? DEFAULT_BASE_SEED : parseSeed(seedProp);
        String replay = System.getProperty("dsl.fuzz.replay");

        Stats stats = new Stats();
        long start = System.nanoTime();
        if (replay != null && !replay.isBlank()) {
            Iteration it = Iteration.generate(parseSeed(replay), seeds);
            System.out.println("[dsl-fuzz] replaying " + it.describe());
            System.out.println(it.text);
            stats.record(it, runOne(it));
        } else {
            long deadline = start + seconds * 1_000_000_000L;
            Worker w = new Worker(baseSeed, maxIterations, deadline, stats);
            w.start();
            // watchdog: an iteration that does not end is a finding too (it cannot be interrupted)
            while (w.isAlive()) {
                w.join(50);
                Iteration cur = w.current;
                if (cur != null && System.nanoTime() - w.currentSince > HANG_LIMIT_MS * 1_000_000L) {
                    stats.record(cur, Outcome.failure("hang", new IllegalStateException(
                            "iteration still running after " + HANG_LIMIT_MS + " ms")));
                    break;
                }
            }
        }
        System.out.println(stats.summary((System.nanoTime() - start) / 1e9, baseSeed));
        if (!stats.failures.isEmpty()) {
            fail(stats.failureReport());
        }
    }

    /** Loads the mutant; when it loads, runs its patterns over the graphs. */
    static Outcome runOne(Iteration it) {
        PatternLibrary lib;
        try {
            lib = new PatternLoader(PredicateRegistry.withBuiltins()).source(it.seedFile.name(), it.text).load();
        } catch (BadInputException e) {
            if (e.diagnostics().isEmpty()) {
                return Outcome.failure("bad-diagnostic", new AssertionError("BadInputException without diagnostics"));
            }
            for (String line : e.getMessage().split("\n", -1)) {
                if (!DIAGNOSTIC_LINE.matcher(line).matches()) {
                    return Outcome.failure("bad-diagnostic", new AssertionError(
                            "diagnostic line is not FILE:LINE:COL: error|note: MESSAGE: " + show(line)));
                }
            }
            return Outcome.rejected(e.diagnostics().get(0).message());
        } catch (Throwable t) {
            return Outcome.failure("load", t);
        }
        int matches = 0;
        try {
            for (CompiledPattern p : lib.patterns()) {
                matches += matchEverywhere(p);
            }
        } catch (Throwable t) {
            return Outcome.failure("match", t);
        }
        if (matches == 0) {
            return Outcome.LOADED;
        }
        // Something matches: rewrite fresh copies with the whole library, as a pass would.
        try {
            for (java.util.function.Supplier<Model> fresh : freshGraphs) {
                Model m = fresh.get();
                new PatternPass("fuzz", lib.patterns()).run(m, PassContext.quiet());
                List<String> problems = GraphVerifier.problems(m);
                if (!problems.isEmpty()) {
                    return Outcome.failure("rewrite", new AssertionError("rewritten graph does not verify: "
                            + problems.get(0)));
                }
            }
        } catch (Throwable t) {
            return Outcome.failure("rewrite", t);
        }
        return Outcome.MATCHED;
    }

    /** Matches {@code p} at every node of its root op kinds and evaluates its replacement's attributes. */
    private static int matchEverywhere(CompiledPattern p) {
        int matches = 0;
        Matcher<Void> matcher = new Matcher<>(p, null);
        List<OpSignature> rootOps = CompiledPattern.rootOps(p.roots().get(0));
        for (Model g : graphs) {
            for (Node n : g.graph().nodes()) {
                if (rootOps.stream().noneMatch(s -> s.name().equals(n.opType()) && s.domain().equals(n.domain()))) {
                    continue;
                }
                if (matcher.matchAt(n) instanceof Match<Void> m) {
                    matches++;
                    for (CompiledPattern.AttrAssign a : p.replacement().attributes()) {
                        try {
                            AttrEvaluator.toAttribute(a.kind(), AttrEvaluator.evaluate(a.value(), m.slots()));
                        } catch (AttrEvaluator.EvaluationException | ArithmeticException e) {
                            // a match the rewriter would reject with "attribute-evaluation"
                        }
                    }
                }
            }
        }
        return matches;
    }

    private static String show(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    private static final class Worker extends Thread {
        private final long baseSeed;
        private final long maxIterations;
        private final long deadline;
        private final Stats stats;
        volatile Iteration current;
        volatile long currentSince;

        Worker(long baseSeed, long maxIterations, long deadline, Stats stats) {
            super("dsl-fuzz");
            setDaemon(true);
            this.baseSeed = baseSeed;
            this.maxIterations = maxIterations;
            this.deadline = deadline;
            this.stats = stats;
        }

        @Override
        public void run() {
            for (long i = 0; i < maxIterations && System.nanoTime() < deadline; i++) {
                long seed = iterationSeed(baseSeed, i);
                Iteration it;
                try {
                    it = Iteration.generate(seed, seeds);
                } catch (Throwable t) {
                    // a bug of this test, not of graphfuse; still reported with its seed
                    Iteration broken = new Iteration(seed, seeds.get(0));
                    broken.text = "";
                    broken.mutations.add("(generating the mutation failed)");
                    stats.record(broken, Outcome.failure("fuzz-harness", t));
                    continue;
                }
                currentSince = System.nanoTime();
                current = it;
                Outcome o = runOne(it);
                current = null;
                stats.record(it, o);
            }
        }
    }

    static long parseSeed(String s) {
        return dev.graphfuse.testing.FuzzSeeds.parse(s);
    }

    static long iterationSeed(long base, long i) {
        return dev.graphfuse.testing.FuzzSeeds.iteration(base, i);
    }

    // ====================================================================== outcomes and statistics

    /** LOADED/MATCHED/REJECTED, or a failure with its stage and throwable. */
    record Outcome(String kind, String rejection, Throwable error) {
        static final Outcome LOADED = new Outcome("loaded", null, null);
        static final Outcome MATCHED = new Outcome("loaded+matched", null, null);

        static Outcome rejected(String firstMessage) {
            return new Outcome("rejected", firstMessage, null);
        }

        static Outcome failure(String stage, Throwable t) {
            return new Outcome("FAILED:" + stage, null, t);
        }

        /** Stage, exception class and the first frame in graphfuse code: one entry per distinct bug. */
        String signature() {
            StringBuilder sb = new StringBuilder(kind).append(' ').append(error.getClass().getName());
            for (StackTraceElement e : error.getStackTrace()) {
                if (e.getClassName().startsWith("dev.graphfuse.") && !e.getClassName().contains("DslFuzzTest")) {
                    sb.append(" at ").append(e.getClassName()).append('.').append(e.getMethodName()).append(':')
                            .append(e.getLineNumber());
                    break;
                }
            }
            if (error instanceof AssertionError) {
                sb.append(' ').append(String.valueOf(error.getMessage()).replaceAll("'[^']*'", "'…'")
                        .replaceAll("\\d+", "N"));
            }
            return sb.toString();
        }
    }

    static final class Stats {
        long iterations;
        final Map<String, Long> byKind = new TreeMap<>();
        final Map<String, Long> byMutation = new TreeMap<>();
        final Map<String, Long> rejections = new TreeMap<>();
        /** First reproducer and count per failure signature. */
        final Map<String, Object[]> failures = new TreeMap<>();

        synchronized void record(Iteration it, Outcome o) {
            iterations++;
            byKind.merge(o.kind(), 1L, Long::sum);
            for (String m : it.mutations) {
                byMutation.merge(m.replaceAll("(?s)[ (\\[].*", ""), 1L, Long::sum);
            }
            if (o.rejection() != null) {
                String key = o.rejection().replaceAll("'[^']*'", "'…'").replaceAll("\\d+", "N");
                rejections.merge(key.length() > 60 ? key.substring(0, 60) + "…" : key, 1L, Long::sum);
            }
            if (o.error() != null) {
                Object[] slot = failures.computeIfAbsent(o.signature(), k -> {
                    saveFinding(it);
                    return new Object[] {it, o, new long[1]};
                });
                ((long[]) slot[2])[0]++;
            }
        }

        private static void saveFinding(Iteration it) {
            try {
                Path d = Files.createDirectories(Path.of("target", "dsl-fuzz-findings"));
                Files.writeString(d.resolve(Long.toHexString(it.seed) + ".fuse"), it.text, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException ignored) {
                // the seed in the report reproduces it as well
            }
        }

        String summary(double seconds, long baseSeed) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("[dsl-fuzz] %d iterations in %.1f s (base seed 0x%x, %d seed files)%n",
                    iterations, seconds, baseSeed, seeds.size()));
            sb.append("[dsl-fuzz] outcomes: ").append(byKind).append('\n');
            sb.append("[dsl-fuzz] mutations: ").append(byMutation).append('\n');
            List<Map.Entry<String, Long>> top = new ArrayList<>(rejections.entrySet());
            top.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            sb.append("[dsl-fuzz] most frequent first diagnostics:");
            for (int i = 0; i < Math.min(12, top.size()); i++) {
                sb.append("\n    ").append(top.get(i).getValue()).append("  ").append(top.get(i).getKey());
            }
            return sb.toString();
        }

        String failureReport() {
            StringBuilder sb = new StringBuilder();
            sb.append(failures.size()).append(" distinct failure signature(s): the loader threw something other "
                    + "than a well-formed BadInputException, or matching a loaded library threw.\n"
                    + "Re-run one with -Ddsl.fuzz.replay=SEED (mvn -o -pl compiler test -Dtest=DslFuzzTest "
                    + "-Ddsl.fuzz.replay=0x...); its text is in target/dsl-fuzz-findings/SEED.fuse.\n");
            int n = 0;
            for (Map.Entry<String, Object[]> e : failures.entrySet()) {
                if (n++ == MAX_REPORTED) {
                    sb.append("... and ").append(failures.size() - MAX_REPORTED).append(" more\n");
                    break;
                }
                Iteration it = (Iteration) e.getValue()[0];
                Outcome o = (Outcome) e.getValue()[1];
                sb.append("\n== ").append(e.getKey()).append("  (").append(((long[]) e.getValue()[2])[0]).append("x)\n");
                sb.append("   reproduce: ").append(it.describe()).append('\n');
                StringBuilder frames = new StringBuilder(o.error().toString());
                StackTraceElement[] st = o.error().getStackTrace();
                for (int i = 0; i < Math.min(10, st.length); i++) {
                    frames.append("\n  at ").append(st[i]);
                }
                sb.append("   ").append(frames.toString().replace("\n", "\n   ")).append('\n');
            }
            return sb.toString();
        }
    }

    // ====================================================================== mutations

    /** Identifiers, numbers, strings, comments, '...', '&&', '->', whitespace runs, any other single char. */
    private static final Pattern TOKEN = Pattern.compile(
            "\"(?:[^\"\\\\\\n]|\\\\.)*\"?|//[^\\n]*|/\\*.*?\\*/|\\.\\.\\.|&&|->|[A-Za-z_][A-Za-z0-9_]*"
                    + "|[0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\\s+|.", Pattern.DOTALL);

    static List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Things worth inserting: the language's punctuation and keywords, odd numbers, names of the prelude. */
    private static final String[] DICTIONARY = {
        "(", ")", "{", "}", "[", "]", "<", ">", ",", ";", ":", ".", "...", "?", "|", "!", "&&", "~", "=", "-",
        "+", "*", "/", "%", "_", "->", "\"", "\\", "$", "#", "@", "'", "/*", "*/", "//", "///",
        "import", "op", "predicate", "def", "return", "pattern", "benefit", "let", "require", "replace", "with",
        "shared", "commutative", "Tensor", "Const", "Scalar", "int", "float", "ints", "floats", "string", "tensor",
        "0", "1", "-1", "2.0", "1e-6", "1e309", "-0.0", "99999999999999999999", "9007199254740993", "2147483648",
        ".5", "1.", "1e", "0x10", "[]", "[0, 2, 1, 3]", "\"\"", "\"a\\qb\"", "\"../ops/graphfuse.fuse\"",
        "Add", "Mul", "Relu", "Cast", "Split", "TopK", "ReduceMean", "graphfuse.RmsNorm", "x", "y", "eps", "D",
        "dim", "rank", "len", "numel", "InRange", "ReducesLastAxis", "Equal", "HasRank", "rsqrt",
        "Tensor<f32|f16>[T, H, D]", "Scalar<f32>", "Const[...]", "Cast?", "let y = Relu(x);",
        "replace y with Relu(x);", "def f(a) { return a; }", "pattern Q { let q = Relu(q); replace q with Relu(q); }",
    };

    /** Names a same-kind replacement may use: keywords, ops, attribute kinds, element types, functions. */
    private static final String[] NAMES = {
        "let", "require", "replace", "with", "shared", "Tensor", "Const", "Scalar", "x", "y", "w", "eps", "mean", "D",
        "_", "Add", "Mul", "Sub", "Div", "Pow", "Cast", "Relu", "Split", "TopK", "Concat", "Constant", "Softmax",
        "LayerNormalization", "RmsNorm", "graphfuse", "int", "float", "ints", "floats", "string", "strings", "tensor",
        "f32", "f16", "bf16", "i64", "bool", "float32", "dim", "rank", "len", "numel", "axis", "epsilon", "perm", "to",
        "InRange", "ReducesLastAxis", "LastAxis", "Equal", "IsEven", "HasRank", "SameShape", "SameElementType",
    };

    private static final String[] NUMBERS = {
        "0", "1", "2", "-1", "3", "64", "0.0", "0.5", "2.0", "1e-6", "1e-300", "1e308", "1e309", "4.9e-324",
        "9007199254740992", "9007199254740993", "2147483647", "2147483648", "9223372036854775807",
        "99999999999999999999", "1.5", "00", "0.1e1",
    };

    /** 1: name, 2: number, 3: string, 0: anything else. */
    private static int kind(String token) {
        char c = token.charAt(0);
        return Character.isLetter(c) || c == '_' ? 1 : Character.isDigit(c) ? 2 : c == '"' ? 3 : 0;
    }

    private static final char[] CHARS = {
        '(', ')', '{', '}', '[', ']', ';', ',', '"', '\\', '\n', '\t', '\r', '\0', '\u0001', '\u007f', ' ', '.',
        '?', '|', '~', '/', '*', '-', '_', 'x', '0', '9', 'e', '\u00e9', '\u2026', '\ud83d', '\ufeff', '\u00a0',
    };

    static final class Iteration {
        final long seed;
        final SeedFile seedFile;
        String text;
        final List<String> mutations = new ArrayList<>();

        Iteration(long seed, SeedFile seedFile) {
            this.seed = seed;
            this.seedFile = seedFile;
        }

        String describe() {
            return "seed=0x" + Long.toHexString(seed) + " file=" + seedFile.name() + " mutations=" + mutations;
        }

        static Iteration generate(long seed, List<SeedFile> seeds) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int total = seeds.stream().mapToInt(SeedFile::weight).sum();
            int w = rnd.nextInt(total);
            SeedFile chosen = seeds.get(0);
            for (SeedFile f : seeds) {
                w -= f.weight();
                if (w < 0) {
                    chosen = f;
                    break;
                }
            }
            Iteration it = new Iteration(seed, chosen);
            List<String> tokens = new ArrayList<>(it.seedFile.tokens());
            int n = 1 + rnd.nextInt(4);
            for (int k = 0; k < n; k++) {
                tokens = mutate(rnd, tokens, it, seeds);
            }
            it.text = String.join("", tokens);
            return it;
        }

        private static List<Integer> significant(List<String> tokens) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                if (!tokens.get(i).isBlank()) {
                    out.add(i);
                }
            }
            return out;
        }

        /** One mutation; works on tokens, re-tokenizing after character-level changes. */
        private static List<String> mutate(SplittableRandom rnd, List<String> tokens, Iteration it, List<SeedFile> seeds) {
            List<Integer> sig = significant(tokens);
            List<String> log = it.mutations;
            if (sig.isEmpty()) {
                tokens.add(DICTIONARY[rnd.nextInt(DICTIONARY.length)]);
                log.add("insert-token(empty file)");
                return tokens;
            }
            int pick = sig.get(rnd.nextInt(sig.size()));
            switch (rnd.nextInt(18)) {
                case 14, 15, 16, 17 -> {
                    // same kind of token: keeps the syntax, so the mutant reaches the checker and the matcher
                    int kind = kind(tokens.get(pick));
                    List<Integer> same = new ArrayList<>();
                    for (int i : sig) {
                        if (kind(tokens.get(i)) == kind && !tokens.get(i).equals(tokens.get(pick))) {
                            same.add(i);
                        }
                    }
                    String with = !same.isEmpty() && rnd.nextInt(3) > 0 ? tokens.get(same.get(rnd.nextInt(same.size())))
                            : kind == 1 ? NAMES[rnd.nextInt(NAMES.length)]
                            : kind == 2 ? NUMBERS[rnd.nextInt(NUMBERS.length)] : tokens.get(pick);
                    log.add("replace-same-kind(" + pick + " " + show(tokens.get(pick).strip()) + " -> " + show(with.strip()) + ")");
                    tokens.set(pick, with);
                }
                case 0 -> {
                    log.add("delete-token(" + pick + " " + show(tokens.get(pick).strip()) + ")");
                    tokens.remove(pick);
                }
                case 1 -> {
                    log.add("duplicate-token(" + pick + ")");
                    tokens.add(pick, tokens.get(pick));
                }
                case 2 -> {
                    int other = rnd.nextBoolean() ? sig.get(Math.min(sig.size() - 1, sig.indexOf(pick) + 1))
                            : sig.get(rnd.nextInt(sig.size()));
                    log.add("swap-tokens(" + pick + "," + other + ")");
                    String t = tokens.get(pick);
                    tokens.set(pick, tokens.get(other));
                    tokens.set(other, t);
                }
                case 3 -> {
                    int other = sig.get(rnd.nextInt(sig.size()));
                    log.add("replace-token(" + pick + " with " + other + ")");
                    tokens.set(pick, tokens.get(other));
                }
                case 4, 5 -> {
                    String d = DICTIONARY[rnd.nextInt(DICTIONARY.length)];
                    log.add("insert-token(" + pick + " " + show(d) + ")");
                    tokens.add(pick + (rnd.nextBoolean() ? 1 : 0), rnd.nextBoolean() ? d : " " + d + " ");
                }
                case 6 -> {
                    SeedFile other = seeds.get(rnd.nextInt(seeds.size()));
                    List<String> ot = other.tokens();
                    int from = rnd.nextInt(ot.size());
                    int len = 1 + rnd.nextInt(Math.min(40, ot.size() - from));
                    log.add("splice(" + pick + " from " + Path.of(other.name()).getFileName() + "[" + from + "+" + len + "])");
                    tokens.addAll(pick, ot.subList(from, from + len));
                }
                case 7, 8, 9 -> {
                    // character level
                    String text = String.join("", tokens);
                    if (text.isEmpty()) {
                        log.add("insert-char(empty)");
                        return tokenize(String.valueOf(CHARS[rnd.nextInt(CHARS.length)]));
                    }
                    int pos = rnd.nextInt(text.length());
                    StringBuilder sb = new StringBuilder(text);
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            log.add("delete-char(" + pos + ")");
                            sb.deleteCharAt(pos);
                        }
                        case 1 -> {
                            log.add("duplicate-char(" + pos + ")");
                            sb.insert(pos, text.charAt(pos));
                        }
                        default -> {
                            char c = CHARS[rnd.nextInt(CHARS.length)];
                            log.add("insert-char(" + pos + " U+" + Integer.toHexString(c) + ")");
                            sb.insert(pos, c);
                        }
                    }
                    return tokenize(sb.toString());
                }
                case 10, 11 -> {
                    String[] lines = String.join("", tokens).split("\n", -1);
                    List<String> ls = new ArrayList<>(List.of(lines));
                    int a = rnd.nextInt(ls.size());
                    int b = rnd.nextInt(ls.size());
                    switch (rnd.nextInt(3)) {
                        case 0 -> {
                            log.add("delete-line(" + (a + 1) + ")");
                            ls.remove(a);
                        }
                        case 1 -> {
                            log.add("duplicate-line(" + (a + 1) + ")");
                            ls.add(a, ls.get(a));
                        }
                        default -> {
                            log.add("swap-lines(" + (a + 1) + "," + (b + 1) + ")");
                            String t = ls.get(a);
                            ls.set(a, ls.get(b));
                            ls.set(b, t);
                        }
                    }
                    return tokenize(String.join("\n", ls));
                }
                case 12 -> {
                    log.add("truncate-tokens(" + pick + ")");
                    return new ArrayList<>(tokens.subList(0, pick));
                }
                default -> {
                    String text = String.join("", tokens);
                    int at = rnd.nextInt(text.length() + 1);
                    log.add("truncate-chars(" + at + ")");
                    return tokenize(text.substring(0, at));
                }
            }
            return tokens;
        }
    }
}
