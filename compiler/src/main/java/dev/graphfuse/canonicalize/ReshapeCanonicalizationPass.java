package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.GraphViews;
import dev.graphfuse.ir.Model;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.Pass;
import dev.graphfuse.pass.PassContext;
import dev.graphfuse.pass.RuleStats;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One spelling for "the same data, another view": removes Identity, same-type Cast and CastLike
 * and multiplications by a constant one, collapses Reshape chains, drops Reshapes to the shape the
 * input already has, and rewrites Squeeze, Unsqueeze and Flatten of statically shaped inputs as
 * Reshape to a constant shape. Exporters pick any of these spellings (TorchScript writes
 * {@code Unsqueeze}, dynamo {@code Reshape}; HF RMSNorm adds a Cast to the dtype the tensor already
 * has; dynamo without its optimizer writes {@code copy_} as CastLike and keeps {@code cos · 1}),
 * and fusion patterns then need only one. SplitToSequence read only by SequenceAt becomes Split.
 *
 * <p>A value that is a graph output keeps its name: rewrites that would replace it by another
 * value (Identity, no-op Cast or Reshape) are skipped for it, while a view rewritten as Reshape
 * takes over the name. Values read by name from subgraphs are treated the same way.
 */
public final class ReshapeCanonicalizationPass implements Pass {
    @Override
    public String name() {
        return "reshape";
    }

    @Override
    public String summary() {
        return "remove Identity, x · 1 and no-op Cast/CastLike/Reshape, collapse Reshape chains, Squeeze/Unsqueeze/Flatten → Reshape";
    }

    @Override
    public void run(Model model, PassContext context) {
        long opset = model.onnxOpset();
        // Reshape takes its shape as an input from opset 5; initializers need not be inputs from IR 4
        boolean canWriteReshape = model.irVersion() >= 4 && (opset < 0 || opset >= 5);
        for (Graph g : GraphScopes.graphs(model, false)) {
            new Rewriter(g, context, canWriteReshape).run();
        }
    }

    private static final class Rewriter {
        private final Graph g;
        private final PassContext context;
        private final boolean canWriteReshape;
        private final List<Node> order;
        private final StaticTypes types;

        Rewriter(Graph g, PassContext context, boolean canWriteReshape) {
            this.g = g;
            this.context = context;
            this.canWriteReshape = canWriteReshape;
            // One order serves inference and the walk: both are taken before the first rewrite.
            this.order = GraphViews.topologicalOrder(g);
            this.types = StaticTypes.of(order);
        }

        private RuleStats stats(String rule) {
            return context.stats(Canonicalize.STATS_PASS, rule);
        }

        void run() {
            // rewrites remove the visited node, nodes before it, or (SplitToSequence) its readers, which the
            // walk then skips as removed; nodes they add are not visited, so the snapshot stays valid
            for (Node n : order) {
                if (n.isRemoved() || !n.domain().isEmpty() || n.outputs().size() != 1 || n.output(0) == null) {
                    continue;
                }
                switch (n.opType()) {
                    case "Identity" -> identity(n);
                    case "Cast" -> castToSameType(n);
                    case "CastLike" -> castLikeToSameType(n);
                    case "Mul" -> mulByOne(n);
                    case "MatMul" -> matMulBroadcastExpand(n);
                    case "SplitToSequence" -> SequenceSplit.rewrite(g, n, types, stats("sequence-split"));
                    case "Squeeze", "Unsqueeze", "Flatten" -> {
                        Node reshape = viewToReshape(n);
                        if (reshape != null) {
                            reshapeRules(reshape);
                        }
                    }
                    case "Reshape" -> reshapeRules(n);
                    case "Slice" -> sliceNoop(n);
                    default -> {
                    }
                }
            }
        }

