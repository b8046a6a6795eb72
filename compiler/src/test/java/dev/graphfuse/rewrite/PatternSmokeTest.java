package dev.graphfuse.rewrite;

import dev.graphfuse.dsl.PatternLibrary;
import dev.graphfuse.dsl.PatternLoader;
import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.onnx.OnnxImporter;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.testing.TestModels;
import org.junit.jupiter.api.Test;

class PatternSmokeTest {
    @Test
    void smoke() {
        PatternLibrary lib = new PatternLoader(PredicateRegistry.withBuiltins())
                .resource("dev/graphfuse/patterns/raise/rms_norm.fuse").load();
        for (var e : TestModels.all()) {
            Model m = OnnxImporter.read(e.file());
            PassContext ctx = PassContext.quiet();
            new PatternPass("raise", lib.patternsOf("dev/graphfuse/patterns/raise/rms_norm.fuse")).run(m, ctx);
            GraphVerifier.verify(m);
            long n = m.graph().nodes().stream().filter(x -> x.opType().equals("RmsNorm")).count();
            System.out.println(e.name() + ": " + n + " " + ctx.allStats() + " functions=" + m.functions().size());
        }
    }
}
