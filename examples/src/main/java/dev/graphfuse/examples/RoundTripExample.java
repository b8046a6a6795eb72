package dev.graphfuse.examples;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.io.ModelFormat;
import dev.graphfuse.io.ModelSummary;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import java.nio.file.Path;
import java.util.List;

/**
 * The Java API in a few lines: read an ONNX export, look at it, walk it in topological order, and
 * write it back as text and as ONNX.
 *
 * <pre>java -cp … dev.graphfuse.examples.RoundTripExample testdata/models/qwen3_dynamo_op18_f32.onnx /tmp/out</pre>
 */
public final class RoundTripExample {
    private RoundTripExample() {
    }

    /** Returns the names of the RMSNorm-looking Reciprocal nodes, to show graph walking. */
    public static List<String> run(Path model, Path outDir) {
        Model m = ModelFiles.read(model);
        GraphVerifier.verify(m);
        ModelSummary s = ModelSummary.of(model.toString(), m);
        System.out.printf("%s: %d nodes, %d op types, %d initializer bytes%n", model.getFileName(), s.nodeCount(),
                s.opHistogram().size(), s.initializerBytes());
        List<String> reciprocals = GraphViews.topologicalOrder(m.graph()).stream()
                .filter(n -> n.is("Reciprocal") && n.input(0).producer() != null && n.input(0).producer().is("Sqrt"))
                .map(Node::name)
                .toList();
        ModelFiles.write(m, outDir.resolve("model.gft"), ModelFormat.TEXT);
        ModelFiles.write(m, outDir.resolve("model.onnx"), ModelFormat.ONNX);
        return reciprocals;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: RoundTripExample MODEL OUT_DIR");
            System.exit(2);
        }
        List<String> r = run(Path.of(args[0]), Path.of(args[1]));
        System.out.println("rsqrt nodes (Sqrt → Reciprocal): " + r.size());
    }
}
