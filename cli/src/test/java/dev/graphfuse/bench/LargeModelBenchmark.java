package dev.graphfuse.bench;

import dev.graphfuse.cli.GraphfuseCli;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.OnnxExporter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code optimize} (and optionally {@code verify}) of a synthetic Qwen3 export with Qwen3-8B layer sizes
 * and its weights in one external data file, as large as asked (default 16 GiB), made here and not kept
 * in the repository. The data file is sparse (its bytes read as zeros): what is measured is what the CLI
 * reads and writes, not arithmetic. Run it in its own JVM with the heap it must fit in:
 *
 * <pre>
 * java -Xmx1g -cp "$(cat cli/target/test-classpath.txt):cli/target/test-classes:cli/target/classes" \
 *     dev.graphfuse.bench.LargeModelBenchmark DIR [GIB] [--copy] [--verify-layers N]
 * </pre>
 *
 * Prints, per command: wall time, the bytes this process read and wrote through system calls
 * ({@code rchar} / {@code wchar} of {@code /proc/self/io}; a memory-mapped read would not count, and the
 * importer maps only the small {@code .onnx}), the heap in use after a full GC, and the peak resident set.
 * {@code --copy} also times {@code optimize} without {@code --keep-data} (it writes every weight byte into
 * OUT.data). {@code --verify-layers N} builds a second model of N layers (N = 3 is 2.3 GB, past the 2 GiB
 * protobuf limit) whose weights are filled with seeded uniform values, and runs {@code verify} on it and its
 * optimized form on the CPU provider.
 */
public final class LargeModelBenchmark {
    private LargeModelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        double gib = args.length > 1 && !args[1].startsWith("--") ? Double.parseDouble(args[1]) : 16;
        boolean copy = List.of(args).contains("--copy");
        int verifyLayers = 0;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--verify-layers")) {
                verifyLayers = Integer.parseInt(args[i + 1]);
            }
        }
        Files.createDirectories(dir);
        SyntheticDecoder.Dims d = SyntheticDecoder.QWEN3_8B;
        long perLayer = 4L * ((long) d.hidden() * (d.qHeads() + 2 * d.kvHeads()) * d.headDim()
                + (long) d.qHeads() * d.headDim() * d.hidden() + 3L * d.hidden() * d.intermediate());
        int layers = (int) Math.ceil(gib * (1L << 30) / perLayer);
        Path model = make(dir, "qwen3_large", layers, d);
        System.out.printf("model: %s, %d layers of Qwen3-8B sizes, %,d bytes of external weights (sparse file)%n",
                model, layers, Files.size(dir.resolve("qwen3_large.weights")));
        measure("optimize --keep-data", "optimize", model.toString(), "-o", dir.resolve("opt_keep.onnx").toString(),
                "--keep-data");
        if (copy) {
            measure("optimize (weights copied)", "optimize", model.toString(), "-o", dir.resolve("opt_copy.onnx").toString());
        }
        if (verifyLayers > 0) {
            Path small = make(dir, "qwen3_verify", verifyLayers, d);
            fillRandom(dir.resolve("qwen3_verify.weights")); // real values, so that verify compares real numbers
            System.out.printf("verify model: %d layers, %,d bytes of external weights%n", verifyLayers,
                    Files.size(dir.resolve("qwen3_verify.weights")));
            Path opt = dir.resolve("qwen3_verify_opt.onnx");
            measure("optimize --keep-data", "optimize", small.toString(), "-o", opt.toString(), "--keep-data");
            measure("verify (CPU provider)", "verify", small.toString(), opt.toString(), "--device", "cpu", "--seed", "1");
        }
    }

    private static Path make(Path dir, String name, int layers, SyntheticDecoder.Dims d) throws Exception {
        // not NAME.onnx.data: writing NAME.onnx replaces that file, so its tensors would be copied into a new one
        Path data = dir.resolve(name + ".weights");
        Files.deleteIfExists(data);
        Model m = SyntheticDecoder.buildExternal(layers, d, data);
        Path model = dir.resolve(name + ".onnx");
        OnnxExporter.write(m, model, true); // the weights stay in the data file beside it
        return model;
    }

    /** Overwrites the file with uniform values in [-0.05, 0.05), 64 MiB at a time (seeded: the same each run). */
    private static void fillRandom(Path file) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(64 << 20).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            long size = ch.size();
            for (long at = 0; at < size; at += b.capacity()) {
                b.clear();
                while (b.remaining() >= 4) {
                    b.putFloat((float) ((r.nextInt(1 << 24) / (double) (1 << 24) - 0.5) * 0.1));
                }
                b.flip();
                b.limit((int) Math.min(b.capacity(), size - at));
                while (b.hasRemaining()) {
                    ch.write(b, at + b.position());
                }
            }
        }
    }

    private static void measure(String label, String... args) throws Exception {
        long[] io0 = io();
        long t0 = System.nanoTime();
        List<String> out = new ArrayList<>();
        java.io.StringWriter sw = new java.io.StringWriter();
        int code = GraphfuseCli.run(args, new PrintWriter(sw, true), new PrintWriter(System.err, true));
        double s = (System.nanoTime() - t0) / 1e9;
        long[] io1 = io();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        out.add(sw.toString().strip());
        System.out.printf("%-28s exit %d, %.2f s, read %,d B, written %,d B, heap after GC %,d MiB (max %,d MiB), peak RSS %s%n",
                label, code, s, io1[0] - io0[0], io1[1] - io0[1], heap >> 20, rt.maxMemory() >> 20, peakRss());
        out.forEach(l -> System.out.println("    " + l.replace("\n", "\n    ")));
    }

    private static long[] io() throws Exception {
        long r = 0;
        long w = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("rchar:")) {
                r = Long.parseLong(line.substring(6).strip());
            } else if (line.startsWith("wchar:")) {
                w = Long.parseLong(line.substring(6).strip());
            }
        }
        return new long[] {r, w};
    }

    private static String peakRss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).strip();
            }
        }
        return "?";
    }
}
