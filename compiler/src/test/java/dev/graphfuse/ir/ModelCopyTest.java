package dev.graphfuse.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link Model#copy}: the same model, whose changes do not reach the original. */
class ModelCopyTest {
    /** Subgraphs reading outer values, an initializer that is also an input, docs and metadata, a function. */
    private static final String MODEL = """
            model {
              ir_version: 10
              producer_name: "ModelCopyTest"
              opset "": 18
              opset "local": 1
              metadata "k": "v"
            }
            graph main (x: f32[2], c: bool[], w: f32[2]) -> (y: f32[2], z) {
              init w: f32[2] = [1.0, 2.0]
              [if] t = If(c) {then_branch: graph = graph then () -> (x) {
              }, else_branch: graph = graph else () -> (n: f32[2]) {
                [inner] n = Neg(w) doc "negated" metadata {"m": "1"}
              }}
              [add] y: f32[2] = Add(t, x)
              [scale] z = local::Scale(y) {alpha: float = 0.5}
              value t doc "the branch"
            }
            function local::Scale (a) -> (b) attributes [alpha] opset "": 18 {
              s = Constant() {value_float: float = @alpha}
              b = Mul(a, s)
            }
            """;

    private static Model parse() {
        return GraphTextReader.parse(MODEL, "copy.gft", null);
    }

    @Test
    void theCopyPrintsAndExportsAsTheOriginal() {
        Model m = parse();
        Model copy = m.copy();
        assertEquals(GraphTextWriter.print(m), GraphTextWriter.print(copy));
        assertArrayEquals(OnnxExporter.toBytes(m), OnnxExporter.toBytes(copy));
        assertEquals(List.of(), GraphVerifier.problems(copy.graph()));
        assertEquals(List.of("w"), copy.graph().inputs().stream().filter(Value::isInitializer).map(Value::name).toList());
    }

    @Test
    void everyPartIsNewAndSubgraphsResolveInTheCopy() {
        Model m = parse();
        Model copy = m.copy();
        assertNotSame(m.graph(), copy.graph());
        Node ifCopy = copy.graph().value("t").producer();
        assertNotSame(m.graph().value("t").producer(), ifCopy);
        Graph elseCopy = ((Attribute.GraphAttr) ifCopy.attribute("else_branch")).value();
        assertNotSame(((Attribute.GraphAttr) m.graph().value("t").producer().attribute("else_branch")).value(), elseCopy);
        assertSame(copy.graph(), elseCopy.parent(), "captured values resolve in the copy, not in the original");
        assertSame(copy.graph().value("w"), elseCopy.resolve("w"));
        assertTrue(copy.graph().value("w").isReadBySubgraph());
        assertNotSame(m.functions().get(0).body(), copy.functions().get(0).body());
        // tensors are immutable: shared, not copied
        assertSame(m.graph().value("w").initializer(), copy.graph().value("w").initializer());
    }

    @Test
    void changingTheCopyLeavesTheOriginal() {
        Model m = parse();
        String before = GraphTextWriter.print(m);
        Model copy = m.copy();
        copy.graph().value("y").setType(ValueType.tensor(ElementType.FLOAT16, Shape.of(2)));
        copy.graph().value("w").replaceInitializer(Tensor.ofFloats(new long[] {2}, new float[] {3, 4}));
        copy.graph().value("z").producer().setAttribute("alpha", new Attribute.FloatAttr(2));
        Graph elseCopy = ((Attribute.GraphAttr) copy.graph().value("t").producer().attribute("else_branch")).value();
        elseCopy.value("n").producer().setDocString("changed");
        copy.functions().get(0).body().rename(copy.functions().get(0).body().value("s"), "s2");
        copy.graph().value("t").metadata().put("added", "1");
        copy.metadata().put("k", "changed");
        assertEquals(before, GraphTextWriter.print(m));
    }

    @Test
    void everyCommittedModelCopiesToTheSameBytes() throws IOException {
        List<Path> models;
        try (Stream<Path> files = Files.list(TestModels.modelsDir())) {
            models = files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList();
        }
        assertTrue(models.size() > 10, "testdata/models holds the committed exports");
        for (Path p : models) {
            Model m = OnnxImporter.read(p);
            assertArrayEquals(OnnxExporter.toBytes(m), OnnxExporter.toBytes(m.copy()), p.getFileName().toString());
        }
    }
}
