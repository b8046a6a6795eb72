package dev.graphfuse.cli;

import dev.graphfuse.io.ModelFiles;
import dev.graphfuse.ir.Model;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.PassManager;
import dev.graphfuse.pipeline.PassRegistry;
import dev.graphfuse.rewrite.Explainer;
import dev.graphfuse.rewrite.PatternPass;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graphfuse explain IN --pattern NAME}: why each candidate did or did not match. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "For every candidate anchor of a pattern, print the match or how far it got and the first "
                + "reason it failed. The passes before the pattern's own stage run first (override with --passes).")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "an .onnx model or a graphfuse text file")
    Path input;

    @Option(names = "--pattern", required = true, paramLabel = "NAME", description = "the pattern to explain; PASS/NAME "
            + "for the one in that pass (a pattern of your own --patterns named like a built-in one: patterns/NAME)")
    String patternName;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PassRegistry registry = pipeline.registry();
        // PASS/NAME picks a pattern in one pass (a user's pass may reuse a built-in pattern's name)
        int slash = patternName.indexOf('/');
        String owner = slash < 0 ? registry.passOf(patternName) : patternName.substring(0, slash);
        String name = slash < 0 ? patternName : patternName.substring(slash + 1);
        CompiledPattern pattern = slash < 0 ? registry.library().pattern(name)
                : registry.passNames().contains(owner) && registry.pass(owner) instanceof PatternPass pp
                        ? pp.patterns().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null) : null;
        if (pattern == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown pattern '" + patternName
                    + "' (known: " + String.join(", ", registry.library().patterns().stream()
                    .map(CompiledPattern::name).toList()) + ")");
        }
        List<String> before = new ArrayList<>();
        if (pipeline.passes != null) {
            before.addAll(pipeline.passes);
        } else {
            for (String p : pipeline.pipelineNames()) {
                if (p.equals(owner)) {
                    break;
                }
                before.add(p);
            }
        }
        Model m = ModelFiles.read(input);
        new PassManager().run(m, pipeline.pipeline(registry, before, spec.commandLine()), new PassContext(s -> { }, false));
        if (pipeline.passes == null && owner != null && registry.pass(owner) instanceof PatternPass stage
                && stage.patterns().size() > 1) {
            // The pattern's siblings run first, as they do in the pipeline: a QkNormRope explained
            // before QkNormHeads made its QkNorm would only ever report "expected graphfuse.QkNorm".
            List<CompiledPattern> siblings = stage.patterns().stream().filter(p -> p != pattern).toList();
            new PassManager().run(m, new dev.graphfuse.pass.Pipeline("siblings", List.of(
                    new PatternPass(stage.name(), siblings))), new PassContext(s -> { }, false));
            before.add(stage.name() + " without " + name);
        }
        List<Explainer.Outcome> outcomes = Explainer.explain(m, pattern);
        long matched = outcomes.stream().filter(Explainer.Outcome::matched).count();
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Explainer.Outcome o : outcomes) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("anchor", o.anchor().name());
                e.put("matched", o.matched());
                if (o.matched()) {
                    e.put("nodes", o.matchedNodes());
                } else {
                    e.put("kind", o.label());
                    e.put("progress", o.progress());
                    e.put("all_ops_matched", o.complete());
                    e.put("reason", o.reason());
                }
                list.add(e);
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("pattern", patternName);
            r.put("defined_at", pattern.location().toString());
            r.put("ran_before", before);
            r.put("candidates", outcomes.size());
            r.put("matched", matched);
            r.put("outcomes", list);
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
            return 0;
        }
        out.printf("pattern %s (%s), after %s: %d candidate%s, %d matched%n", patternName, pattern.location(),
                before.isEmpty() ? "no passes" : String.join(",", before), outcomes.size(),
                outcomes.size() == 1 ? "" : "s", matched);
        if (outcomes.isEmpty()) {
            out.println("  no node has the op kind of the pattern's root ("
                    + String.join(" or ", CompiledPattern.rootOps(pattern.roots().get(0)).stream()
                    .map(s -> s.qualifiedName()).toList()) + ")");
        }
        for (Explainer.Outcome o : outcomes) {
            if (o.matched()) {
                out.printf("  %s: matched %d nodes (%s)%n", o.anchor().name(), o.matchedNodes().size(),
                        String.join(", ", o.matchedNodes()));
            } else if (o.complete()) {
                out.printf("  %s: all %d ops matched, rejected: %s%n", o.anchor().name(), o.progress(), o.reason());
            } else {
                out.printf("  %s: no match after %d op%s: %s%n", o.anchor().name(), o.progress(),
                        o.progress() == 1 ? "" : "s", o.reason());
            }
        }
        return 0;
    }
}
