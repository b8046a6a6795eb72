package dev.graphfuse.runtime.rope;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Reads the integer arrays of a NumPy {@code .npz} (C order, little-endian int8/16/32/64) as longs. */
final class Npz {
    /** One array: its shape and its values widened to long. */
    record Array(int[] shape, long[] values) {
        int dim(int i) {
            return shape[i];
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<|])i([1248])'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npz() {
    }

    static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(e.getName().replaceFirst("\\.npy$", ""), parse(file + ":" + e.getName(), in.readAllBytes()));
                }
            }
        }
        return out;
    }

    private static Array parse(String what, byte[] all) {
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all[0] != (byte) 0x93 || all[1] != 'N' || all[6] != 1) {
            throw new IllegalArgumentException(what + ": not a version-1 .npy");
        }
        int headerLen = b.getShort(8) & 0xffff;
        String header = new String(all, 10, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || !header.contains("'fortran_order': False")) {
            throw new IllegalArgumentException(what + ": unsupported header " + header.trim());
        }
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        int width = Integer.parseInt(d.group(2));
        b.position(10 + headerLen);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = switch (width) {
                case 1 -> b.get();
                case 2 -> b.getShort();
                case 4 -> b.getInt();
                default -> b.getLong();
            };
        }
        return new Array(shape, values);
    }
}
