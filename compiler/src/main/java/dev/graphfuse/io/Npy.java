package dev.graphfuse.io;

import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.util.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes NumPy {@code .npy} files (format 1.0–3.0, C order, little-endian or byte-sized types). */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Map<String, ElementType> TYPES = Map.ofEntries(
            Map.entry("f4", ElementType.FLOAT), Map.entry("f8", ElementType.DOUBLE), Map.entry("f2", ElementType.FLOAT16),
            Map.entry("i1", ElementType.INT8), Map.entry("i2", ElementType.INT16), Map.entry("i4", ElementType.INT32),
            Map.entry("i8", ElementType.INT64), Map.entry("u1", ElementType.UINT8), Map.entry("u2", ElementType.UINT16),
            Map.entry("u4", ElementType.UINT32), Map.entry("u8", ElementType.UINT64), Map.entry("b1", ElementType.BOOL));

    private Npy() {
    }

    public static Tensor read(Path file, String tensorName) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file.toString(), null, "no such file");
        } catch (IOException e) {
            throw new BadInputException(file.toString(), null, "cannot read: " + e.getMessage());
        }
        String f = file.toString();
        if (all.length < 10 || !java.util.Arrays.equals(all, 0, 6, MAGIC, 0, 6)) {
            throw new BadInputException(f, "header", "not a .npy file (bad magic)");
        }
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (all.length < 12) { // version 2's length field is 4 bytes
                throw new BadInputException(f, "header", "truncated: " + all.length + " bytes, no room for the header length");
            }
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new BadInputException(f, "header", "unsupported .npy version " + major);
        }
        if (headerLen < 0 || (long) start + headerLen > all.length) { // long: a length near 2^31 must not wrap
            throw new BadInputException(f, "header", "header length " + headerLen + " exceeds the file");
        }
        String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher fo = FORTRAN.matcher(header);
        Matcher sh = SHAPE.matcher(header);
        if (!d.find() || !fo.find() || !sh.find()) {
            throw new BadInputException(f, "header", "cannot parse header " + header.trim());
        }
        if (fo.group(1).equals("True")) {
            throw new BadInputException(f, "header", "Fortran-order arrays are not supported");
        }
        if (d.group(1).equals(">")) {
            throw new BadInputException(f, "header", "big-endian arrays are not supported");
        }
        ElementType type = TYPES.get(d.group(2) + d.group(3));
        if (type == null) {
            throw new BadInputException(f, "header", "unsupported dtype '" + d.group(2) + d.group(3) + "'");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : sh.group(1).split(",")) {
            if (!part.isBlank()) {
                long dim;
                try {
                    dim = Long.parseLong(part.trim());
                } catch (NumberFormatException e) {
                    dim = -1;
                }
                if (dim < 0) {
                    throw new BadInputException(f, "header", "shape (" + sh.group(1).trim() + ") has '" + part.trim()
                            + "', not a size");
                }
                dims.add(dim);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long x : shape) {
            count = x > 0 && count > Long.MAX_VALUE / 16 / x ? -1 : count * x;
            if (count < 0) {
                throw new BadInputException(f, "header", "shape (" + sh.group(1).trim() + ") has more elements than a file holds");
            }
        }
        int dataStart = start + headerLen;
        long bytes = type.storageBytes(count);
        if (all.length - dataStart != bytes) {
            throw new BadInputException(f, "data", "has " + (all.length - dataStart) + " data bytes, expected " + bytes);
        }
        byte[] data = java.util.Arrays.copyOfRange(all, dataStart, all.length);
        return Tensor.of(tensorName, type, shape, data);
    }

    public static void write(Tensor t, Path file) throws IOException {
        String descr = null;
        for (Map.Entry<String, ElementType> e : TYPES.entrySet()) {
            if (e.getValue() == t.elementType()) {
                descr = (t.elementType().bits() == 8 ? "|" : "<") + e.getKey();
            }
        }
        if (descr == null) {
            throw new IllegalArgumentException(t.elementType().shortName() + " has no .npy dtype");
        }
        StringBuilder shape = new StringBuilder();
        for (long d : t.dims()) {
            shape.append(d).append(", ");
        }
        String dims = t.rank() == 1 ? shape.toString().trim() : shape.toString().replaceAll(", $", "");
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        String padded = header + " ".repeat(pad % 64) + "\n";
        ByteBuffer data = t.bytes();
        AtomicFiles.write(file, os -> {
            os.write(MAGIC);
            os.write(new byte[]{1, 0, (byte) (padded.length() & 0xff), (byte) (padded.length() >> 8)});
            os.write(padded.getBytes(StandardCharsets.ISO_8859_1));
            byte[] raw = new byte[data.remaining()];
            data.get(raw);
            os.write(raw);
        });
    }
}
