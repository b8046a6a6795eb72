package dev.graphfuse.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.graphfuse.ir.GraphVerifier;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.MatchFailure;
import dev.graphfuse.match.MatchResult;
import dev.graphfuse.match.Matcher;
import dev.graphfuse.match.PredicateRegistry;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import dev.graphfuse.rewrite.PatternPass;
import dev.graphfuse.text.GraphTextReader;
import dev.graphfuse.text.GraphTextWriter;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the DSL behaviour tests: graphs from text, patterns from source, one pass run. */
final class DslFixture {
    private DslFixture() {
    }

    /** A model from the body of a text-format graph, with an opset 18 header. */
    static Model graph(String graph) {
        return GraphTextReader.parse("model {\n  ir_version: 10\n  opset \"\": 18\n}\n" + graph, "test.gft", null);
    }

    static PatternLibrary load(String fuse) {
        return load(PredicateRegistry.withBuiltins(), fuse);
    }

    static PatternLibrary load(PredicateRegistry predicates, String fuse) {
        return new PatternLoader(predicates).source("test.fuse", fuse).load();
    }

    /** What one run of a pass made of every pattern in {@code lib} did to {@code model}. */
    record Run(Model model, PassContext context) {
        RuleStats stats(String pattern) {
            for (RuleStats s : context.allStats()) {
                if (s.rule().equals(pattern)) {
                    return s;
                }
            }
            throw new AssertionError("no statistics for " + pattern + " in " + context.allStats());
        }

        long count(String opType) {
            return DslFixture.count(model, opType);
        }

        /** The single node of {@code opType}. */
        Node only(String opType) {
            List<Node> ns = model.graph().nodes().stream().filter(n -> n.opType().equals(opType)).toList();
            assertEquals(1, ns.size(), () -> "nodes of " + opType + " in\n" + text());
            return ns.get(0);
        }

        String text() {
            return GraphTextWriter.print(model);
        }
    }

    static Run run(PatternLibrary lib, Model model) {
        PassContext ctx = PassContext.quiet();
        new PatternPass("test", lib.patterns()).run(model, ctx);
        GraphVerifier.verify(model);
        return new Run(model, ctx);
    }

    static Run run(String fuse, String graph) {
        return run(load(fuse), graph(graph));
    }

    static long count(Model m, String opType) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(opType)).count();
    }

    /** The node producing {@code value}. */
    static Node producer(Model m, String value) {
        Value v = m.graph().value(value);
        assertNotNull(v, value);
        assertNotNull(v.producer(), value + " has no producer");
        return v.producer();
    }

    /** Matches {@code pattern} at the producer of {@code value}, without the rewriter's checks. */
    static MatchResult<Void> matchAt(PatternLibrary lib, String pattern, Model m, String value) {
        return new Matcher<Void>(lib.pattern(pattern), null).matchAt(producer(m, value));
    }

    static Match<?> match(PatternLibrary lib, String pattern, Model m, String value) {
        MatchResult<Void> r = matchAt(lib, pattern, m, value);
        if (r instanceof MatchFailure<Void> f) {
            throw new AssertionError(pattern + " did not match at " + value + ": " + f.label() + ": " + f.reason());
        }
        return assertInstanceOf(Match.class, r);
    }

    static MatchFailure<?> failure(PatternLibrary lib, String pattern, Model m, String value) {
        MatchResult<Void> r = matchAt(lib, pattern, m, value);
        if (r instanceof Match<Void> match) {
            throw new AssertionError(pattern + " unexpectedly matched at " + value + ": " + match.nodes());
        }
        return assertInstanceOf(MatchFailure.class, r);
    }

    static Map<String, Long> rejected(Run r, String pattern) {
        return r.stats(pattern).rejected();
    }
}
