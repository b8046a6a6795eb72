package dev.graphfuse.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.io.Npy;
import dev.graphfuse.runtime.rope.RopeIndexException;
import dev.graphfuse.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the small readers users feed by hand: the {@code .npy} reader ({@code -i}
 * inputs), the rope-index request ({@code rope-index}, {@code run --rope-index}) and the graph text reader
 * ({@code .gft}), seeded from the committed files. The only acceptable outcomes are a value or the one-line error of bad input; anything else
 * (an unchecked exception, an out-of-memory from a size taken on trust) is a finding, reported with the
 * iteration's seed ({@code -Dfuzz.replay=SEED} reruns it). Budget: {@code fuzz.seconds} per target (default 6).
 */
class RequestAndNpyFuzzTest {
    @TempDir
    Path tmp;

    private static final long BASE_SEED = 0x6e70_795f_6a73_6f6eL;

    private static List<byte[]> seeds(Path dir, String suffix) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                out.add(Files.readAllBytes(p));
            }
        }
        assertFalse(out.isEmpty(), "no " + suffix + " seeds in " + dir);
        return out;
    }

    /** One to four mutations: bit flips, interesting bytes or numbers, truncation, duplicated or deleted ranges. */
    static byte[] mutate(byte[] in, Random r, boolean text) {
        byte[] b = in.clone();
        int n = 1 + r.nextInt(4);
        for (int k = 0; k < n && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(text ? 7 : 6)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0x7f, 0x80, 0xff, '-', '9', '[', ']', ',', '"'}[r.nextInt(10)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
                case 5 -> {
                    // a number where one was: the sizes and ids a hostile file would claim
                    String[] nums = {"-1", "0", "2147483648", "9223372036854775807", "-9223372036854775808", "1e308",
                            "99999999999999999999", "1000000000", "65535", "3"};
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+").matcher(s);
                    List<int[]> spans = new ArrayList<>();
                    while (m.find()) {
                        spans.add(new int[] {m.start(), m.end()});
                    }
                    if (!spans.isEmpty()) {
                        int[] sp = spans.get(r.nextInt(spans.size()));
                        s = s.substring(0, sp[0]) + nums[r.nextInt(nums.length)] + s.substring(sp[1]);
                        b = s.getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                default -> {
                    // text only: drop or repeat a whole line (a row of a table, a field)
                    String[] lines = new String(b, StandardCharsets.UTF_8).split("\n", -1);
                    int i = r.nextInt(lines.length);
                    List<String> l = new ArrayList<>(List.of(lines));
                    if (r.nextBoolean()) {
                        l.remove(i);
                    } else {
                        l.add(i, lines[i]);
                    }
                    b = String.join("\n", l).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        return b;
    }

    private static void fuzz(String target, List<byte[]> seeds, boolean text, Consumer<byte[]> run) {
        long budget = Long.getLong("fuzz.seconds", 6) * 1_000_000_000L;
        String replay = System.getProperty("fuzz.replay");
        long start = System.nanoTime();
        List<String> findings = new ArrayList<>();
        long iterations = 0;
        long slowest = 0;
        long slowestSeed = 0;
        for (long i = 0; replay != null ? i < 1 : System.nanoTime() - start < budget && findings.size() < 5; i++) {
            long seed = replay != null ? Long.parseLong(replay) : BASE_SEED ^ (target.hashCode() * 0x9E3779B97F4A7C15L) ^ i;
            Random r = new Random(seed);
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r, text);
            iterations++;
            long t0 = System.nanoTime();
            try {
                run.accept(input);
            } catch (BadInputException | RopeIndexException expected) {
                assertFalse(expected.getMessage().contains("\n"), "one line: " + expected.getMessage());
            } catch (Throwable t) {
                // where in our code: the first frame of ours, below the JDK's
                String at = java.util.Arrays.stream(t.getStackTrace()).filter(f -> f.getClassName().startsWith("dev.graphfuse."))
                        .findFirst().map(f -> " at " + f).orElse("");
                findings.add(target + " seed " + seed + ": " + t + at);
            }
            long took = System.nanoTime() - t0;
            if (took > slowest) {
                slowest = took;
                slowestSeed = seed;
            }
        }
        System.out.printf("[fuzz] %s: %d inputs, %d findings, slowest %.1f ms (seed %d)%n", target, iterations,
                findings.size(), slowest / 1e6, slowestSeed);
        if (slowest > 2_000_000_000L) {
            findings.add(target + " seed " + slowestSeed + ": took " + slowest / 1_000_000 + " ms (a hang in the making)");
        }
        assertTrue(findings.isEmpty(), String.join("\n", findings));
    }

    @Test
    void npyReader() throws Exception {
        Path file = tmp.resolve("x.npy");
        fuzz("npy", seeds(TestModels.modelsDir(), ".npy"), false, bytes -> {
            try {
                Files.write(file, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Npy.read(file, "x");
        });
    }

    @Test
    void ropeIndexRequest() throws Exception {
        fuzz("rope-index", seeds(TestModels.repoRoot().resolve("testdata/rope_index"), ".request.json"), true, bytes -> {
            RopeIndexJson.Request r = RopeIndexJson.read("request.json", bytes);
            r.ropeIndex().compute(r.input());
        });
    }

    /**
     * The graph text reader ({@code .gft} models), seeded with every graph of the committed golden cases; an
     * accepted text must also verify, as {@code ModelFiles.read} does after parsing.
     */
    @Test
    void graphTextReader() throws Exception {
        List<byte[]> graphs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(TestModels.repoRoot().resolve("testdata/golden"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".test")).sorted().toList()) {
                for (String part : Files.readString(p).split("(?m)^--- \\w+\\s*$")) {
                    if (part.contains("graph ")) {
                        graphs.add(part.replaceAll("(?m)^#.*$", "").strip().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        assertFalse(graphs.isEmpty(), "no golden graphs");
        Path file = tmp.resolve("x.gft");
        fuzz("gft", graphs, true, bytes -> {
            try {
                Files.write(file, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            dev.graphfuse.io.ModelFiles.read(file);
        });
    }
}
