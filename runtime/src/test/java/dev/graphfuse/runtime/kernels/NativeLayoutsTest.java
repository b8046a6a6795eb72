package dev.graphfuse.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.runtime.ort.OrtOpLibrary;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java layouts of the kernels' argument structs agree with the C compiler's, field by field: name,
 * offset and size of every field, and the struct size. The native side is the ONNX Runtime op library,
 * built on every machine (no CUDA needed), which reports graphfuse_kernels.h's structs as compiled. A field
 * swapped, retyped or added in the header and not here fails; so does a field the native table leaves out
 * (its bytes show up as a gap that no alignment explains).
 */
class NativeLayoutsTest {
    record Field(String name, long offset, long bytes) {
    }

    private static Map<String, List<Field>> nativeLayout() {
        Map<String, List<Field>> out = new LinkedHashMap<>();
        for (String line : OrtOpLibrary.load().abiLayout().split("\n")) {
            String[] p = line.trim().split(" ");
            out.computeIfAbsent(p[0], k -> new ArrayList<>())
                    .add(new Field(p[1], Long.parseLong(p[2]), Long.parseLong(p[3])));
        }
        return out;
    }

    private static List<Field> javaFields(StructLayout layout) {
        List<Field> out = new ArrayList<>();
        out.add(new Field("sizeof", 0, layout.byteSize()));
        long offset = 0;
        for (MemoryLayout m : layout.memberLayouts()) {
            if (!(m instanceof PaddingLayout)) {
                out.add(new Field(m.name().orElseThrow(), offset, m.byteSize()));
            }
            offset += m.byteSize();
        }
        return out;
    }

    @Test
    void ropeArgsMatchTheHeaderFieldByField() {
        assertEquals(nativeLayout().get("gf_rope_args"), javaFields(NativeLayouts.ROPE_ARGS));
    }

    @Test
    void normArgsMatchTheHeaderFieldByField() {
        assertEquals(nativeLayout().get("gf_norm_args"), javaFields(NativeLayouts.NORM_ARGS));
    }

    /** Each field starts where the one before ends, rounded up to its own alignment, and nothing is left over. */
    @Test
    void theNativeTableCoversEveryByteOfEachStruct() {
        for (Map.Entry<String, List<Field>> e : nativeLayout().entrySet()) {
            List<Field> fields = e.getValue();
            long size = fields.get(0).bytes();
            long end = 0;
            for (Field f : fields.subList(1, fields.size())) {
                long align = f.bytes() % 8 == 0 ? 8 : f.bytes() % 4 == 0 ? 4 : f.bytes() % 2 == 0 ? 2 : 1;
                assertEquals((end + align - 1) / align * align, f.offset(), e.getKey() + "." + f.name()
                        + ": bytes before it that no field of the table accounts for");
                end = f.offset() + f.bytes();
            }
            assertTrue(size - end < 8, e.getKey() + ": " + (size - end) + " bytes after the last field");
        }
    }
}
