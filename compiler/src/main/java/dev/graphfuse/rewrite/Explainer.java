package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.FailureKind;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.MatchFailure;
import dev.graphfuse.match.Matcher;
import dev.graphfuse.match.OpSignature;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code graphfuse explain}: tries one pattern at every candidate anchor without rewriting, and
 * reports, per anchor, either the match or how far it got and the first reason it failed there.
 */
public final class Explainer {
    private Explainer() {
    }

    /**
     * One anchor's outcome.
     *
     * @param kind     why it did not match; null when it did
     * @param label    {@code kind}'s statistics label ({@code predicate:InRange}); "matched" when it matched
     * @param progress pattern ops matched before the failure (the deepest attempt is reported)
     */
    public record Outcome(Node anchor, boolean matched, List<String> matchedNodes, FailureKind kind, String label,
                          String reason, int progress, boolean complete) {
    }

    public static List<Outcome> explain(Model model, CompiledPattern pattern) {
        Rewriter rewriter = new Rewriter(model);
        Matcher<Rewriter.Plan> matcher = new Matcher<>(pattern, rewriter::check);
        List<OpSignature> rootOps = CompiledPattern.rootOps(pattern.roots().get(0));
        List<Outcome> out = new ArrayList<>();
        for (Node n : dev.graphfuse.ir.GraphViews.topologicalOrder(model.graph())) {
            boolean candidate = rootOps.stream().anyMatch(s -> s.name().equals(n.opType())
                    && s.domain().equals(n.domain()));
            if (!candidate) {
                continue;
            }
            switch (matcher.matchAt(n)) {
                case Match<Rewriter.Plan> m -> out.add(new Outcome(n, true, m.nodes().stream().map(Node::name).toList(), null, "matched", "",
                        m.nodes().size(), true));
                case MatchFailure<Rewriter.Plan> f -> out.add(new Outcome(n, false, List.of(), f.kind(), f.label(), f.reason(),
                        f.complete() ? f.progress() - 1 : f.progress(), f.complete()));
            }
        }
        return out;
    }
}
