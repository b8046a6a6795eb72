package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.FailureKind;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.MatchFailure;
import dev.graphfuse.match.Matcher;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pass made of .fuse patterns. Each sweep visits nodes in topological order and tries, at each,
 * the patterns whose first root is that node's op kind, highest benefit first; the first that
 * matches is rewritten. Sweeps repeat until nothing changes, so a pattern can match what another
 * produced. Statistics count each anchor once per pattern: its final outcome.
 */
public final class PatternPass implements Pass {
    /** Sweeps before the pass gives up on reaching a fixed point (reported as a fallback). */
    static final int MAX_SWEEPS = 8;

    private final String name;
    private final List<CompiledPattern> patterns;
    /** Candidates by domain, then op type: two lookups of the node's own strings, no key built per node. */
    private final Map<String, Map<String, List<CompiledPattern>>> byRootOp = new HashMap<>();

    public PatternPass(String name, List<CompiledPattern> patterns) {
        this.name = name;
        this.patterns = List.copyOf(patterns);
        List<CompiledPattern> ordered = new ArrayList<>(patterns);
        // Stable: equal benefits keep declaration order.
        ordered.sort(Comparator.comparingInt(CompiledPattern::benefit).reversed());
        for (CompiledPattern p : ordered) {
            for (OpSignature s : CompiledPattern.rootOps(p.roots().get(0))) {
                byRootOp.computeIfAbsent(s.domain(), k -> new HashMap<>())
                        .computeIfAbsent(s.name(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    private List<CompiledPattern> candidates(Node n) {
        Map<String, List<CompiledPattern>> ofDomain = byRootOp.get(n.domain());
        return ofDomain == null ? null : ofDomain.get(n.opType());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return patterns.size() + " pattern" + (patterns.size() == 1 ? "" : "s") + ": "
                + String.join(", ", patterns.stream().map(CompiledPattern::name).toList());
    }

    public List<CompiledPattern> patterns() {
        return patterns;
    }

    /**
     * The sweep that follows one which changed the graph, when it would change nothing: it then only
     * records each anchor's failure, and with the graph fixed during it those do not depend on the order
     * anchors are tried in, so insertion order serves and no topological order is computed. Returns
     * false, recording nothing, at the first match: the real sweep must find the first match in its order.
     */
    private boolean atFixedPoint(Model model, Map<CompiledPattern, Matcher<Rewriter.Plan>> matchers,
                                 Map<CompiledPattern, Map<Node, String>> lastFailure) {
        List<CompiledPattern> tried = new ArrayList<>();
        List<Node> at = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (Node n : model.graph().nodes()) {
            List<CompiledPattern> candidates = candidates(n);
            if (candidates == null) {
                continue;
            }
            for (CompiledPattern p : candidates) {
                if (!(matchers.get(p).matchAt(n) instanceof MatchFailure<Rewriter.Plan> f)) {
                    return false;
                }
                tried.add(p);
                at.add(n);
                kinds.add(f.label());
            }
        }
        for (int i = 0; i < tried.size(); i++) {
            lastFailure.get(tried.get(i)).put(at.get(i), kinds.get(i));
        }
        return true;
    }

    /**
     * Maximal munch: {@code m} matched at {@code n}; when n's one user is also a root of {@code p} and p
     * matches there over n too (a norm and the cast back after it, {@code Cast(m) | m}), that larger match
     * is the one to rewrite. Otherwise the smaller one would take the inner nodes and leave the cast, or
     * settle for a type-correct but narrower binding (the fp32 upcast as the norm's input).
     */
    private Match<Rewriter.Plan> widest(Match<Rewriter.Plan> m, Node n, CompiledPattern p,
                                       Matcher<Rewriter.Plan> matcher) {
        if (n.outputs().isEmpty() || n.output(0).uses().size() != 1) {
            return m;
        }
        Node user = n.output(0).uses().get(0).node();
        List<CompiledPattern> there = candidates(user);
        if (there == null || !there.contains(p)) {
            return m;
        }
        return matcher.matchAt(user) instanceof Match<Rewriter.Plan> wider && wider.nodes().contains(n) ? wider : m;
    }

    @Override
    public void run(Model model, PassContext context) {
        Rewriter rewriter = new Rewriter(model);
        Map<CompiledPattern, Matcher<Rewriter.Plan>> matchers = new IdentityHashMap<>();
        // Identity maps: CompiledPattern is a record whose hashCode walks the whole pattern tree.
        Map<CompiledPattern, Map<Node, String>> lastFailure = new IdentityHashMap<>();
        Map<CompiledPattern, Long> rewrites = new IdentityHashMap<>();
        for (CompiledPattern p : patterns) {
            matchers.put(p, new Matcher<>(p, rewriter::check));
            lastFailure.put(p, new IdentityHashMap<>());
            rewrites.put(p, 0L);
        }
        boolean changed = true;
        int sweeps = 0;
        while (changed) {
            if (++sweeps > MAX_SWEEPS) {
                context.fallback("pass " + name, "stopped after " + MAX_SWEEPS + " sweeps without reaching a fixed point");
                break;
            }
            changed = false;
            for (Node n : dev.graphfuse.ir.GraphViews.topologicalOrder(model.graph())) {
                if (n.isRemoved()) {
                    continue;
                }
                List<CompiledPattern> candidates = candidates(n);
                if (candidates == null) {
                    continue;
                }
                for (CompiledPattern p : candidates) {
                    boolean rewritten = switch (matchers.get(p).matchAt(n)) {
                        case Match<Rewriter.Plan> m -> {
                            rewriter.apply(widest(m, n, p, matchers.get(p)));
                            lastFailure.get(p).remove(n);
                            rewrites.merge(p, 1L, Long::sum);
                            yield true;
                        }
                        case MatchFailure<Rewriter.Plan> f -> {
                            String before = lastFailure.get(p).put(n, f.label());
                            if (f.kind() == FailureKind.STEP_BUDGET && !Matcher.BUDGET_KIND.equals(before)) {
                                context.remark("pattern " + p.name() + " skipped node " + n.name()
                                        + ": matching gave up after " + Matcher.STEP_BUDGET + " steps of backtracking");
                            }
                            yield false;
                        }
                    };
                    if (rewritten) {
                        changed = true;
                        break;
                    }
                }
            }
            if (changed && sweeps < MAX_SWEEPS && atFixedPoint(model, matchers, lastFailure)) {
                break;
            }
        }
        rewriter.pruneUnusedFunctions();
        for (CompiledPattern p : patterns) {
            RuleStats s = context.stats(name, p.name());
            long done = rewrites.get(p);
            for (int i = 0; i < done; i++) {
                s.countCandidate();
                s.countMatched();
                s.countRewritten();
            }
            for (String kind : lastFailure.get(p).values()) {
                s.countCandidate();
                s.countRejected(kind);
            }
        }
    }
}