        /** Whether uses of {@code v} may be pointed at another value (which has another name). */
        private boolean replaceable(Value v, RuleStats s) {
            if (v.isGraphOutput()) {
                s.countRejected("graph-output");
                return false;
            }
            if (v.isReadBySubgraph()) {
                s.countRejected("captured-by-subgraph");
                return false;
            }
            return true;
        }

        /** Removes {@code n}, whose output equals its first input. */
        private void bypass(Node n, RuleStats s) {
            n.output().replaceAllUsesWith(n.input(0));
            g.removeNode(n);
            s.countRewritten();
        }

        private void identity(Node n) {
            RuleStats s = stats("identity");
            s.countCandidate();
            if (n.input(0) == null) {
                return;
            }
            s.countMatched();
            if (replaceable(n.output(), s)) {
                bypass(n, s);
            }
        }

        private void castToSameType(Node n) {
            RuleStats s = stats("cast-noop");
            s.countCandidate();
            ElementType to = n.attribute("to") instanceof Attribute.IntAttr i ? ElementType.fromCode((int) i.value()) : null;
            ElementType from = types.elementType(n.input(0));
            if (from == null) {
                s.countRejected("input-type-unknown");
                return;
            }
            if (to == null || from != to) {
                return;
            }
            s.countMatched();
            if (replaceable(n.output(), s)) {
                bypass(n, s);
            }
        }

        private void castLikeToSameType(Node n) {
            RuleStats s = stats("castlike-noop");
            s.countCandidate();
            if (!NoopOps.isCastLikeNoop(n, types)) {
                return;
            }
            s.countMatched();
            if (replaceable(n.output(), s)) {
                bypass(n, s);
            }
        }

        private void mulByOne(Node n) {
            Value kept = NoopOps.mulByOneKept(n, types);
            if (kept == null) {
                return;
            }
            RuleStats s = stats("mul-one");
            s.countCandidate();
            s.countMatched();
            if (replaceable(n.output(), s)) {
                n.output().replaceAllUsesWith(kept);
                g.removeNode(n);
                s.countRewritten();
            }
        }

        /**
         * MatMul(Expand(x, s), y) where the Expand only repeats x along batch dims that MatMul broadcasts against
         * y anyway: MatMul(x, y) gives the same tensor. Hugging Face's rotary embedding writes
         * {@code inv_freq[None, :, None].expand(B, -1, 1) @ positions}, and the expand's shape is computed from
         * another input (the token ids' batch), which a fused op's body could not recompute.
         */
        private void matMulBroadcastExpand(Node n) {
            if (n.inputCount() != 2) {
                return;
            }
            for (int i = 0; i < 2; i++) {
                Value e = n.input(i);
                Node expand = e == null ? null : e.producer();
                if (expand == null || !expand.is("Expand") || expand.input(0) == null || e.users().size() != 1
                        || e.isGraphOutput() || e.isReadBySubgraph()) {
                    continue;
                }
                RuleStats s = stats("matmul-broadcast-expand");
                s.countCandidate();
                Shape x = types.shape(expand.input(0));
                Shape ex = types.shape(e);
                Shape other = types.shape(n.input(1 - i));
                if (!x.hasRank() || !ex.hasRank() || !other.hasRank() || x.rank() < 2 || ex.rank() < 2 || other.rank() < 2) {
                    s.countRejected("unknown-rank");
                    continue;
                }
                if (!broadcastsOnlyBatch(x.dims(), ex.dims(), other.dims())) {
                    s.countRejected("changes-the-product");
                    continue;
                }
                s.countMatched();
                n.setInput(i, expand.input(0));
                s.countRewritten();
            }
        }

