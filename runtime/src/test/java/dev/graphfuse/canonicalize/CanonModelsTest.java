package dev.graphfuse.canonicalize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.graphfuse.io.Npy;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.onnx.OnnxExporter;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pass.Pipeline;
import dev.graphfuse.testing.Ort;
import dev.graphfuse.testing.TestModels;
import dev.graphfuse.text.GraphTextWriter;
import dev.graphfuse.text.TextWriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every canonicalize pass, alone and as the whole pipeline, on every committed export: the graph
 * verifies, inputs and outputs keep their names and order, the node count does not grow, and stock
 * ONNX Runtime computes the same outputs as for the original file.
 */
class CanonModelsTest {
    /** ORT outputs of the original files, computed once per model. */
    private static final Map<String, Map<String, Tensor>> ORIGINAL = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> foldConstantsKeepsOutputs() {
        return perModel(Pipeline.of("fold", Canonicalize.FOLD_CONSTANTS));
    }

    @TestFactory
    Stream<DynamicTest> reshapeKeepsOutputs() {
        return perModel(Pipeline.of("reshape", Canonicalize.RESHAPE));
    }

    @TestFactory
    Stream<DynamicTest> cseKeepsOutputs() {
        return perModel(Pipeline.of("cse", Canonicalize.CSE));
    }

    @TestFactory
    Stream<DynamicTest> dceKeepsOutputs() {
        return perModel(Pipeline.of("dce", Canonicalize.DCE));
    }

    @TestFactory
    Stream<DynamicTest> pipelineKeepsOutputs() {
        return perModel(Canonicalize.pipeline());
    }

    private Stream<DynamicTest> perModel(Pipeline pipeline) {
        return TestModels.all().stream().map(m -> DynamicTest.dynamicTest(m.name(), () -> check(m, pipeline)));
    }

