package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.runtime.ort.OrtOpLibrary;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java layouts of the kernels' argument structs are the C compiler's, field by field: name, offset,
 * size and element kind of every field, and the struct size. The native side is the ONNX Runtime op
 * library, built on every machine (no CUDA needed), whose gf_ort_abi_layout() reports graphfuse_kernels.h's
 * structs as compiled (from the header's field lists). NativeLayouts.java is generated from that report;
 * a field added, swapped or retyped in the header and not regenerated fails here, with the command that
 * regenerates it: {@value #REGENERATE}.
 */
class NativeLayoutsTest {
    static final String REGENERATE = "mvn -B -o test -pl runtime -am -Dtest=NativeLayoutsTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dgraphfuse.abi.update=true";
    private static final String SOURCE = "runtime/src/main/java/dev/graphfuse/runtime/kernels/NativeLayouts.java";
    private static final String HEADER = "runtime/native/include/graphfuse_kernels.h";

    record Field(String name, long offset, long bytes, String kind) {
    }

    /** struct → its "sizeof" line, then its fields in order. */
    private static Map<String, List<Field>> nativeLayout() {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        for (String line : OrtOpLibrary.load().abiLayout().split("\n")) {
            String[] p = line.trim().split(" ");
            out.computeIfAbsent(p[0], k -> new ArrayList<>())
                    .add(new Field(p[1], Long.parseLong(p[2]), Long.parseLong(p[3]), p[4]));
        }
        return out;
    }

    private static String kindOf(MemoryLayout m) {
        MemoryLayout e = m instanceof SequenceLayout s ? s.elementLayout() : m;
        if (e instanceof AddressLayout) {
            return "ptr";
        }
        Class<?> c = ((ValueLayout) e).carrier();
        return c == int.class ? "i32" : c == long.class ? "i64" : c == float.class ? "f32" : c.getName();
    }

    private static List<Field> javaFields(StructLayout layout) {
        List<Field> out = new ArrayList<>();
        out.add(new Field("sizeof", 0, layout.byteSize(), "-"));
        long offset = 0;
        for (MemoryLayout m : layout.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                out.add(new Field(m.name().orElseThrow(), offset, m.byteSize(), kindOf(m)));
            }
            offset += m.byteSize();
        }
        return out;
    }

    @Test
    void ropeArgsMatchTheHeaderFieldByField() {
        assertEquals(nativeLayout().get("gf_rope_args"), javaFields(NativeLayouts.ROPE_ARGS), "regenerate: " + REGENERATE);
    }

    @Test
    void normArgsMatchTheHeaderFieldByField() {
        assertEquals(nativeLayout().get("gf_norm_args"), javaFields(NativeLayouts.NORM_ARGS), "regenerate: " + REGENERATE);
    }

    /** The committed NativeLayouts.java is what the generator makes of the compiled structs and the header's version. */
    @Test
    void nativeLayoutsJavaIsGeneratedFromTheCompiledStructs() throws IOException {
        Path root = TestModels.repoRoot();
        Matcher v = Pattern.compile("#define GF_ABI_VERSION (\\d+)").matcher(Files.readString(root.resolve(HEADER)));
        assertTrue(v.find(), HEADER + " defines no GF_ABI_VERSION");
        String want = generate(nativeLayout(), Integer.parseInt(v.group(1)));
        Path source = root.resolve(SOURCE);
        if (Boolean.getBoolean("graphfuse.abi.update")) {
            Files.writeString(source, want);
        }
        assertEquals(want, Files.readString(source), SOURCE + " is stale; regenerate it: " + REGENERATE);
    }

    /** Each field starts where the one before ends, rounded up to its own alignment, and nothing is left over. */
    @Test
    void theNativeTableCoversEveryByteOfEachStruct() {
        for (Map.Entry<String, List<Field>> e : nativeLayout().entrySet()) {
            List<Field> fields = e.getValue();
            long size = fields.get(0).bytes();
            long end = 0;
            for (Field f : fields.subList(1, fields.size())) {
                long align = f.kind().equals("i32") || f.kind().equals("f32") ? 4 : 8;
                assertEquals((end + align - 1) / align * align, f.offset(), e.getKey() + "." + f.name()
                        + ": bytes before it that no field of the table accounts for");
                end = f.offset() + f.bytes();
            }
            assertTrue(size - end < 8, e.getKey() + ": " + (size - end) + " bytes after the last field");
        }
    }

    // ---- the generator ----

    private static String generate(Map<String, List<Field>> structs, int abiVersion) {
        StringBuilder o = new StringBuilder();
        o.append("// GENERATED from the compiled layout report of runtime/native/include/graphfuse_kernels.h (gf_abi_layout)\n");
        o.append("// by NativeLayoutsTest. Do not edit: change the header's field lists, then run\n");
        o.append("//   ").append(REGENERATE).append("\n");
        o.append("package dev.graphfuse.runtime.kernels;\n\n");
        o.append("import static java.lang.foreign.ValueLayout.ADDRESS;\n");
        o.append("import static java.lang.foreign.ValueLayout.JAVA_FLOAT;\n");
        o.append("import static java.lang.foreign.ValueLayout.JAVA_INT;\n");
        o.append("import static java.lang.foreign.ValueLayout.JAVA_LONG;\n\n");
        o.append("import java.lang.foreign.MemoryLayout;\n");
        o.append("import java.lang.foreign.StructLayout;\n\n");
        o.append("/**\n * The argument structs of graphfuse_kernels.h as FFM layouts, field for field, and the header's ABI version.\n");
        o.append(" * Their sizes are checked against the library's gf_args_size() when it loads.\n */\n");
        o.append("final class NativeLayouts {\n");
        o.append("    /** GF_ABI_VERSION of the header these layouts were generated from. */\n");
        o.append("    static final int ABI_VERSION = ").append(abiVersion).append(";\n");
        for (Map.Entry<String, List<Field>> e : structs.entrySet()) {
            String constant = e.getKey().replaceFirst("^gf_", "").toUpperCase();
            List<Field> fields = e.getValue();
            List<String> members = new ArrayList<>();
            long end = 0;
            for (Field f : fields.subList(1, fields.size())) {
                if (f.offset() > end) {
                    members.add("MemoryLayout.paddingLayout(" + (f.offset() - end) + ")");
                }
                String element = switch (f.kind()) {
                    case "ptr" -> "ADDRESS";
                    case "i32" -> "JAVA_INT";
                    case "i64" -> "JAVA_LONG";
                    case "f32" -> "JAVA_FLOAT";
                    default -> throw new IllegalArgumentException(e.getKey() + "." + f.name() + ": kind " + f.kind());
                };
                long elementBytes = f.kind().equals("i32") || f.kind().equals("f32") ? 4 : 8;
                members.add(f.bytes() == elementBytes ? element + ".withName(\"" + f.name() + "\")"
                        : "MemoryLayout.sequenceLayout(" + f.bytes() / elementBytes + ", " + element + ").withName(\""
                                + f.name() + "\")");
                end = f.offset() + f.bytes();
            }
            if (fields.get(0).bytes() > end) {
                members.add("MemoryLayout.paddingLayout(" + (fields.get(0).bytes() - end) + ")");
            }
            o.append("\n    static final StructLayout ").append(constant).append(" = MemoryLayout.structLayout(\n            ");
            o.append(String.join(",\n            ", members)).append(");\n");
        }
        o.append("\n    private NativeLayouts() {\n    }\n\n");
        o.append("    /** Byte offset of a named field (array fields: of element 0). */\n");
        o.append("    static long offset(StructLayout layout, String field) {\n");
        o.append("        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));\n    }\n}\n");
        return o.toString();
    }
}
