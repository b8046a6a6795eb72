package dev.graphfuse.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.graphfuse.cli.GraphfuseCli;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.onnx.wire.OnnxWire.AttributeProto;
import dev.graphfuse.onnx.wire.OnnxWire.FunctionProto;
import dev.graphfuse.onnx.wire.OnnxWire.GraphProto;
import dev.graphfuse.onnx.wire.OnnxWire.ModelProto;
import dev.graphfuse.onnx.wire.OnnxWire.NodeProto;
import dev.graphfuse.onnx.wire.OnnxWire.OperatorSetIdProto;
import dev.graphfuse.onnx.wire.OnnxWire.StringStringEntryProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorProto;
import dev.graphfuse.onnx.wire.OnnxWire.TensorShapeProto;
import dev.graphfuse.onnx.wire.OnnxWire.TypeProto;
import dev.graphfuse.onnx.wire.OnnxWire.ValueInfoProto;
import dev.graphfuse.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed ONNX inputs. Every one must surface as exactly one {@link BadInputException} whose
 * message is one line {@code FILE: LOCATION: error: DETAIL}; through the CLI it must exit 2 with
 * that line (and nothing else) on stderr, and must leave no output file, data file or temporary
 * file behind.
 */
class BadInputTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ builders

    private static ValueInfoProto tensorInfo(String name, int elemType, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    private static NodeProto node(String name, String op, List<String> inputs, List<String> outputs) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addAllOutput(outputs).build();
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static TensorProto.Builder floatTensor(String name, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1 /* FLOAT */);
        for (long d : dims) {
            t.addDims(d);
        }
        return t;
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** x:f32[2], w:f32[2] (initializer) -> Add -> t -> Relu -> y:f32[2]. */
    private static GraphProto.Builder validGraph() {
        return GraphProto.newBuilder().setName("g")
                .addInitializer(floatTensor("w", 2).setRawData(ByteString.copyFrom(floats(1f, 2f))))
                .addInput(tensorInfo("x", 1, 2))
                .addOutput(tensorInfo("y", 1, 2))
                .addNode(node("add", "Add", List.of("x", "w"), List.of("t")))
                .addNode(node("relu", "Relu", List.of("t"), List.of("y")));
    }

    private static ModelProto.Builder model(GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(10).setProducerName("BadInputTest")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(18))
                .setGraph(graph);
    }

    // ------------------------------------------------------------------ harness

    private Path write(String fileName, byte[] bytes) throws IOException {
        Path p = dir.resolve(fileName);
        Files.write(p, bytes);
        return p;
    }

    private Path write(String fileName, ModelProto.Builder m) throws IOException {
        return write(fileName, m.build().toByteArray());
    }

    private static Set<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private record CliResult(int code, String out, String err) {
    }

    private static CliResult cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = GraphfuseCli.run(args, o, e);
        }
        return new CliResult(code, out.toString(), err.toString());
    }

    /** Imports {@code bad}; anything but exactly one well-formed BadInputException fails. */
    private static BadInputException importFailure(Path bad) {
        Model m;
        try {
            m = OnnxImporter.read(bad);
        } catch (BadInputException e) {
            return e;
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            return fail("importing " + bad.getFileName() + " threw " + t.getClass().getName()
                    + " instead of BadInputException:\n" + sw);
        }
        return fail("importing " + bad.getFileName() + " succeeded; expected a BadInputException. The model:\n"
                + dev.graphfuse.text.GraphTextWriter.print(m));
    }

    /**
     * Asserts that {@code bad} is rejected with exactly {@code FILE: location: error: detail} (the
     * file as the user named it), both from the importer and through the CLI.
     */
    private void assertRejected(Path bad, String location, String detail) throws IOException {
        assertRejectedMatching(bad, location, detail, true);
    }

    /** Like {@link #assertRejected} but only requires the detail to start with {@code detailPrefix}. */
    private void assertRejectedWithDetailPrefix(Path bad, String location, String detailPrefix) throws IOException {
        assertRejectedMatching(bad, location, detailPrefix, false);
    }

    private void assertRejectedMatching(Path bad, String location, String detail, boolean exact) throws IOException {
        String file = bad.toString();
        BadInputException e = importFailure(bad);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n") || msg.contains("\r"), () -> "message is not one line: " + msg);
        assertEquals(0, e.getSuppressed().length, "exactly one exception, nothing suppressed");
        assertEquals(file, e.file(), "the message names the file as given");
        assertEquals(location, e.location(), () -> "location of: " + msg);
        String prefix = file + ": " + (location == null ? "" : location + ": ") + "error: ";
        if (exact) {
            assertEquals(prefix + detail, msg);
        } else {
            assertTrue(msg.startsWith(prefix + detail), () -> "expected a message starting with\n  " + prefix + detail
                    + "\nbut got\n  " + msg);
        }
        assertCliRejects(bad, msg);
    }

    /** convert (to onnx and to text) and inspect must exit 2 with {@code message} as the only stderr line, writing nothing. */
    private void assertCliRejects(Path bad, String message) throws IOException {
        Path bin = bad.toAbsolutePath().getParent();
        for (String to : List.of("onnx", "text")) {
            Path out = bin.resolve("converted." + (to.equals("onnx") ? "onnx" : "gft"));
            Path data = out.resolveSibling(out.getFileName() + ".data");
            Set<String> before = listing(bin);
            CliResult r = cli("convert", bad.toString(), "--to", to, "-o", out.toString());
            assertEquals(GraphfuseCli.EXIT_BAD_INPUT, r.code(), () -> "convert --to " + to + " exit code; stderr:\n" + r.err());
            assertEquals(List.of(message), r.err().lines().toList(), "convert --to " + to + ": stderr is exactly the one error line");
            assertEquals("", r.out(), "convert --to " + to + ": nothing on stdout");
            assertFalse(Files.exists(out), "convert --to " + to + " must not create " + out.getFileName());
            assertFalse(Files.exists(data), "convert --to " + to + " must not create " + data.getFileName());
            assertEquals(before, listing(bin), "convert --to " + to + " must leave no stray (temporary) files");
        }
        CliResult r = cli("inspect", bad.toString());
        assertEquals(GraphfuseCli.EXIT_BAD_INPUT, r.code(), () -> "inspect exit code; stderr:\n" + r.err());
        assertEquals(List.of(message), r.err().lines().toList(), "inspect: stderr is exactly the one error line");
    }

    private static Path committedModel() throws IOException {
        Path models = TestModels.modelsDir();
        Path preferred = models.resolve("qwen3_torchscript_op17_f32.onnx");
        if (Files.isRegularFile(preferred)) {
            return preferred;
        }
        try (Stream<Path> s = Files.list(models)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".onnx")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no .onnx model in " + models));
        }
    }

    // ------------------------------------------------------------------ positive controls

    @Test
    void smallValidModelImportsAndVerifies() throws IOException {
        Path good = write("good.onnx", model(validGraph()));
        Model m = OnnxImporter.read(good);
        assertEquals(List.of(), GraphVerifier.problems(m));
        assertEquals(2, m.graph().nodeCount());
        assertEquals(10, m.irVersion());
        assertNotNull(m.graph().value("w").initializer());

        // and the CLI converts it, writing exactly the output file (and no data file: nothing is external)
        Set<String> before = listing(dir);
        Path out = dir.resolve("good.out.onnx");
        CliResult r = cli("convert", good.toString(), "--to", "onnx", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        Set<String> expected = new TreeSet<>(before);
        expected.add("good.out.onnx");
        assertEquals(expected, listing(dir));
        assertEquals(List.of(), GraphVerifier.problems(OnnxImporter.read(out)));
    }

    @ParameterizedTest(name = "ir_version {0}")
    @ValueSource(longs = {7, 8, 9, 10, 11, 12, 13})
    void acceptsSupportedIrVersions(long ir) throws IOException {
        Path good = write("ir" + ir + ".onnx", model(validGraph()).setIrVersion(ir));
        Model m = OnnxImporter.read(good);
        assertEquals(ir, m.irVersion());
        assertEquals(List.of(), GraphVerifier.problems(m));
    }

    // ------------------------------------------------------------------ 1, 2: not a protobuf

    @Test
    void truncatedProtobuf() throws IOException {
        byte[] bytes = Files.readAllBytes(committedModel());
        Path bad = write("truncated.onnx", Arrays.copyOf(bytes, bytes.length / 2));
        assertRejectedWithDetailPrefix(bad, null, "not a valid ONNX protobuf (truncated or corrupt): "
                + "While parsing a protocol message, the input ended unexpectedly in the middle of a field.");
    }

    @Test
    void corruptProtobufMalformedVarint() throws IOException {
        byte[] ff = new byte[256];
        Arrays.fill(ff, (byte) 0xff);
        assertRejected(write("ff.onnx", ff), null,
                "not a valid ONNX protobuf (truncated or corrupt): CodedInputStream encountered a malformed varint.");
    }

    @Test
    void corruptProtobufInvalidWireType() throws IOException {
        // tag 0x0f: field 1 with wire type 7, which does not exist
        assertRejected(write("wiretype.onnx", new byte[] {0x0f, 0x01, 0x02, 0x03}), null,
                "not a valid ONNX protobuf (truncated or corrupt): Protocol message tag had invalid wire type.");
    }

    @Test
    void emptyFileIsNotAModel() throws IOException {
        assertRejected(write("empty.onnx", new byte[0]), "model", "ir_version is missing (is this an ONNX model?)");
    }

    // ------------------------------------------------------------------ 3: dangling input

    @Test
    void nodeInputNamingNoValue() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setNode(1, node("relu", "Relu", List.of("nope"), List.of("y")));
        assertRejected(write("dangling.onnx", model(g)), "graph.node[1] 'relu' (Relu)", "input 0 'nope' names no value");
    }

    @Test
    void nodeInputNamingNoValueInsideSubgraph() throws IOException {
        GraphProto body = GraphProto.newBuilder().setName("then")
                .addNode(node("inner", "Identity", List.of("ghost"), List.of("z")))
                .addOutput(ValueInfoProto.newBuilder().setName("z")).build();
        NodeProto ifNode = NodeProto.newBuilder().setName("if").setOpType("If").addInput("c").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(body))
                .build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(tensorInfo("c", 9))
                .addOutput(tensorInfo("y", 1, 2)).addNode(ifNode);
        assertRejected(write("dangling_sub.onnx", model(g)),
                "graph.node[0] 'if' (If) attribute 'then_branch'.node[0] 'inner' (Identity)",
                "input 0 'ghost' names no value");
    }

    // ------------------------------------------------------------------ 4: cycles

    @Test
    void twoNodeCycle() throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(tensorInfo("x", 1, 2))
                .addOutput(tensorInfo("b", 1, 2))
                .addNode(node("n0", "Add", List.of("x", "b"), List.of("a")))
                .addNode(node("n1", "Relu", List.of("a"), List.of("b")));
        assertRejected(write("cycle.onnx", model(g)), "graph",
                "the graph has a cycle through node 'n0' (Add) and 1 other node(s)");
    }

    @Test
    void nodeReadingItsOwnOutput() throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(tensorInfo("x", 1, 2))
                .addOutput(tensorInfo("y", 1, 2))
                .addNode(node("self", "Add", List.of("x", "y"), List.of("y")));
        assertRejected(write("selfloop.onnx", model(g)), "graph", "the graph has a cycle through node 'self' (Add)");
    }

    @Test
    void subgraphCapturingItsOwnNodesOutput() throws IOException {
        GraphProto body = GraphProto.newBuilder().setName("then")
                .addNode(node("inner", "Identity", List.of("y"), List.of("z")))
                .addOutput(ValueInfoProto.newBuilder().setName("z")).build();
        NodeProto ifNode = NodeProto.newBuilder().setName("if").setOpType("If").addInput("c").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("then_branch")
                        .setType(AttributeProto.AttributeType.GRAPH).setG(body))
                .build();
        GraphProto.Builder g = GraphProto.newBuilder().setName("g").addInput(tensorInfo("c", 9))
                .addOutput(tensorInfo("y", 1, 2)).addNode(ifNode);
        assertRejected(write("capture_cycle.onnx", model(g)), "graph", "the graph has a cycle through node 'if' (If)");
    }

    // ------------------------------------------------------------------ 5: duplicate definitions

    @Test
    void twoNodesProducingTheSameOutput() throws IOException {
        GraphProto.Builder g = validGraph().addNode(node("neg", "Neg", List.of("x"), List.of("t")));
        assertRejected(write("dup_output.onnx", model(g)), "graph.node[2] 'neg' (Neg)",
                "output 't' is already produced by node 'add' (Add)");
    }

    @Test
    void nodeOutputClashingWithGraphInput() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setNode(0, node("add", "Add", List.of("x", "w"), List.of("x")));
        assertRejected(write("output_is_input.onnx", model(g)), "graph.node[0] 'add' (Add)",
                "output 'x' is already a graph input");
    }

    @Test
    void nodeOutputClashingWithInitializer() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setNode(0, node("add", "Add", List.of("x", "x"), List.of("w")));
        assertRejected(write("output_is_init.onnx", model(g)), "graph.node[0] 'add' (Add)",
                "output 'w' is already an initializer");
    }

    @Test
    void nodeListingTheSameOutputTwice() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setNode(1, node("split", "Split", List.of("t"), List.of("y", "y")));
        assertRejected(write("output_twice.onnx", model(g)), "graph.node[1] 'split' (Split)", "output 'y' is listed twice");
    }

    @Test
    void duplicateInitializer() throws IOException {
        GraphProto.Builder g = validGraph().addInitializer(floatTensor("w", 2).setRawData(ByteString.copyFrom(floats(3f, 4f))));
        assertRejected(write("dup_init.onnx", model(g)), "graph.initializer[1] 'w'", "initializer 'w' is defined more than once");
    }

    @Test
    void duplicateGraphInput() throws IOException {
        GraphProto.Builder g = validGraph().addInput(tensorInfo("x", 1, 2));
        assertRejected(write("dup_input.onnx", model(g)), "graph.input[1] 'x'", "graph input 'x' is defined more than once");
    }

    // ------------------------------------------------------------------ 6: unknown element types

    @Test
    void initializerWithUnknownDataType() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, g.getInitializer(0).toBuilder().setDataType(99));
        assertRejected(write("dtype99.onnx", model(g)), "graph.initializer[0] 'w'", "unknown element type 99");
    }

    @Test
    void graphInputWithUnknownElemType() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInput(0, tensorInfo("x", 99, 2));
        assertRejected(write("elem99.onnx", model(g)), "graph.input[0] 'x'", "unknown element type 99");
    }

    @Test
    void valueInfoWithUnknownElemType() throws IOException {
        GraphProto.Builder g = validGraph().addValueInfo(tensorInfo("t", 99, 2));
        assertRejected(write("vi99.onnx", model(g)), "graph.value_info 't'", "unknown element type 99");
    }

    // ------------------------------------------------------------------ 7, 8: external data

    private static TensorProto.Builder external(String name, String location, long offset, long... dims) {
        TensorProto.Builder t = floatTensor(name, dims).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        if (offset != 0) {
            t.addExternalData(entry("offset", Long.toString(offset)));
        }
        return t;
    }

    @Test
    void missingExternalDataFile() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, external("w", "nope.data", 0, 2));
        Path bad = write("missing_data.onnx", model(g));
        assertRejected(bad, "graph.initializer[0] 'w'",
                "external data file 'nope.data' is missing (looked in " + bad.toAbsolutePath().getParent() + ")");
    }

    @Test
    void externalDataFileShorterThanOffsetPlusLength() throws IOException {
        Files.write(dir.resolve("short.data"), floats(1f, 2f, 3f));
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, external("w", "short.data", 8, 2));
        assertRejected(write("short_data.onnx", model(g)), "graph.initializer[0] 'w'",
                "external data file 'short.data' has 12 bytes, shorter than offset 8 + length 8");
    }

    @Test
    void externalDataFileShorterThanLength() throws IOException {
        Files.write(dir.resolve("tiny.data"), new byte[5]);
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, external("w", "tiny.data", 0, 2));
        assertRejected(write("tiny_data.onnx", model(g)), "graph.initializer[0] 'w'",
                "external data file 'tiny.data' has 5 bytes, shorter than offset 0 + length 8");
    }

    @Test
    void externalDataLocationOutsideTheModelDirectory() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, external("w", "../escape.data", 0, 2));
        assertRejected(write("escape.onnx", model(g)), "graph.initializer[0] 'w'",
                "external data location '../escape.data' must be a relative path inside the model's directory");
    }

    @Test
    void externalDataLengthNotMatchingDims() throws IOException {
        Files.write(dir.resolve("w.data"), new byte[64]);
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, external("w", "w.data", 0, 2).addExternalData(entry("length", "12")));
        assertRejected(write("ext_length.onnx", model(g)), "graph.initializer[0] 'w'",
                "external data length 12 does not match 8 bytes for 2 f32 elements");
    }

    // ------------------------------------------------------------------ 9: ir_version

    @ParameterizedTest(name = "ir_version {0}")
    @ValueSource(longs = {2, 99})
    void unsupportedIrVersion(long ir) throws IOException {
        assertRejected(write("ir" + ir + ".onnx", model(validGraph()).setIrVersion(ir)), "model.ir_version",
                "unsupported ir_version " + ir + " (supported: 3–13)");
    }

    @Test
    void missingIrVersion() throws IOException {
        assertRejected(write("no_ir.onnx", model(validGraph()).clearIrVersion()), "model",
                "ir_version is missing (is this an ONNX model?)");
    }

    @Test
    void missingGraph() throws IOException {
        assertRejected(write("no_graph.onnx", model(validGraph()).clearGraph()), "model.graph", "the model has no graph");
    }

    // ------------------------------------------------------------------ 10: outputs and raw data

    @Test
    void graphOutputNamingNoValue() throws IOException {
        GraphProto.Builder g = validGraph().addOutput(tensorInfo("nope", 1, 2));
        assertRejected(write("bad_output.onnx", model(g)), "graph.output[1] 'nope'", "graph output 'nope' names no value");
    }

    @Test
    void rawDataLengthNotMatchingDims() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, floatTensor("w", 2).setRawData(ByteString.copyFrom(new byte[7])));
        assertRejected(write("raw7.onnx", model(g)), "graph.initializer[0] 'w'",
                "raw_data has 7 bytes, expected 8 for 2 f32 elements");
    }

    @Test
    void typedDataCountNotMatchingDims() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, floatTensor("w", 2).addFloatData(1f).addFloatData(2f).addFloatData(3f));
        assertRejected(write("float3.onnx", model(g)), "graph.initializer[0] 'w'", "float_data has 3 values, expected 2");
    }

    @Test
    void negativeTensorDimension() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, floatTensor("w", -2).setRawData(ByteString.EMPTY));
        assertRejected(write("negdim.onnx", model(g)), "graph.initializer[0] 'w'", "negative dimension -2");
    }

    @Test
    void elementCountOverflow() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setInitializer(0, floatTensor("w", 1L << 32, 1L << 32).setRawData(ByteString.EMPTY));
        assertRejected(write("overflow.onnx", model(g)), "graph.initializer[0] 'w'", "element count overflows");
    }

    @Test
    void nodeWithoutOpType() throws IOException {
        GraphProto.Builder g = validGraph();
        g.setNode(1, node("relu", "", List.of("t"), List.of("y")));
        assertRejected(write("no_op.onnx", model(g)), "graph.node[1] 'relu' ()", "node has no op_type");
    }

    // ------------------------------------------------------------------ found while reading and fuzzing the importer

    /**
     * Inputs found by reading the importer and by {@link ImporterFuzzTest} that escaped as other
     * exceptions, were accepted, or gave multi-line messages. Each comment names the cause.
     */
    @Nested
    class FoundByReadingAndFuzzing {
        @Test
        void functionWithEmptyInputName() throws IOException {
            // Graph.define threw IllegalArgumentException("a value needs a non-empty name"), which
            // defineOrFail did not catch; worded like "graph input has no name" / "initializer has no name"
            FunctionProto f = FunctionProto.newBuilder().setName("F").setDomain("local").addInput("").addOutput("o")
                    .addNode(node("c", "Constant", List.of(), List.of("o"))).build();
            Path bad = write("fn_empty_input.onnx", model(validGraph()).addFunctions(f));
            assertRejected(bad, "model.functions[0] 'F'", "function input has no name");
        }

        @Test
        void storageSizeOverflowWithTypedData() throws IOException {
            // 2^59-1 f32 elements: the count fits a long, but count * 32 bits wraps to -32, so
            // storageBytes() is -3 and ByteBuffer.allocate(-3) threw IllegalArgumentException
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, floatTensor("w", (1L << 59) - 1));
            assertRejected(write("storage_neg.onnx", model(g)), "graph.initializer[0] 'w'", "element count overflows");
        }

        @Test
        void storageSizeOverflowWithEmptyRawData() throws IOException {
            // 2^59 f32 elements need 2^61 bytes, but storageBytes() wraps to 0, so 0 bytes of
            // raw_data were accepted as a complete 2^59-element tensor
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, floatTensor("w", 1L << 59).setRawData(ByteString.EMPTY));
            assertRejected(write("storage_zero.onnx", model(g)), "graph.initializer[0] 'w'", "element count overflows");
        }

        @Test
        void hugeDimsWithoutDataDoNotAllocate() throws IOException {
            // a 60-byte file declaring f32[536870911] with no data: the importer allocated the
            // ~2 GiB buffer before checking that float_data has 0 of 536870911 values (OutOfMemoryError)
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, floatTensor("w", 536_870_911L));
            assertRejected(write("huge_alloc.onnx", model(g)), "graph.initializer[0] 'w'",
                    "float_data has 0 values, expected 536870911");
        }

        @Test
        void externalOffsetOverflow() throws IOException {
            // offset + length overflows to a negative number, so 'size < offset + length' passed; the
            // reference was accepted and failed later (convert --to onnx: UncheckedIOException, exit 1)
            Files.write(dir.resolve("w.data"), new byte[64]);
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, external("w", "w.data", Long.MAX_VALUE, 2));
            assertRejected(write("ext_offset.onnx", model(g)), "graph.initializer[0] 'w'",
                    "external data file 'w.data' has 64 bytes, shorter than offset 9223372036854775807 + length 8");
        }

        @Test
        void namesWithLineBreaksStayOnOneLine() throws IOException {
            // names are quoted verbatim into the message, so a name holding '\n' splits the
            // "one line" diagnostic (found by ImporterFuzzTest: a grafted field became an input name)
            GraphProto.Builder g = validGraph();
            g.setNode(1, node("re\nlu", "Relu", List.of("no\npe"), List.of("y")));
            Path bad = write("newline_name.onnx", model(g));
            BadInputException e = importFailure(bad);
            assertFalse(e.getMessage().contains("\n"), () -> "message is not one line:\n" + e.getMessage());
            assertCliRejects(bad, e.getMessage());
        }

        @Test
        void namesAreEscapedInLocationAndDetail() throws IOException {
            // as namesWithLineBreaksStayOnOneLine, pinned: control characters, quotes and backslashes
            // are escaped, so no two names read the same
            GraphProto.Builder g = validGraph();
            g.setNode(1, node("re\nlu", "Relu", List.of("it's\u0001\\"), List.of("y")));
            assertRejected(write("escaped_names.onnx", model(g)), "graph.node[1] 're\\nlu' (Relu)",
                    "input 0 'it\\'s\\x01\\\\' names no value");
        }

        @Test
        void externalLocationWithNul() throws IOException {
            // Path.of threw InvalidPathException (an IllegalArgumentException), which nothing caught
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, external("w", "w\u0000.data", 0, 2));
            assertRejected(write("ext_nul.onnx", model(g)), "graph.initializer[0] 'w'",
                    "external data location 'w\\x00.data' is not a valid path");
        }

        @Test
        void externalLocationNamingADirectory() throws IOException {
            // location "." resolves to the model's directory; Files.size of a directory succeeds
            // (4096 on most file systems), so the reference was accepted and failed when read
            GraphProto.Builder g = validGraph();
            g.setInitializer(0, external("w", ".", 0, 2));
            assertRejected(write("ext_dir.onnx", model(g)), "graph.initializer[0] 'w'",
                    "external data location '.' is not a regular file");
        }
    }
}
