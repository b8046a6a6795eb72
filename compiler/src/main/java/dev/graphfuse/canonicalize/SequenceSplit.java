package dev.graphfuse.canonicalize;

import dev.graphfuse.ir.Attribute;
import dev.graphfuse.ir.Graph;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.ir.Value;
import dev.graphfuse.pass.RuleStats;
import java.util.ArrayList;
import java.util.List;

/**
 * SplitToSequence read only by SequenceAt at constant positions is a Split: torch.chunk / split
 * exported without the exporter's optimizer (dynamo writes the sequence form, its optimizer the
 * Split), so the patterns that look through a Split see both.
 */
final class SequenceSplit {
    private SequenceSplit() {
    }

    /**
     * The part sizes: a constant list as given, or for a constant chunk size c (torch.chunk) over an
     * axis of static size d, ⌈d / c⌉ parts of c with the remainder last. Null when not known.
     */
    private static long[] sizes(Node n, StaticTypes types) {
        if (n.inputCount() < 2 || n.input(1) == null) {
            return null; // one part per element: not what torch writes
        }
        long[] given = Constants.longs(n.input(1));
        long[] givenDims = types.dims(n.input(1));
        if (given == null || givenDims == null || givenDims.length > 1) {
            return null;
        }
        if (givenDims.length == 1) {
            return given;
        }
        long[] in = types.dims(n.input(0));
        long axis = n.intAttribute("axis", 0);
        if (in == null || given[0] <= 0 || axis < -in.length || axis >= in.length) {
            return null;
        }
        long d = in[(int) (axis < 0 ? axis + in.length : axis)];
        int parts = (int) ((d + given[0] - 1) / given[0]);
        long[] sizes = new long[parts];
        for (int i = 0; i < parts; i++) {
            sizes[i] = Math.min(given[0], d - i * given[0]);
        }
        return parts == 0 ? null : sizes;
    }

    /** Rewrites {@code n} (a SplitToSequence) and its SequenceAt readers; returns whether it did. */
    static boolean rewrite(Graph g, Node n, StaticTypes types, RuleStats s) {
        s.countCandidate();
        long[] sizes = sizes(n, types);
        if (sizes == null) {
            s.countRejected("sizes-unknown");
            return false;
        }
        Value seq = n.output();
        if (seq.isGraphOutput()) {
            s.countRejected("graph-output");
            return false;
        }
        if (seq.isReadBySubgraph()) {
            s.countRejected("captured-by-subgraph");
            return false;
        }
        List<Node> readers = new ArrayList<>(seq.users());
        int[] positions = new int[readers.size()];
        for (int i = 0; i < readers.size(); i++) {
            Node r = readers.get(i);
            long[] at = r.is("SequenceAt") && r.domain().isEmpty() && r.input(0) == seq && r.inputCount() == 2
                    ? Constants.longs(r.input(1)) : null;
            if (at == null || at.length != 1 || at[0] < -sizes.length || at[0] >= sizes.length) {
                s.countRejected("other-reader");
                return false;
            }
            positions[i] = (int) (at[0] < 0 ? at[0] + sizes.length : at[0]);
            if (r.output().isReadBySubgraph() && readsEarlier(positions, i)) {
                // it would be replaced by the earlier reader's value, another name
                s.countRejected("captured-by-subgraph");
                return false;
            }
        }
        s.countMatched();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            names.add(g.freshName(seq.name() + "_" + i));
        }
        Value sizesValue = g.addInitializer(Tensor.ofLongs(new long[] {sizes.length}, sizes)
                .withName(g.freshName(seq.name() + "_sizes")));
        Node split = g.addNode(n.name(), "", "Split", List.of(n.input(0), sizesValue), names);
        split.setAttribute("axis", new Attribute.IntAttr(n.intAttribute("axis", 0)));
        split.setDocString(n.docString());
        split.metadata().putAll(n.metadata());
        boolean[] named = new boolean[sizes.length];
        for (int i = 0; i < readers.size(); i++) {
            Node r = readers.get(i);
            Value out = split.output(positions[i]);
            if (named[positions[i]]) {
                r.output().replaceAllUsesWith(out);
                g.removeNode(r);
            } else {
                out.setType(r.output().type());
                ValueSwap.takeOver(g, r, r.output(), out);
                named[positions[i]] = true;
            }
        }
        g.removeNode(n);
        s.countRewritten();
        return true;
    }

    /** Whether a reader before reader {@code i} reads the same position. */
    private static boolean readsEarlier(int[] positions, int i) {
        for (int k = 0; k < i; k++) {
            if (positions[k] == positions[i]) {
                return true;
            }
        }
        return false;
    }
}
