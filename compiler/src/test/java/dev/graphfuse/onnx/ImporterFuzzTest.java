package dev.graphfuse.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the ONNX importer with the committed models as seeds.
 *
 * <p>Every iteration derives its own seed from the base seed and its index, picks a committed model
 * and applies one to four mutations: raw byte mutations (bit flips, byte overwrites, truncation,
 * duplicated and deleted byte ranges, varint corruption) and structure-aware ones on a schema-less
 * decoding of the wire format (set a varint field to an interesting value, delete, duplicate or graft
 * a field, swap or shorten a string/bytes payload), after which enclosing lengths are re-encoded so
 * the mutation reaches the importer's checks instead of the protobuf parser's.
 *
 * <p>The mutated bytes go to {@link OnnxImporter#read(ByteBuffer, String, Path)} with the models
 * directory as base (so external data resolves). The only acceptable outcomes are a model or a
 * one-line {@link BadInputException} naming the file. An accepted model must then also verify,
 * print as text, export (with external data), re-import from the export, and re-parse from its
 * text, all without throwing; and a valid one must go through the default optimize pipeline.
 *
 * <p>Knobs (system properties): {@code fuzz.seconds} wall-time budget (default 20),
 * {@code fuzz.iterations} iteration cap, {@code fuzz.seed} base seed, {@code fuzz.threads},
 * and {@code fuzz.replay=SEED} to run exactly one iteration seed (as printed in a failure).
 */
class ImporterFuzzTest {
    private static final long DEFAULT_BASE_SEED = 0x6766_7A7A_2025_0001L;
    private static final long HANG_LIMIT_MS = 15_000;
    private static final int MAX_REPORTED = 12;

    private static Path modelsDir;
    private static List<SeedModel> seeds;

    @TempDir
    Path tmp;

    /** A committed model: its bytes, a schema-less decoding of them, and selection weight. */
    private record SeedModel(String name, byte[] bytes, Wire.Msg tree, Wire.Index index, double weight) {
    }

    @BeforeAll
    static void loadModels() throws IOException {
        modelsDir = TestModels.modelsDir();
        List<SeedModel> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(modelsDir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".onnx")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                Wire.Msg tree = Wire.decode(bytes, 0, bytes.length, 0);
                if (tree == null) {
                    throw new IllegalStateException(p + " is not a protobuf message");
                }
                // the decoding must be exact, or structure-aware mutants would differ in unrelated places
                assertArrayEquals(bytes, Wire.encode(tree, Wire.Overrides.NONE), "wire re-encoding of " + p);
                out.add(new SeedModel(p.getFileName().toString(), bytes, tree, Wire.Index.of(tree),
                        1.0 / Math.sqrt(Math.max(1, bytes.length))));
            }
        }
        assertFalse(out.isEmpty(), "no committed .onnx models in " + modelsDir);
        seeds = out;
    }

    // ====================================================================== the test

    @Test
    void mutatedModelsImportOrFailCleanly() throws Exception {
        long seconds = Long.getLong("fuzz.seconds", 20);
        long maxIterations = Long.getLong("fuzz.iterations", 50_000);
        String seedProp = System.getProperty("fuzz.seed");
        long baseSeed = seedProp == null || seedProp.isBlank() ? DEFAULT_BASE_SEED : parseSeed(seedProp);
        String replay = System.getProperty("fuzz.replay");
        int threads = Integer.getInteger("fuzz.threads",
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));

        Stats stats = new Stats();
        long start = System.nanoTime();
        if (replay != null && !replay.isBlank()) {
            long seed = parseSeed(replay);
            Iteration it = Iteration.generate(seed, seeds);
            System.out.println("[fuzz] replaying " + it.describe());
            stats.record(it, runOne(it, Files.createDirectories(tmp.resolve("replay")), stats));
        } else {
            long deadline = start + seconds * 1_000_000_000L;
            AtomicLong next = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            Worker[] workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                Path wdir = Files.createDirectories(tmp.resolve("w" + w));
                workers[w] = new Worker(w, wdir, () -> {
                    if (stop.get() || System.nanoTime() > deadline) {
                        return -1;
                    }
                    long i = next.getAndIncrement();
                    return i < maxIterations ? i : -1;
                }, baseSeed, stats);
                workers[w].start();
            }
            // watchdog: a hanging iteration is a finding too (it cannot be interrupted, so stop there)
            while (Arrays.stream(workers).anyMatch(Thread::isAlive)) {
                Thread.sleep(50);
                for (Worker w : workers) {
                    Iteration cur = w.current;
                    long since = w.currentSince;
                    if (cur != null && !w.abandoned && System.nanoTime() - since > HANG_LIMIT_MS * 1_000_000L) {
                        stats.record(cur, Outcome.failure("hang", new IllegalStateException(
                                "iteration still running after " + HANG_LIMIT_MS + " ms")));
                        stop.set(true);
                        w.abandoned = true;
                    }
                }
                if (stop.get() && Arrays.stream(workers).allMatch(w -> !w.isAlive() || w.abandoned)) {
                    break;
                }
            }
        }
        double secondsTaken = (System.nanoTime() - start) / 1e9;
        String summary = stats.summary(secondsTaken, baseSeed, threads);
        System.out.println(summary);
        if (!stats.failures.isEmpty()) {
            fail(stats.failureReport());
        }
    }

    /** Runs one iteration: import, then (on success) verify, print, export, re-import, re-parse. */
    /** The default pipeline, one per worker thread (its library loaded once). */
    private static final ThreadLocal<dev.graphfuse.pass.Pipeline> OPTIMIZE = ThreadLocal.withInitial(() ->
            dev.graphfuse.pipeline.PassRegistry.standard().pipeline(dev.graphfuse.pipeline.PassRegistry.DEFAULT_PIPELINE));

    private static Outcome runOne(Iteration it, Path workDir, Stats stats) {
        String display = "fuzz-" + Long.toHexString(it.seed) + "-" + it.model.name();
        Model m;
        long t0 = System.nanoTime();
        try {
            m = OnnxImporter.read(ByteBuffer.wrap(it.bytes), display, modelsDir);
        } catch (BadInputException e) {
            String msg = e.getMessage();
            if (msg == null || msg.contains("\n") || msg.contains("\r") || !msg.startsWith(display + ":")) {
                return Outcome.failure("bad-message", new AssertionError(
                        "BadInputException message must be one line starting with '" + display + ":' but was: " + msg));
            }
            stats.rejection(e);
            return Outcome.REJECTED;
        } catch (Throwable t) {
            return Outcome.failure("import", t);
        } finally {
            stats.time("import", t0);
        }
        String stage = "verify";
        long t = System.nanoTime();
        try {
            List<String> problems = GraphVerifier.problems(m);
            t = stats.time(stage, t);
            stage = "print";
            String text = GraphTextWriter.print(m);
            t = stats.time(stage, t);
            stage = "export";
            Path out = workDir.resolve("fuzz.onnx");
            OnnxExporter.write(m, out);
            t = stats.time(stage, t);
            stage = "reimport";
            Model again = OnnxImporter.read(out);
            List<String> againProblems = GraphVerifier.problems(again);
            t = stats.time(stage, t);
            stage = "text-reparse";
            GraphTextReader.parse(text, display + ".gft", m.sourceDirectory());
            t = stats.time(stage, t);
            if (problems.isEmpty()) {
                // what a user would do next with a model the importer took: optimize it
                stage = "optimize";
                new dev.graphfuse.pass.PassManager().run(again, OPTIMIZE.get(), dev.graphfuse.pass.PassContext.quiet());
                stats.time(stage, t);
            }
            return problems.isEmpty() && againProblems.isEmpty() ? Outcome.ACCEPTED
                    : Outcome.acceptedWithProblems(problems.isEmpty() ? againProblems : problems);
        } catch (Throwable e) {
            return Outcome.failure(stage, e);
        }
    }

    private static final class Worker extends Thread {
        interface Source {
            long next();
        }

        private final Path dir;
        private final Source source;
        private final long baseSeed;
        private final Stats stats;
        volatile Iteration current;
        volatile long currentSince;
        volatile boolean abandoned;

        Worker(int id, Path dir, Source source, long baseSeed, Stats stats) {
            super("fuzz-" + id);
            setDaemon(true);
            this.dir = dir;
            this.source = source;
            this.baseSeed = baseSeed;
            this.stats = stats;
        }

        @Override
        public void run() {
            for (long i = source.next(); i >= 0; i = source.next()) {
                long seed = iterationSeed(baseSeed, i);
                Iteration it;
                try {
                    it = Iteration.generate(seed, seeds);
                } catch (Throwable t) {
                    // a bug of this test, not of graphfuse; still reported with its seed
                    Iteration broken = new Iteration(seed, seeds.get(0));
                    broken.bytes = new byte[0];
                    broken.mutations.add("(generating the mutation failed)");
                    stats.record(broken, Outcome.failure("fuzz-harness", t));
                    continue;
                }
                currentSince = System.nanoTime();
                current = it;
                Outcome o = runOne(it, dir, stats);
                current = null;
                if (abandoned) {
                    return;
                }
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

    // ====================================================================== outcomes

    private record Outcome(String kind, String stage, Throwable error, List<String> problems) {
        static final Outcome ACCEPTED = new Outcome("accepted", null, null, List.of());
        static final Outcome REJECTED = new Outcome("rejected", null, null, List.of());

        static Outcome failure(String stage, Throwable t) {
            return new Outcome("FAILED", stage, t, List.of());
        }

        static Outcome acceptedWithProblems(List<String> problems) {
            return new Outcome("accepted-unverified", null, null, List.copyOf(problems));
        }

        /** Groups failures: stage, exception class and the first graphfuse frame. */
        String signature() {
            StackTraceElement where = null;
            for (StackTraceElement e : error.getStackTrace()) {
                if (e.getClassName().startsWith("dev.graphfuse.") && !e.getClassName().contains("ImporterFuzzTest")) {
                    where = e;
                    break;
                }
            }
            String detail = error instanceof BadInputException b ? " \"" + normalize(b.detail()) + "\"" : "";
            return stage + ": " + error.getClass().getName() + detail
                    + (where == null ? "" : " at " + where.getClassName() + "." + where.getMethodName() + ":" + where.getLineNumber());
        }

        /** A message with numbers and long tails removed, so equal causes group together. */
        static String normalize(String s) {
            String n = s.replaceAll("[0-9]+", "N");
            return n.length() > 48 ? n.substring(0, 48) + "…" : n;
        }
    }

    private static final class Stats {
        final LongAdder iterations = new LongAdder();
        final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byMutation = new ConcurrentHashMap<>();
        final Map<String, LongAdder> byModel = new ConcurrentHashMap<>();
        final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
        final Map<String, LongAdder> nanosByStage = new ConcurrentHashMap<>();

        /** Adds the time since {@code since} to {@code stage}; returns now. */
        long time(String stage, long since) {
            long now = System.nanoTime();
            nanosByStage.computeIfAbsent(stage, k -> new LongAdder()).add(now - since);
            return now;
        }

        void rejection(BadInputException e) {
            String d = e.detail();
            int colon = d.indexOf(':');
            String key = Outcome.normalize(d.replaceAll("'[^']*'", "'…'"));
            if (colon > 0 && d.startsWith("not a valid ONNX protobuf")) {
                key = "not a valid ONNX protobuf";
            }
            rejections.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
        /** First reproducer and count per failure signature. */
        final Map<String, Object[]> failures = new ConcurrentHashMap<>();
        final Map<String, Object[]> problemSamples = new ConcurrentHashMap<>();

        void record(Iteration it, Outcome o) {
            iterations.increment();
            byKind.computeIfAbsent(o.kind(), k -> new LongAdder()).increment();
            byModel.computeIfAbsent(it.model.name(), k -> new LongAdder()).increment();
            for (String m : it.mutations) {
                byMutation.computeIfAbsent(m.replaceAll("[ (\\[].*", ""), k -> new LongAdder()).increment();
            }
            if (o.error() != null) {
                Object[] slot = failures.computeIfAbsent(o.signature(), k -> {
                    saveFinding(it);
                    return new Object[] {it, o, new LongAdder()};
                });
                ((LongAdder) slot[2]).increment();
            }
            if (!o.problems().isEmpty()) {
                String key = o.problems().get(0).replaceAll("'[^']*'", "'…'");
                Object[] slot = problemSamples.computeIfAbsent(key, k -> new Object[] {it, o, new LongAdder()});
                ((LongAdder) slot[2]).increment();
            }
        }

        /** Keeps the input of a new failure signature under target/fuzz-findings (best effort). */
        private static void saveFinding(Iteration it) {
            try {
                Path d = Files.createDirectories(Path.of("target", "fuzz-findings"));
                Files.write(d.resolve(Long.toHexString(it.seed) + "-" + it.model.name()), it.bytes);
            } catch (IOException | RuntimeException ignored) {
                // the seed in the report reproduces it as well
            }
        }

        String summary(double seconds, long baseSeed, int threads) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("[fuzz] %d iterations in %.1f s (%d threads, base seed 0x%x, %d seed models)%n",
                    iterations.sum(), seconds, threads, baseSeed, seeds.size()));
            sb.append("[fuzz] outcomes: ").append(counts(byKind)).append('\n');
            sb.append("[fuzz] mutations: ").append(counts(byMutation)).append('\n');
            sb.append("[fuzz] models: ").append(counts(byModel)).append('\n');
            Map<String, String> ms = new TreeMap<>();
            nanosByStage.forEach((k, v) -> ms.put(k, v.sum() / 1_000_000 + " ms"));
            sb.append("[fuzz] time by stage (all threads): ").append(ms).append('\n');
            sb.append("[fuzz] rejections: ").append(counts(rejections)).append('\n');
            for (Object[] slot : problemSamples.values()) {
                Iteration it = (Iteration) slot[0];
                Outcome o = (Outcome) slot[1];
                sb.append("[fuzz] accepted but GraphVerifier reports problems (").append(slot[2]).append("x), e.g. ")
                        .append(o.problems().get(0)).append("\n         reproduce: ").append(it.describe()).append('\n');
            }
            if (!failures.isEmpty()) {
                sb.append("[fuzz] ").append(failures.size()).append(" distinct failure signature(s); see the test failure\n");
            }
            return sb.toString();
        }

        String failureReport() {
            StringBuilder sb = new StringBuilder();
            sb.append(failures.size()).append(" distinct failure signature(s); the importer (or a later stage on an "
                    + "accepted model) threw something other than BadInputException.\n"
                    + "Re-run one with -Dfuzz.replay=SEED (mvn ... -Dtest=ImporterFuzzTest -Dfuzz.replay=0x...).\n");
            int n = 0;
            for (Map.Entry<String, Object[]> e : new TreeMap<>(failures).entrySet()) {
                if (n++ == MAX_REPORTED) {
                    sb.append("... and ").append(failures.size() - MAX_REPORTED).append(" more\n");
                    break;
                }
                Iteration it = (Iteration) e.getValue()[0];
                Outcome o = (Outcome) e.getValue()[1];
                sb.append("\n== ").append(e.getKey()).append("  (").append(e.getValue()[2]).append("x)\n");
                sb.append("   reproduce: ").append(it.describe()).append('\n');
                sb.append("   ").append(topFrames(o.error(), 8).replace("\n", "\n   ")).append('\n');
            }
            return sb.toString();
        }

        private static String counts(Map<String, LongAdder> m) {
            Map<String, Long> sorted = new TreeMap<>();
            m.forEach((k, v) -> sorted.put(k, v.sum()));
            return sorted.toString();
        }

        private static String topFrames(Throwable t, int frames) {
            StringBuilder sb = new StringBuilder(t.toString());
            StackTraceElement[] st = t.getStackTrace();
            for (int i = 0; i < Math.min(frames, st.length); i++) {
                sb.append("\n  at ").append(st[i]);
            }
            if (t.getCause() != null && t.getCause() != t) {
                sb.append("\nCaused by: ").append(topFrames(t.getCause(), 3));
            }
            return sb.toString();
        }
    }

    // ====================================================================== mutations

    /** One fuzz case: the seed model, the mutations applied (in words) and the resulting bytes. */
    private static final class Iteration {
        final long seed;
        final SeedModel model;
        final List<String> mutations = new ArrayList<>();
        byte[] bytes;

        private Iteration(long seed, SeedModel model) {
            this.seed = seed;
            this.model = model;
        }

        String describe() {
            return "seed=0x" + Long.toHexString(seed) + " model=" + model.name() + " mutations=" + mutations
                    + " (" + bytes.length + " bytes)";
        }

        static Iteration generate(long seed, List<SeedModel> models) {
            SplittableRandom rnd = new SplittableRandom(seed);
            double total = models.stream().mapToDouble(SeedModel::weight).sum();
            double pick = rnd.nextDouble() * total;
            SeedModel model = models.get(models.size() - 1);
            for (SeedModel m : models) {
                pick -= m.weight();
                if (pick < 0) {
                    model = m;
                    break;
                }
            }
            Iteration it = new Iteration(seed, model);
            int mode = rnd.nextInt(100);
            boolean structured = mode < 60 || mode >= 85;
            boolean raw = mode >= 60;
            byte[] b = model.bytes();
            if (structured) {
                Wire.Overrides ov = new Wire.Overrides();
                int n = 1 + rnd.nextInt(3);
                for (int k = 0; k < n; k++) {
                    it.mutations.add(structuredMutation(rnd, model, ov));
                }
                try {
                    b = Wire.encode(model.tree(), ov);
                } catch (Wire.CyclicMutation e) {
                    it.mutations.add("(structured mutations dropped: cyclic)");
                }
            }
            if (raw) {
                int n = 1 + rnd.nextInt(2);
                for (int k = 0; k < n && b.length > 0; k++) {
                    b = rawMutation(rnd, b, it.mutations);
                }
            }
            it.bytes = b;
            return it;
        }
    }

    private static final long[] INTERESTING = {
        0, 1, -1, 2, 3, 7, 8, 9, 13, 14, 16, 21, 26, 27, 99, 127, 128, 255, 256, 65_535, 65_536,
        Integer.MAX_VALUE, 1L << 31, 1L << 32, 268_435_456L, 536_870_911L, 1L << 40, (1L << 59) - 1, 1L << 59,
        1L << 61, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -2, -1_000_000,
    };

    private static String structuredMutation(SplittableRandom rnd, SeedModel model, Wire.Overrides ov) {
        Wire.Index ix = model.index();
        int kind = rnd.nextInt(100);
        if (kind < 35 && !ix.varints.isEmpty()) {
            Wire.Field f = ix.varints.get(rnd.nextInt(ix.varints.size()));
            long v = switch (rnd.nextInt(4)) {
                case 0 -> f.value() + (rnd.nextBoolean() ? 1 : -1);
                case 1 -> rnd.nextLong();
                default -> INTERESTING[rnd.nextInt(INTERESTING.length)];
            };
            ov.fields.put(f, f.withValue(v));
            return "set-varint(field " + f.number() + ": " + f.value() + " -> " + v + ")";
        } else if (kind < 50) {
            Wire.Msg m = ix.messages.get(rnd.nextInt(ix.messages.size()));
            List<Wire.Field> fs = new ArrayList<>(ov.fieldsOf(m));
            if (fs.isEmpty()) {
                return "delete-field(none)";
            }
            Wire.Field gone = fs.remove(rnd.nextInt(fs.size()));
            ov.messages.put(m, fs);
            return "delete-field(field " + gone.number() + ")";
        } else if (kind < 62) {
            Wire.Msg m = ix.messages.get(rnd.nextInt(ix.messages.size()));
            List<Wire.Field> fs = new ArrayList<>(ov.fieldsOf(m));
            if (fs.isEmpty()) {
                return "duplicate-field(none)";
            }
            Wire.Field f = fs.get(rnd.nextInt(fs.size()));
            fs.add(rnd.nextInt(fs.size() + 1), f);
            ov.messages.put(m, fs);
            return "duplicate-field(field " + f.number() + ")";
        } else if (kind < 70) {
            // graft a field from anywhere into another message: sub-messages end up at the wrong depth
            Wire.Msg m = ix.messages.get(rnd.nextInt(ix.messages.size()));
            Wire.Msg from = ix.messages.get(rnd.nextInt(ix.messages.size()));
            List<Wire.Field> src = ov.fieldsOf(from);
            if (src.isEmpty()) {
                return "graft-field(none)";
            }
            Wire.Field f = src.get(rnd.nextInt(src.size()));
            if (f.msg() != null && ix.isWithin(m, f.msg())) {
                return "graft-field(skipped: would nest a message in itself)";
            }
            List<Wire.Field> fs = new ArrayList<>(ov.fieldsOf(m));
            fs.add(rnd.nextInt(fs.size() + 1), f);
            ov.messages.put(m, fs);
            return "graft-field(field " + f.number() + ")";
        } else if (kind < 88 && !ix.strings.isEmpty()) {
            // point a name at another name of the model: dangling references, cycles, duplicates
            Wire.Field f = ix.strings.get(rnd.nextInt(ix.strings.size()));
            Wire.Field other = ix.strings.get(rnd.nextInt(ix.strings.size()));
            byte[] repl = rnd.nextInt(10) == 0 ? new byte[0] : other.payload();
            ov.fields.put(f, f.withPayload(repl));
            return "swap-string(field " + f.number() + ": '" + printable(f.payload()) + "' -> '" + printable(repl) + "')";
        } else if (!ix.payloads.isEmpty()) {
            Wire.Field f = ix.payloads.get(rnd.nextInt(ix.payloads.size()));
            byte[] p = f.payload();
            int len = p.length == 0 ? 0 : rnd.nextInt(p.length);
            ov.fields.put(f, f.withPayload(Arrays.copyOf(p, len)));
            return "shorten-bytes(field " + f.number() + ": " + p.length + " -> " + len + ")";
        }
        return "noop";
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 40); i++) {
            int c = b[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f && c != '\'' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.length > 40 ? sb + "…" : sb.toString();
    }

    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x0a, 0x12, 0x3a};

    private static byte[] rawMutation(SplittableRandom rnd, byte[] b, List<String> log) {
        int len = b.length;
        switch (rnd.nextInt(6)) {
            case 0 -> {
                byte[] c = b.clone();
                int n = 1 + rnd.nextInt(8);
                StringBuilder at = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    int pos = rnd.nextInt(len);
                    int bit = rnd.nextInt(8);
                    c[pos] ^= (byte) (1 << bit);
                    at.append(k > 0 ? "," : "").append(pos).append('.').append(bit);
                }
                log.add("bit-flip(" + at + ")");
                return c;
            }
            case 1 -> {
                byte[] c = b.clone();
                int n = 1 + rnd.nextInt(8);
                StringBuilder at = new StringBuilder();
                for (int k = 0; k < n; k++) {
                    int pos = rnd.nextInt(len);
                    int v = rnd.nextBoolean() ? rnd.nextInt(256) : INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                    c[pos] = (byte) v;
                    at.append(k > 0 ? "," : "").append(pos).append('=').append(String.format("%02x", v));
                }
                log.add("overwrite(" + at + ")");
                return c;
            }
            case 2 -> {
                int cut = rnd.nextInt(len);
                log.add("truncate(" + len + " -> " + cut + ")");
                return Arrays.copyOf(b, cut);
            }
            case 3 -> {
                int from = rnd.nextInt(len);
                int n = 1 + rnd.nextInt(Math.min(len - from, 4096));
                int to = rnd.nextInt(len + 1);
                ByteArrayOutputStream o = new ByteArrayOutputStream(len + n);
                o.write(b, 0, to);
                o.write(b, from, n);
                o.write(b, to, len - to);
                log.add("duplicate-range([" + from + "," + (from + n) + ") at " + to + ")");
                return o.toByteArray();
            }
            case 4 -> {
                int from = rnd.nextInt(len);
                int n = 1 + rnd.nextInt(Math.min(len - from, 4096));
                ByteArrayOutputStream o = new ByteArrayOutputStream(len);
                o.write(b, 0, from);
                o.write(b, from + n, len - from - n);
                log.add("delete-range([" + from + "," + (from + n) + "))");
                return o.toByteArray();
            }
            default -> {
                int pos = rnd.nextInt(len);
                int variant = rnd.nextInt(3);
                if (variant == 0) {
                    // a run of continuation bytes: an over-long or unterminated varint
                    byte[] c = b.clone();
                    int n = 1 + rnd.nextInt(11);
                    for (int k = 0; k < n && pos + k < len; k++) {
                        c[pos + k] = (byte) (k == n - 1 && rnd.nextBoolean() ? 0x01 : 0xff);
                    }
                    log.add("varint-run(" + pos + " x" + n + ")");
                    return c;
                } else if (variant == 1) {
                    // set the continuation bit: the varint swallows the next byte
                    byte[] c = b.clone();
                    c[pos] |= (byte) 0x80;
                    log.add("varint-continue(" + pos + ")");
                    return c;
                } else {
                    // insert 0x80 before a byte: the varint (or length) there gets a redundant byte
                    ByteArrayOutputStream o = new ByteArrayOutputStream(len + 1);
                    o.write(b, 0, pos);
                    o.write((b[pos] & 0xff) | 0x80);
                    o.write(0x00);
                    o.write(b, pos + 1, len - pos - 1);
                    log.add("varint-lengthen(" + pos + ")");
                    return o.toByteArray();
                }
            }
        }
    }

    // ====================================================================== schema-less wire format

    /**
     * Protobuf wire format decoded without a schema. A length-delimited payload is taken as a
     * sub-message when it decodes completely with canonical varints (so re-encoding it reproduces its
     * bytes exactly), otherwise as opaque bytes. Trees are immutable and shared by all threads;
     * mutations are {@link Overrides} applied while encoding.
     */
    static final class Wire {
        private Wire() {
        }

        record Msg(List<Field> fields) {
        }

        /** One field. {@code src[off, off+len)} is the payload of an opaque LEN field; {@code msg} of a sub-message. */
        record Field(int number, int wireType, long value, byte[] src, int off, int len, Msg msg) {
            byte[] payload() {
                return Arrays.copyOfRange(src, off, off + len);
            }

            Field withValue(long v) {
                return new Field(number, wireType, v, src, off, len, msg);
            }

            Field withPayload(byte[] p) {
                return new Field(number, 2, 0, p, 0, p.length, null);
            }
        }

        /** Per-iteration changes: replaced fields and replaced field lists (by identity). */
        static final class Overrides {
            static final Overrides NONE = new Overrides();
            final Map<Field, Field> fields = new IdentityHashMap<>();
            final Map<Msg, List<Field>> messages = new IdentityHashMap<>();

            List<Field> fieldsOf(Msg m) {
                List<Field> l = messages.get(m);
                return l != null ? l : m.fields();
            }
        }

        /** Everything a mutation may pick, collected once per seed model. */
        static final class Index {
            final List<Field> varints = new ArrayList<>();
            final List<Field> strings = new ArrayList<>();
            final List<Field> payloads = new ArrayList<>();
            final List<Msg> messages = new ArrayList<>();
            private final Map<Msg, Msg> parent = new IdentityHashMap<>();

            static Index of(Msg root) {
                Index ix = new Index();
                ix.collect(root);
                return ix;
            }

            /** True when {@code m} is {@code ancestor} or nested in it (in the unmutated tree). */
            boolean isWithin(Msg m, Msg ancestor) {
                for (Msg x = m; x != null; x = parent.get(x)) {
                    if (x == ancestor) {
                        return true;
                    }
                }
                return false;
            }

            private void collect(Msg m) {
                messages.add(m);
                for (Field f : m.fields()) {
                    if (f.wireType() == 0) {
                        varints.add(f);
                    } else if (f.msg() != null) {
                        parent.put(f.msg(), m);
                        collect(f.msg());
                    } else if (f.wireType() == 2) {
                        payloads.add(f);
                        if (f.len() > 0 && f.len() <= 64 && isText(f)) {
                            strings.add(f);
                        }
                    }
                }
            }

            private static boolean isText(Field f) {
                for (int i = f.off(); i < f.off() + f.len(); i++) {
                    int c = f.src()[i] & 0xff;
                    if (c < 0x20 || c >= 0x7f) {
                        return false;
                    }
                }
                return true;
            }
        }

        private static final int MAX_DEPTH = 100;

        /** Decodes {@code b[from, to)} as a message, or returns null when it is not one. */
        static Msg decode(byte[] b, int from, int to, int depth) {
            List<Field> fields = new ArrayList<>();
            int[] pos = {from};
            while (pos[0] < to) {
                long tag = readVarint(b, pos, to);
                if (tag < 0 || tag > 0xFFFF_FFFFL) {
                    return null;
                }
                int number = (int) (tag >>> 3);
                int wt = (int) (tag & 7);
                if (number == 0 || number > 536_870_911) {
                    return null;
                }
                switch (wt) {
                    case 0 -> {
                        int start = pos[0];
                        long v = readVarintRaw(b, pos, to);
                        if (pos[0] < 0 || pos[0] - start != varintSize(v)) {
                            return null;
                        }
                        fields.add(new Field(number, 0, v, null, 0, 0, null));
                    }
                    case 1, 5 -> {
                        int n = wt == 1 ? 8 : 4;
                        if (to - pos[0] < n) {
                            return null;
                        }
                        fields.add(new Field(number, wt, 0, b, pos[0], n, null));
                        pos[0] += n;
                    }
                    case 2 -> {
                        long n = readVarint(b, pos, to);
                        if (n < 0 || n > to - pos[0]) {
                            return null;
                        }
                        int start = pos[0];
                        int end = start + (int) n;
                        Msg sub = n > 0 && depth < MAX_DEPTH ? decode(b, start, end, depth + 1) : null;
                        fields.add(new Field(number, 2, 0, b, start, (int) n, sub));
                        pos[0] = end;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Msg(fields);
        }

        /** A canonical (minimal) non-negative varint, or -1 (with pos[0] = -1 on truncation). */
        private static long readVarint(byte[] b, int[] pos, int to) {
            int start = pos[0];
            long v = readVarintRaw(b, pos, to);
            if (pos[0] < 0 || v < 0 || pos[0] - start != varintSize(v)) {
                return -1;
            }
            return v;
        }

        private static long readVarintRaw(byte[] b, int[] pos, int to) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos[0] >= to) {
                    pos[0] = -1;
                    return 0;
                }
                int c = b[pos[0]++] & 0xff;
                if (shift == 63 && c > 1) {
                    pos[0] = -1; // more than 64 bits: not canonical
                    return 0;
                }
                v |= (long) (c & 0x7f) << shift;
                if ((c & 0x80) == 0) {
                    return v;
                }
            }
            pos[0] = -1;
            return 0;
        }

        static int varintSize(long v) {
            int n = 1;
            while ((v & ~0x7FL) != 0) {
                v >>>= 7;
                n++;
            }
            return n;
        }

        private static void writeVarint(ByteArrayOutputStream o, long v) {
            while ((v & ~0x7FL) != 0) {
                o.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            o.write((int) v);
        }

        static byte[] encode(Msg m, Overrides ov) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            encodeTo(o, m, ov, new IdentityHashMap<>(), 0);
            return o.toByteArray();
        }

        /** Thrown when grafts combined into a message that contains itself. */
        static final class CyclicMutation extends RuntimeException {
            CyclicMutation() {
                super("mutations nested a message in itself", null, false, false);
            }
        }

        private static void encodeTo(ByteArrayOutputStream o, Msg m, Overrides ov, Map<Msg, byte[]> memo, int depth) {
            if (depth > 2 * MAX_DEPTH) {
                throw new CyclicMutation();
            }
            for (Field f0 : ov.fieldsOf(m)) {
                Field f = ov.fields.getOrDefault(f0, f0);
                writeVarint(o, ((long) f.number() << 3) | f.wireType());
                switch (f.wireType()) {
                    case 0 -> writeVarint(o, f.value());
                    case 1, 5 -> o.write(f.src(), f.off(), f.len());
                    default -> {
                        if (f.msg() != null) {
                            byte[] sub = memo.get(f.msg());
                            if (sub == null) {
                                ByteArrayOutputStream so = new ByteArrayOutputStream();
                                encodeTo(so, f.msg(), ov, memo, depth + 1);
                                sub = so.toByteArray();
                                memo.put(f.msg(), sub);
                            }
                            writeVarint(o, sub.length);
                            o.write(sub, 0, sub.length);
                        } else {
                            writeVarint(o, f.len());
                            o.write(f.src(), f.off(), f.len());
                        }
                    }
                }
            }
        }
    }
}