    private void check(TestModels.Entry m, Pipeline pipeline) throws Exception {
        Model model = OnnxImporter.read(m.file());
        List<String> inputs = names(model.graph().inputs());
        List<String> outputs = names(model.graph().outputs());
        int before = model.graph().nodeCount();
        new PassManager().run(model, pipeline, PassContext.quiet());   // verifies after each pass
        assertEquals(inputs, names(model.graph().inputs()), "graph inputs changed");
        assertEquals(outputs, names(model.graph().outputs()), "graph outputs changed");
        assertTrue(model.graph().nodeCount() <= before, "node count grew: " + before + " → " + model.graph().nodeCount());

        Path out = Files.createDirectories(tmp.resolve(pipeline.name() + "-" + m.name())).resolve(m.file().getFileName());
        OnnxExporter.write(model, out);
        Map<String, Tensor> feed = referenceInputs(m);
        Map<String, Tensor> expected = ORIGINAL.computeIfAbsent(m.name(), k -> {
            try {
                return Ort.run(m.file(), feed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Map<String, Tensor> got = Ort.run(out, feed);
        assertEquals(expected.keySet(), got.keySet());
        for (String name : expected.keySet()) {
            Tensor e = expected.get(name);
            Tensor g = got.get(name);
            assertArrayEquals(e.dims(), g.dims(), "shape of " + name);
            double tol = e.elementType() == ElementType.FLOAT16 ? 1e-3 : 1e-6;
            double diff = maxAbsDiff(e, g);
            assertTrue(diff <= tol, name + ": max abs diff " + diff + " > " + tol);
            if (pipeline.name().equals("canonicalize")) {
                System.out.printf("%-34s %s: max abs diff vs original %.3g%n", m.name(), name, diff);
            }
        }
        // and still agrees with the generator's reference, as ModelRoundTripTest checks the original
        m.referenceOutputs().forEach((name, file) -> {
            Tensor ref = Npy.read(file, name);
            double tol = ref.elementType() == ElementType.FLOAT16 ? 2e-2 : 1e-4;
            double worst = 0;
            Tensor g = got.get(name);
            for (long i = 0; i < ref.elementCount(); i++) {
                double r = ref.getDouble(i);
                worst = Math.max(worst, Math.abs(r - g.getDouble(i)) / (1 + Math.abs(r)));
            }
            assertTrue(worst <= tol, name + " vs reference: max scaled error " + worst);
        });
    }

    /** Node counts before and after the pipeline, per model and per op type; printed for the record. */
    @Test
    void nodeCountsBeforeAndAfter() throws Exception {
        StringBuilder report = new StringBuilder();
        for (TestModels.Entry m : TestModels.all()) {
            Model model = OnnxImporter.read(m.file());
            Map<String, Integer> opsBefore = histogram(model.graph());
            int before = model.graph().nodeCount();
            int initsBefore = model.graph().initializers().size();
            PassContext ctx = PassContext.quiet();
            new PassManager().run(model, Canonicalize.pipeline(), ctx);
            Map<String, Integer> opsAfter = histogram(model.graph());
            report.append(String.format("%-34s nodes %5d → %5d   initializers %4d → %4d%n", m.name(), before,
                    model.graph().nodeCount(), initsBefore, model.graph().initializers().size()));
            report.append("    ops changed: ").append(diff(opsBefore, opsAfter)).append('\n');
            ctx.allStats().stream().filter(s -> s.rewritten() > 0 || !s.rejected().isEmpty())
                    .forEach(s -> report.append("    ").append(s).append('\n'));
        }
        System.out.print(report);
        Path file = TestModels.repoRoot().resolve("compiler/target/canonicalize-node-counts.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
    }

    /**
     * qwen3_torchscript_op17_f32 has static inputs ([1, 16]) and was exported with constant folding,
     * so its slice bounds are already Constant nodes; the shape computations TorchScript left
     * (Shape of the cast attention mask, Shape of the causal-mask index) read static shapes and fold
     * away completely, as do the Shape → Gather → Add → Div → Mul slice bounds of the vLLM-style
     * TorchScript export. No Constant node survives: each became an initializer.
     */
    @Test
    void torchscriptShapeChainsFoldWhenInputsAreStatic() {
        for (String name : List.of("qwen3_torchscript_op17_f32", "vllm_attn_torchscript_op17_f32")) {
            Model model = OnnxImporter.read(TestModels.modelsDir().resolve(name + ".onnx"));
            for (Value in : model.graph().inputs()) {
                assertTrue(in.shape().isStatic(), name + ": input " + in + " is " + in.shape());
            }
            Map<String, Integer> before = histogram(model.graph());
            assertTrue(before.getOrDefault("Shape", 0) > 0, name + " has Shape nodes to fold");
            new PassManager().run(model, Canonicalize.pipeline(), PassContext.quiet());
            Map<String, Integer> after = histogram(model.graph());
            assertEquals(0, after.getOrDefault("Shape", 0), name + ": Shape nodes left: " + after);
            assertEquals(0, after.getOrDefault("Constant", 0), name + ": Constant nodes left");
            for (Node n : model.graph().nodes()) {
                if (n.is("Slice") || n.is("Reshape") || n.is("Expand")) {
                    for (int i = 1; i < n.inputCount(); i++) {
                        assertTrue(n.input(i) == null || n.input(i).initializer() != null,
                                name + ": " + n + " operand " + i + " is not constant");
                    }
                }
            }
        }
    }

    /**
     * With a symbolic sequence length, Shape nodes that read the dynamic dim must stay; a Shape that
     * reads only static dims (start/end) may fold.
     */
    @Test
    void dynamicDimsAreNotFolded() {
        for (String name : List.of("qwen3_dynamo_op18_f32_dynseq", "qwen3_dynamo_op23_f32_dynseq")) {
            Model model = OnnxImporter.read(TestModels.modelsDir().resolve(name + ".onnx"));
            List<String> dynamicShapes = new ArrayList<>();
            for (Node n : model.graph().nodes()) {
                if (n.is("Shape") && !n.input(0).shape().isStatic()) {
                    dynamicShapes.add(n.output().name());
                }
            }
            assertTrue(!dynamicShapes.isEmpty(), name + " reads a dynamic shape");
            new PassManager().run(model, Canonicalize.pipeline(), PassContext.quiet());
            for (String v : dynamicShapes) {
                Value value = model.graph().value(v);
                if (value != null) {
                    assertTrue(value.initializer() == null, name + ": " + v + " was folded");
                }
            }
            assertTrue(histogram(model.graph()).getOrDefault("Shape", 0) > 0, name + ": all Shape nodes gone");
        }
    }

    @Test
    void pipelineIsDeterministic() {
        TestModels.Entry m = TestModels.all().stream().filter(e -> e.name().equals("vllm_attn_torchscript_op17_f32"))
                .findFirst().orElseThrow();
        String first = canonicalized(m);
        assertEquals(first, canonicalized(m));
    }

    private static String canonicalized(TestModels.Entry m) {
        Model model = OnnxImporter.read(m.file());
        new PassManager().run(model, Canonicalize.pipeline(), PassContext.quiet());
        return GraphTextWriter.print(model, TextWriterOptions.CANONICAL);
    }

    static Map<String, Integer> histogram(Graph g) {
        Map<String, Integer> out = new TreeMap<>();
        for (Node n : g.nodes()) {
            out.merge(n.qualifiedOpType(), 1, Integer::sum);
        }
        return out;
    }

    private static String diff(Map<String, Integer> before, Map<String, Integer> after) {
        StringBuilder sb = new StringBuilder();
        TreeMap<String, Integer> all = new TreeMap<>(before);
        after.forEach(all::putIfAbsent);
        for (String op : all.keySet()) {
            int b = before.getOrDefault(op, 0);
            int a = after.getOrDefault(op, 0);
            if (a != b) {
                sb.append(op).append(' ').append(b).append("→").append(a).append(", ");
            }
        }
        return sb.isEmpty() ? "none" : sb.substring(0, sb.length() - 2);
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }

    private static Map<String, Tensor> referenceInputs(TestModels.Entry m) {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        m.referenceInputs().forEach((name, file) -> feed.put(name, Npy.read(file, name)));
        return feed;
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        double worst = 0;
        for (long i = 0; i < a.elementCount(); i++) {
            double x = a.getDouble(i);
            double y = b.getDouble(i);
            if (Double.isNaN(x) != Double.isNaN(y)) {
                return Double.POSITIVE_INFINITY;
            }
            if (!Double.isNaN(x)) {
                worst = Math.max(worst, Math.abs(x - y));
            }
        }
        return worst;
    }
}