        /**
         * Whether MatMul(x, y) has MatMul(e, y)'s result, e = x expanded: the matrix dims (last two) of e are
         * x's, and in every batch dim (aligned from the right) e adds nothing y does not give the product anyway.
         */
        private static boolean broadcastsOnlyBatch(List<Dim> x, List<Dim> e, List<Dim> y) {
            int re = e.size();
            int rx = x.size();
            int ry = y.size();
            if (!e.get(re - 1).equals(x.get(rx - 1)) || !e.get(re - 2).equals(x.get(rx - 2))) {
                return false;
            }
            if (re > Math.max(rx, ry)) {
                return false; // e's extra leading dims would be the product's
            }
            for (int k = 3; k <= re; k++) {
                Dim ed = e.get(re - k);
                Dim xd = k <= rx ? x.get(rx - k) : new Dim.Fixed(1);
                Dim yd = k <= ry ? y.get(ry - k) : new Dim.Fixed(1);
                boolean same = ed.equals(xd) || ed.equals(new Dim.Fixed(1))
                        || (xd.equals(new Dim.Fixed(1)) && ed.equals(yd));
                if (!same) {
                    return false;
                }
            }
            return true;
        }

        /** Squeeze/Unsqueeze/Flatten with a static input shape is a Reshape to a constant shape. */
        private Node viewToReshape(Node n) {
            RuleStats s = stats(n.opType().toLowerCase(Locale.ROOT) + "-to-reshape");
            s.countCandidate();
            if (!canWriteReshape) {
                s.countRejected("old-opset-or-ir");
                return null;
            }
            Value x = n.input(0);
            long[] in = types.dims(x);
            if (in == null) {
                s.countRejected("input-shape-unknown");
                return null;
            }
            long[] out;
            if (n.is("Flatten")) {
                out = ShapeMath.flatten(in, n.intAttribute("axis", 1));
            } else {
                long[] axes = n.input(1) != null ? Constants.longs(n.input(1))
                        : n.attribute("axes") instanceof Attribute.IntsAttr a ? a.values() : null;
                if (axes == null && (n.input(1) != null || n.is("Unsqueeze"))) {
                    s.countRejected("axes-not-constant");
                    return null;
                }
                out = n.is("Squeeze") ? ShapeMath.squeeze(in, axes) : ShapeMath.unsqueeze(in, axes);
            }
            if (out == null) {
                s.countRejected("invalid-axes");
                return null;
            }
            if (Arrays.stream(out).anyMatch(d -> d == 0)) {
                // Reshape reads 0 as "copy the input dim" unless allowzero, which old opsets lack
                s.countRejected("zero-dim");
                return null;
            }
            s.countMatched();
            Value old = n.output();
            Value shape = g.addInitializer(Tensor.ofLongs(new long[]{out.length}, out)
                    .withName(g.freshName(old.name() + "_shape")));
            Node r = g.addNode(n.name(), "", "Reshape", List.of(x, shape), List.of(g.freshName(old.name() + "_view")));
            r.setDocString(n.docString());
            r.metadata().putAll(n.metadata());
            r.output().setType(old.type());
            ValueSwap.takeOver(g, n, old, r.output());
            s.countRewritten();
            return r;
        }

        private void reshapeRules(Node r) {
            collapseChain(r);
            removeIfNoop(r);
        }

        /**
         * Reshape(Reshape(x, s1), s2) is Reshape(x, s2): the result depends only on s2 and the element
         * count, unless s2 has a 0 (copy the dim of the input, which the inner Reshape changed).
         */
        private void collapseChain(Node r) {
            while (r.input(0) != null && r.input(0).producer() != null && r.input(0).producer().is("Reshape")) {
                RuleStats s = stats("reshape-chain");
                s.countCandidate();
                Node inner = r.input(0).producer();
                long[] target = Constants.longs(r.input(1));
                if (target == null) {
                    s.countRejected("target-not-constant");
                    return;
                }
                if (r.intAttribute("allowzero", 0) == 0 && Arrays.stream(target).anyMatch(d -> d == 0)) {
                    s.countRejected("zero-in-target");
                    return;
                }
                Value mid = inner.output(0);
                if (inner.input(0) == null || inner.outputs().size() != 1) {
                    return;
                }
                s.countMatched();
                if (mid.uses().size() != 1) {
                    s.countRejected("inner-has-other-users");
                    return;
                }
                if (!replaceable(mid, s)) {
                    return;
                }
                r.setInput(0, inner.input(0));
                g.removeNode(inner);
                s.countRewritten();
            }
        }

