package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Function;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Use;
import dev.graphfuse.ir.Value;
import dev.graphfuse.ir.ValueNumbering;
import dev.graphfuse.ir.ValueType;
import dev.graphfuse.match.AttrEvaluator;
import dev.graphfuse.match.CompiledPattern;
import dev.graphfuse.match.FailureKind;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.OpSignature;
import dev.graphfuse.match.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a match into one node. Everything that can fail (attribute expressions, the function body,
 * the cycle check) runs in {@link #check}, while the matcher can still backtrack; the match then carries
 * check's {@link Plan}, which {@link #apply} carries out and cannot fail. The fused node keeps the roots' value names, so graph outputs and later consumers
 * see the same names; matched nodes and anything only they used are removed.
 */
final class Rewriter {
    /** Metadata keys recording where a fused node came from. */
    static final String PATTERN_KEY = "graphfuse.pattern";
    static final String MATCHED_KEY = "graphfuse.matched";

    private final Model model;
    private final Graph graph;
    private final TopologicalPositions positions;
    /** Numbers body values across the model's functions, so equal bodies are found without printing them. */
    private final ValueNumbering numbering = new ValueNumbering();
    /** Keys of the model's function bodies, each taken once per rewriter instead of once per rewrite. */
    private final Map<Function, ValueNumbering.GraphKey> bodyKeys = new IdentityHashMap<>();

    Rewriter(Model model) {
        this.model = model;
        this.graph = model.graph();
        this.positions = new TopologicalPositions(graph);
    }

    TopologicalPositions positions() {
        return positions;
    }

    /** What rewriting an accepted match takes, worked out by {@link #check}; {@link #apply} only carries it out. */
    record Plan(Map<String, Attribute> attributes, List<Value> operands, Graph body, List<Node> ordered) {
    }

    /** The matcher's acceptor: the plan for rewriting {@code m}, or why it cannot be rewritten. */
    Verdict<Plan> check(Match<Plan> m) {
        CompiledPattern.Replacement r = m.pattern().replacement();
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        for (CompiledPattern.AttrAssign a : r.attributes()) {
            try {
                Object v = AttrEvaluator.evaluate(a.value(), m.slots());
                attrs.put(a.name(), AttrEvaluator.toAttribute(a.kind(), v));
            } catch (AttrEvaluator.EvaluationException | ArithmeticException | ClassCastException e) {
                String why = e.getMessage();
                return new Verdict.Rejected<>(FailureKind.ATTRIBUTE_EVALUATION, () -> "attribute '" + a.name() + "' of "
                        + r.op().qualifiedName() + ": " + why);
            }
        }
        List<Value> operands = new ArrayList<>();
        for (int slot : r.inputSlots()) {
            // the compiler admits only value slots as operands
            operands.add(slot < 0 ? null : m.binding(slot) instanceof Value v ? v : null);
        }
        String typeClash = typeClash(r.op(), operands, m.roots());
        if (typeClash != null) {
            return new Verdict.Rejected<>(FailureKind.TYPE_CLASH, () -> typeClash);
        }
        List<Node> ordered = new ArrayList<>(m.nodes());
        ordered.sort(Comparator.comparingDouble(positions::of));
        String cycle = cycleThrough(ordered);
        if (cycle != null) {
            return new Verdict.Rejected<>(FailureKind.CYCLE, () -> cycle);
        }
        Graph body = null;
        if (needsFunction(r.op())) {
            FunctionBody.Result b = FunctionBody.build(m, r.op(), operands, ordered, this::functionBodyOf);
            if (b.problem() != null) {
                return new Verdict.Rejected<>(FailureKind.FUNCTION_BODY, b::problem);
            }
            body = b.body();
        }
        return new Verdict.Accepted<>(new Plan(attrs, operands, body, ordered));
    }

    /**
     * Why the fused node would not be type-correct, or null. Ports that share a type variable in the op's
     * declaration must bind one element type, and each output's comes from its inputs: a replacement that
     * changed a value's element type (an fp16 norm standing in for the fp32 product before the cast back)
     * would make the rewritten model invalid, so the match is refused instead. Unknown types pass.
     */
    static String typeClash(OpSignature op, List<Value> operands, List<Value> roots) {
        Map<String, ElementType> bound = new LinkedHashMap<>();
        Map<String, String> boundBy = new LinkedHashMap<>();
        for (int i = 0; i < operands.size() && i < op.inputs().size(); i++) {
            String var = op.inputs().get(i).type();
            ElementType t = operands.get(i) == null ? null : elementTypeOf(operands.get(i));
            if (var == null || t == null) {
                continue;
            }
            ElementType prev = bound.putIfAbsent(var, t);
            if (prev == null) {
                boundBy.put(var, op.inputs().get(i).name() + " (" + operands.get(i).name() + ")");
            } else if (prev != t) {
                return op.qualifiedName() + ": input " + op.inputs().get(i).name() + " (" + operands.get(i).name()
                        + ") is " + t.shortName() + " but " + boundBy.get(var) + " is " + prev.shortName()
                        + " (both have type " + var + ")";
            }
        }
        for (int i = 0; i < roots.size() && i < op.outputs().size(); i++) {
            String var = op.outputs().get(i).type();
            ElementType want = var == null ? null : bound.get(var);
            ElementType got = elementTypeOf(roots.get(i));
            if (want != null && got != null && want != got) {
                return op.qualifiedName() + ": output " + op.outputs().get(i).name() + " would be " + want.shortName()
                        + " (the type of " + boundBy.get(var) + ") where the matched value " + roots.get(i).name()
                        + " is " + got.shortName();
            }
        }
        return null;
    }

    private static ElementType elementTypeOf(Value v) {
        return v.type() instanceof ValueType.TensorType t && t.elementType() != ElementType.UNDEFINED
                ? t.elementType() : null;
    }

    /** The body of the model-local function {@code call} invokes (same domain, name and overload), or null. */
    private Graph functionBodyOf(Node call) {
        for (Function f : model.functions()) {
            if (f.domain().equals(call.domain()) && f.name().equals(call.opType())
                    && f.overload().equals(call.overload() == null ? "" : call.overload())) {
                return f.body();
            }
        }
        return null;
    }

    /** Custom-domain replacements carry a function body so stock runtimes can execute them. */
    static boolean needsFunction(OpSignature op) {
        return !op.domain().isEmpty();
    }

    /**
     * Contracting the match into one node creates a cycle when a value leaving the match comes back
     * into it through nodes outside. Only values that leave (roots, shared nodes' outputs) can start
     * such a path, and nodes positioned after the match's last node cannot reach it.
     */
    private String cycleThrough(List<Node> ordered) {
        Set<Node> inMatch = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inMatch.addAll(ordered);
        double last = positions.of(ordered.get(ordered.size() - 1));
        ArrayDeque<Node> work = new ArrayDeque<>();
        Set<Node> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node n : ordered) {
            for (Value o : n.outputs()) {
                if (o == null) {
                    continue;
                }
                for (Use u : o.uses()) {
                    if (!inMatch.contains(u.node()) && seen.add(u.node())) {
                        work.add(u.node());
                    }
                }
            }
        }
        while (!work.isEmpty()) {
            Node n = work.poll();
            if (positions.of(n) > last) {
                continue;
            }
            for (Value o : n.outputs()) {
                if (o == null) {
                    continue;
                }
                for (Use u : o.uses()) {
                    if (inMatch.contains(u.node())) {
                        return "fusing would create a cycle: node " + n.name() + " is computed from the match "
                                + "and feeds node " + u.node().name() + " inside it";
                    }
                    if (seen.add(u.node())) {
                        work.add(u.node());
                    }
                }
            }
        }
        return null;
    }

    /** Rewrites a match {@link #check} accepted, by its plan; returns the fused node. */
    Node apply(Match<Plan> m) {
        Plan p = m.plan();
        CompiledPattern.Replacement r = m.pattern().replacement();
        OpSignature op = r.op();
        List<String> outputNames = new ArrayList<>();
        for (Value root : m.roots()) {
            String name = root.name();
            graph.rename(root, graph.freshName(name + "_unfused"));
            outputNames.add(name);
        }
        Node first = m.roots().get(0).producer();
        Node fused = graph.addNode(first.name(), op.domain(), op.name(), p.operands(), outputNames);
        p.attributes().forEach(fused::setAttribute);
        fused.metadata().put(PATTERN_KEY, m.pattern().name());
        fused.metadata().put(MATCHED_KEY, String.join(",", m.nodes().stream().map(Node::name).toList()));
        for (int i = 0; i < m.roots().size(); i++) {
            Value root = m.roots().get(i);
            Value out = fused.output(i);
            out.setType(root.type());
            root.replaceAllUsesWith(out);
        }
        if (p.body() != null) {
            String overload = registerFunction(op, p.body(), p.attributes());
            fused.setOverload(overload);
        }
        removeDead(p.ordered());
        positions.placed(fused);
        return fused;
    }

    /** Finds or adds the function for {@code body}; returns its overload ("" for the first body of an op). */
    private String registerFunction(OpSignature op, Graph body, Map<String, Attribute> attrs) {
        model.opsetImports().putIfAbsent(op.domain(), 1L);
        ValueNumbering.GraphKey key = numbering.keyOf(body);
        int variants = 0;
        for (Function f : model.functions()) {
            if (f.domain().equals(op.domain()) && f.name().equals(op.name())) {
                if (key != null && key.equals(bodyKeys.computeIfAbsent(f, k -> numbering.keyOf(k.body())))) {
                    return f.overload();
                }
                variants++;
            }
        }
        String overload = variants == 0 ? "" : "v" + (variants + 1);
        if (!overload.isEmpty() && model.irVersion() < 10) {
            // Function overloads exist from IR version 10 on (ONNX 1.16).
            model.setIrVersion(10);
        }
        // Nested graphfuse calls are inlined (FunctionBody), but a body may still use other custom domains.
        Map<String, Long> opsets = new LinkedHashMap<>(model.opsetImports());
        Function f = new Function(op.domain(), op.name(), overload, body, new ArrayList<>(attrs.keySet()), Map.of(),
                opsets);
        f.setDocString("graphfuse: the subgraph " + op.qualifiedName() + " replaced");
        model.functions().add(f);
        if (key != null) {
            bodyKeys.put(f, key);
        }
        return overload;
    }

    /**
     * Drops the functions this rewriter's kind of rewrite added that nothing calls any more (a QkNorm
     * absorbed into a QkNormRope leaves its function behind). Functions the model came with stay.
     */
    void pruneUnusedFunctions() {
        // Only calls into the domains of prunable functions can keep one alive: building a key for every
        // node of a large graph cost more than the rest of the pass's bookkeeping.
        Set<String> domains = new java.util.HashSet<>();
        for (Function f : model.functions()) {
            if (addedByRewrite(f)) {
                domains.add(f.domain());
            }
        }
        if (domains.isEmpty()) {
            return;
        }
        Set<String> called = new java.util.HashSet<>();
        collectCalls(graph, domains, called);
        for (Function f : model.functions()) {
            for (Node n : f.body().nodes()) {
                if (domains.contains(n.domain())) {
                    called.add(callKey(n.domain(), n.opType(), n.overload()));
                }
            }
        }
        model.functions().removeIf(f -> addedByRewrite(f)
                && !called.contains(callKey(f.domain(), f.name(), f.overload())));
    }

    private static boolean addedByRewrite(Function f) {
        return f.docString() != null && f.docString().startsWith("graphfuse: ");
    }

    private static void collectCalls(Graph g, Set<String> domains, Set<String> out) {
        for (Node n : g.nodes()) {
            if (domains.contains(n.domain())) {
                out.add(callKey(n.domain(), n.opType(), n.overload()));
            }
            for (Graph sub : n.subgraphs()) {
                collectCalls(sub, domains, out);
            }
        }
    }

    private static String callKey(String domain, String name, String overload) {
        return domain + "::" + name + ":" + (overload == null ? "" : overload);
    }

    /** Removes matched nodes that no longer have users, then whatever only they used. */
    private void removeDead(List<Node> ordered) {
        ArrayDeque<Node> work = new ArrayDeque<>();
        for (int i = ordered.size() - 1; i >= 0; i--) {
            work.add(ordered.get(i));
        }
        List<Value> maybeDeadInitializers = new ArrayList<>();
        while (!work.isEmpty()) {
            Node n = work.poll();
            if (n.isRemoved() || !dead(n)) {
                continue;
            }
            List<Value> inputs = new ArrayList<>(n.inputs());
            graph.removeNode(n);
            for (Value in : inputs) {
                if (in == null) {
                    continue;
                }
                if (in.producer() != null) {
                    work.add(in.producer());
                } else if (in.isInitializer()) {
                    maybeDeadInitializers.add(in);
                }
            }
        }
        for (Value v : maybeDeadInitializers) {
            if (graph.value(v.name()) == v && !v.isUsed() && !v.isGraphInput()) {
                graph.removeInitializer(v);
            }
        }
    }

    private boolean dead(Node n) {
        for (int i = 0; i < n.outputs().size(); i++) {
            Value o = n.output(i);
            if (o != null && o.isUsed()) {
                return false;
            }
        }
        return true;
    }
}
