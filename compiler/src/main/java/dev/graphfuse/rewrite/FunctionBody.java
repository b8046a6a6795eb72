package dev.graphfuse.rewrite;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.match.Match;
import dev.graphfuse.match.OpSignature;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a fused node's model-local function: a copy of the matched subgraph, with the
 * replacement's operands as formal inputs and the roots as outputs. Constants it reads become
 * Constant nodes; a run-time value it needs that is not an operand (e.g. a Reshape target computed
 * from a Shape) is recomputed inside the body when it derives from operands and constants alone.
 * Values are renamed canonically so identical matches give identical bodies.
 */
final class FunctionBody {
    /** Most nodes pulled in to recompute values that are not operands. */
    static final int MAX_RECOMPUTED = 32;

    private FunctionBody() {
    }

    /** A built body, or why none can be built. */
    record Result(Graph body, String problem) {
    }

    /** The model-local function a node calls, or null for an op with no function in the model. */
    @FunctionalInterface
    interface Callee {
        Graph bodyOf(Node call);
    }

    /** Deepest chain of nested function calls inlined into one body. */
    static final int MAX_INLINE_DEPTH = 8;

    /**
     * The function body of a match: its nodes copied in order over the operands. Matched nodes that call a
     * model-local function (a graphfuse op fused earlier) are replaced by that function's body, so every body
     * holds standard ops only. Runtimes resolve nested
     * calls unevenly: ORT 1.23 ignores the overload of a nested call, so a partial-rotary Rope whose
     * body called the full-width Rope recursed into itself.
     */
    static Result build(Match<?> match, OpSignature op, List<Value> operands, List<Node> matchedInOrder, Callee callee) {
        Graph body = new Graph(op.name());
        Map<Value, Value> inner = new IdentityHashMap<>();
        for (int i = 0; i < operands.size(); i++) {
            Value outer = operands.get(i);
            if (outer == null) {
                continue;
            }
            String formal = i < op.inputs().size() ? op.inputs().get(i).name()
                    : op.inputs().get(op.inputs().size() - 1).name() + "_" + i;
            Value in = body.addInput(body.freshName(formal), null);
            inner.putIfAbsent(outer, in);
        }
        Map<Node, Boolean> inMatch = new IdentityHashMap<>();
        for (Node n : matchedInOrder) {
            inMatch.put(n, Boolean.TRUE);
        }
        int[] counter = {0};
        int[] recomputed = {0};
        // Copy in a structural order (post-order from the roots, operands left to right), not the graph's
        // insertion order, so the same subgraph always gets the same body text and value names.
        for (Node n : structuralOrder(match, inMatch, inner)) {
            String problem = copy(n, body, inner, inMatch, counter, recomputed, match, callee);
            if (problem != null) {
                return new Result(null, problem);
            }
        }
        for (int i = 0; i < match.roots().size(); i++) {
            Value root = match.roots().get(i);
            Value v = inner.get(root);
            String formal = i < op.outputs().size() ? op.outputs().get(i).name()
                    : op.outputs().get(op.outputs().size() - 1).name() + "_" + i;
            if (body.hasValue(formal) && body.value(formal) != v) {
                body.rename(body.value(formal), body.freshName("t"));
            }
            if (v.isGraphInput()) {
                // The root is an operand passed straight through: outputs must be defined by a node.
                Node id = body.addNode("", "", "Identity", List.of(v), List.of(body.freshName(formal)));
                v = id.output();
            } else {
                body.rename(v, formal);
            }
            body.addOutput(v);
        }
        return new Result(body, null);
    }

    /**
     * Matched nodes reachable from the roots without crossing an operand: a pattern may match context
     * above an operand (the projection both Q and K come from) that ties the match together but is
     * not part of what the fused node computes.
     */
    private static List<Node> structuralOrder(Match<?> match, Map<Node, Boolean> inMatch, Map<Value, Value> operands) {
        List<Node> out = new ArrayList<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        for (Value root : match.roots()) {
            visit(root.producer(), inMatch, operands, seen, out);
        }
        return out;
    }