        /**
         * A Slice that keeps every element (unit steps, bounds covering each sliced axis, e.g.
         * TorchScript's {@code x[..., :rot]} with rot = head_dim) is the same data: one spelling, no Slice.
         */
        private void sliceNoop(Node n) {
            RuleStats s = stats("slice-noop");
            if (n.inputCount() < 3) {
                return; // opset < 10 keeps bounds in attributes; exporters targeting them are out of scope here
            }
            s.countCandidate();
            long[] dims = types.dims(n.input(0));
            if (dims == null) {
                s.countRejected("input-shape-unknown");
                return;
            }
            long[] starts = Constants.longs(n.input(1));
            long[] ends = Constants.longs(n.input(2));
            long[] axes = n.inputCount() > 3 && n.input(3) != null ? Constants.longs(n.input(3)) : null;
            long[] steps = n.inputCount() > 4 && n.input(4) != null ? Constants.longs(n.input(4)) : null;
            boolean axesGiven = n.inputCount() > 3 && n.input(3) != null;
            boolean stepsGiven = n.inputCount() > 4 && n.input(4) != null;
            if (starts == null || ends == null || (axesGiven && axes == null) || (stepsGiven && steps == null)
                    || starts.length != ends.length || (axes != null && axes.length != starts.length)
                    || (steps != null && steps.length != starts.length)) {
                s.countRejected("bounds-not-constant");
                return;
            }
            for (int i = 0; i < starts.length; i++) {
                long axis = axes == null ? i : axes[i];
                if (axis < 0) {
                    axis += dims.length;
                }
                if (axis < 0 || axis >= dims.length || dims[(int) axis] < 0) {
                    return;
                }
                long dim = dims[(int) axis];
                long start = starts[i] < 0 ? starts[i] + dim : starts[i];
                long end = ends[i] < 0 ? ends[i] + dim : ends[i];
                if ((steps != null && steps[i] != 1) || start > 0 || end < dim) {
                    return;
                }
            }
            s.countMatched();
            if (replaceable(n.output(), s)) {
                bypass(n, s);
            }
        }

        /** Both shapes fully known (every dim a number or a named symbol) and the same, dim by dim. */
        private boolean sameSymbolicShape(Value a, Value b) {
            Shape x = types.shape(a);
            Shape y = types.shape(b);
            if (!x.hasRank() || !y.hasRank() || x.rank() != y.rank()) {
                return false;
            }
            for (int i = 0; i < x.rank(); i++) {
                Dim d = x.dims().get(i);
                if (d instanceof Dim.Unknown || !d.equals(y.dims().get(i))) {
                    return false;
                }
            }
            return true;
        }

        private void removeIfNoop(Node r) {
            RuleStats s = stats("reshape-noop");
            s.countCandidate();
            long[] in = types.dims(r.input(0));
            if (in == null) {
                if (sameSymbolicShape(r.input(0), r.output(0))) {
                    // [batch, seq, 2, 256] → [batch, seq, 2, 256]: the exporter's own shape inference says the
                    // view changes nothing, though its target is computed at run time (Qwen3.5's q after the gate split)
                    s.countMatched();
                    if (replaceable(r.output(), s)) {
                        bypass(r, s);
                    }
                    return;
                }
                s.countRejected("input-shape-unknown");
                return;
            }
            long[] target = Constants.longs(r.input(1));
            if (target == null) {
                s.countRejected("target-not-constant");
                return;
            }
            long[] out = ShapeMath.reshape(in, target, r.intAttribute("allowzero", 0) != 0);
            if (out == null || !Arrays.equals(out, in)) {
                return;
            }
            s.countMatched();
            if (replaceable(r.output(), s)) {
                bypass(r, s);
            }
        }
    }
}
