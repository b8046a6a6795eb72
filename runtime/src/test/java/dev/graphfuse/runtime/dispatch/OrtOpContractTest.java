package dev.graphfuse.runtime.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.graphfuse.dsl.ast.Decl;
import dev.graphfuse.dsl.parse.FuseFileParser;
import dev.graphfuse.runtime.ort.OrtOpLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One contract per op: the ops libgraphfuse_ort registers with ONNX Runtime (its gf_ort_contract(), the
 * C++ table the kernels read attributes and defaults from) are exactly the graphfuse ops declared in the
 * pattern library's ops/graphfuse.fuse — every op, input, output, type variable, attribute, kind, optionality
 * and default.
 */
class OrtOpContractTest {
    private static final String OPS = "dev/graphfuse/patterns/ops/graphfuse.fuse";

    @Test
    void theOrtLibraryRegistersExactlyTheDeclaredOps() throws IOException {
        Map<String, Decl.Op> declared = ops(resource(OPS), OPS);
        Map<String, Decl.Op> registered = ops(OrtOpLibrary.load().contract(), "gf_ort_contract()");
        assertEquals(declared.keySet(), registered.keySet(), "op names");
        for (Map.Entry<String, Decl.Op> e : declared.entrySet()) {
            Decl.Op want = e.getValue();
            Decl.Op got = registered.get(e.getKey());
            String op = e.getKey();
            assertEquals(names(want.inputs()), names(got.inputs()), op + " inputs");
            // a single unnamed output in the .fuse file is one output
            if (want.outputs().isEmpty()) {
                assertEquals(1, got.outputs().size(), op + " outputs");
            } else {
                assertEquals(names(want.outputs()), names(got.outputs()), op + " outputs");
            }
            assertEquals(attrs(want), attrs(got), op + " attributes");
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = OrtOpContractTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, Decl.Op> ops(String source, String file) {
        Map<String, Decl.Op> out = new LinkedHashMap<>();
        for (Decl d : FuseFileParser.parse(source, file).decls()) {
            if (d instanceof Decl.Op op && op.domain().equals("graphfuse")) {
                out.put(op.name(), op);
            }
        }
        return out;
    }

    private static List<String> names(List<Decl.Port> ports) {
        return ports.stream().map(p -> p.name() + (p.type() != null ? ": " + p.type() : "") + (p.optional() ? "?" : "")
                + (p.variadic() ? "..." : "")).toList();
    }

    /** name → "kind", "kind?" or "kind = default" (defaults compared as values: 1.0 and 1.00 are equal). */
    private static Map<String, String> attrs(Decl.Op op) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Decl.AttrDecl a : op.attributes()) {
            Object d = a.defaultValue();
            String value = d instanceof Number n && a.kind().equals("float") ? Double.toString(n.doubleValue())
                    : String.valueOf(d);
            out.put(a.name(), a.kind() + (d != null ? " = " + value : a.optional() ? "?" : ""));
        }
        return out;
    }
}