    private static void visit(Node n, Map<Node, Boolean> inMatch, Map<Value, Value> operands, Map<Node, Boolean> seen,
                              List<Node> out) {
        // Iterative post-order: matched sub-graphs can be deep (a def inlined many times).
        java.util.ArrayDeque<Object[]> stack = new java.util.ArrayDeque<>();
        if (n == null || !inMatch.containsKey(n) || seen.put(n, Boolean.TRUE) != null) {
            return;
        }
        stack.push(new Object[] {n, 0});
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node cur = (Node) top[0];
            int i = (Integer) top[1];
            if (i < cur.inputCount()) {
                top[1] = i + 1;
                Value in = cur.input(i);
                Node p = in == null || operands.containsKey(in) ? null : in.producer();
                if (p != null && inMatch.containsKey(p) && seen.put(p, Boolean.TRUE) == null) {
                    stack.push(new Object[] {p, 0});
                }
            } else {
                stack.pop();
                out.add(cur);
            }
        }
    }

    private static String copy(Node n, Graph body, Map<Value, Value> inner, Map<Node, Boolean> inMatch, int[] counter,
                               int[] recomputed, Match match, Callee callee) {
        if (n.outputs().stream().anyMatch(o -> o != null && inner.containsKey(o))) {
            return null;
        }
        if (!n.subgraphs().isEmpty()) {
            return "node " + n.name() + " has subgraphs, which function bodies here do not copy";
        }
        List<Value> inputs = new ArrayList<>();
        for (Value in : n.inputs()) {
            if (in == null) {
                inputs.add(null);
                continue;
            }
            Value mapped = inner.get(in);
            if (mapped == null) {
                mapped = constantOrRecomputed(in, body, inner, inMatch, counter, recomputed, match, callee);
                if (mapped == null) {
                    return "value " + in.name() + " is needed by the matched nodes but is neither an operand of "
                            + "the replacement nor a constant, and cannot be recomputed from them";
                }
            }
            inputs.add(mapped);
        }
        Graph called = n.domain().isEmpty() ? null : callee.bodyOf(n);
        if (called != null) {
            return inline(n, called, inputs, body, inner, counter, callee, 0);
        }
        emit(n, inputs, body, inner, counter);
        return null;
    }

    /** Adds a copy of {@code n} over {@code inputs} to {@code body}; records where each output went in {@code map}. */
    private static void emit(Node n, List<Value> inputs, Graph body, Map<Value, Value> map, int[] counter) {
        List<String> outs = new ArrayList<>();
        for (Value o : n.outputs()) {
            outs.add(o == null ? "" : "t" + counter[0]++);
        }
        Node copy = body.addNode("", n.domain(), n.opType(), inputs, outs);
        for (var e : n.attributes().entrySet()) {
            copy.setAttribute(e.getKey(), e.getValue());
        }
        copy.setOverload(n.overload());
        for (int i = 0; i < n.outputs().size(); i++) {
            if (n.output(i) != null) {
                map.put(n.output(i), copy.output(i));
            }
        }
    }

    /** Copies {@code called} (the body of {@code call}'s function) into {@code body} in place of the call. */
    private static String inline(Node call, Graph called, List<Value> actuals, Graph body, Map<Value, Value> inner,
                                 int[] counter, Callee callee, int depth) {
        if (depth >= MAX_INLINE_DEPTH) {
            return "node " + call.name() + " nests function calls more than " + MAX_INLINE_DEPTH + " deep";
        }
        Map<Value, Value> local = new IdentityHashMap<>();
        List<Value> formals = called.inputs();
        for (int i = 0; i < formals.size(); i++) {
            Value actual = i < actuals.size() ? actuals.get(i) : null;
            if (actual != null) {
                local.put(formals.get(i), actual);
            }
        }
        for (Node n : called.nodes()) {
            List<Value> inputs = new ArrayList<>();
            for (Value in : n.inputs()) {
                Value mapped = in == null ? null : local.get(in);
                if (in != null && mapped == null) {
                    return "the body of " + call.opType() + " reads '" + in.name() + "', which it does not define";
                }
                inputs.add(mapped);
            }
            Graph nested = n.domain().isEmpty() ? null : callee.bodyOf(n);
            if (nested != null) {
                Map<Value, Value> outs = new IdentityHashMap<>();
                String problem = inline(n, nested, inputs, body, outs, counter, callee, depth + 1);
                if (problem != null) {
                    return problem;
                }
                local.putAll(outs);
                continue;
            }
            emit(n, inputs, body, local, counter);
        }
        List<Value> results = called.outputs();
        for (int i = 0; i < call.outputs().size() && i < results.size(); i++) {
            if (call.output(i) != null) {
                Value r = local.get(results.get(i));
                if (r == null) {
                    return "the body of " + call.opType() + " does not compute its output " + i;
                }
                inner.put(call.output(i), r);
            }
        }
        return null;
    }

    private static Value constantOrRecomputed(Value v, Graph body, Map<Value, Value> inner, Map<Node, Boolean> inMatch,
                                              int[] counter, int[] recomputed, Match match, Callee callee) {
        Tensor t = v.constant();
        if (t != null) {
            Node k = v.producer();
            Node copy = body.addNode("", "", "Constant", List.of(), List.of("t" + counter[0]++));
            if (k != null && k.attribute("value") == null) {
                // value_float, value_ints, ...: the form the model wrote
                var e = k.attributes().entrySet().iterator().next();
                copy.setAttribute(e.getKey(), e.getValue());
            } else {
                // the data alone: the tensor's name and annotations are the model's, not the body's
                ByteBuffer b = t.bytes();
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                copy.setAttribute("value", new Attribute.TensorAttr(Tensor.of("", t.elementType(), t.dims(), bytes)));
            }
            inner.put(v, copy.output());
            return copy.output();
        }
        Node p = v.producer();
        if (p == null || inMatch.containsKey(p) || ++recomputed[0] > MAX_RECOMPUTED) {
            return null;
        }
        String problem = copy(p, body, inner, inMatch, counter, recomputed, match, callee);
        return problem == null ? inner.get(v) : null;
    }
}
