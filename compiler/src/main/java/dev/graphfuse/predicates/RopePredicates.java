package dev.graphfuse.predicates;

import dev.graphfuse.ir.Dim;
import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Shape;
import dev.graphfuse.ir.Value;
import dev.graphfuse.match.Constant;
import dev.graphfuse.match.PredicateArgs;
import dev.graphfuse.match.PredicateProvider;
import dev.graphfuse.match.PredicateRegistry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Native predicates of the multimodal RoPE patterns: structural facts about index constants and
 * broadcasts that a pattern cannot state with shapes and literals alone. Found by {@link java.util.ServiceLoader}.
 */
public final class RopePredicates implements PredicateProvider {
    @Override
    public void registerInto(PredicateRegistry r) {
        r.register("StridedIndices", RopePredicates::stridedIndices);
        r.register("FrequencyVector", RopePredicates::frequencyVector);
        r.register("MRopeRows", RopePredicates::mropeRows);
        r.register("NotRotated", RopePredicates::notRotated);
    }

    /** Ops a rotated value passes through on its way to the rotation. */
    private static final Set<String> LAYOUT_OPS = Set.of("Transpose", "Reshape", "Cast", "Identity");

    /**
     * No RoPE reads {@code x} (a graphfuse Rope or MRope, or a RotaryEmbedding of any domain), directly or
     * through layout ops: a QK-norm pattern without RoPE leaves such a norm to the patterns that take the
     * RoPE as well, which sweep later (they are anchored at the RoPE).
     */
    private static String notRotated(List<Object> args) {
        Value x = PredicateArgs.value(args.get(0));
        ArrayDeque<Value> work = new ArrayDeque<>(List.of(x));
        Set<Value> seen = new HashSet<>();
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (!seen.add(v)) {
                continue;
            }
            for (Node u : v.users()) {
                boolean rope = u.opType().equals("RotaryEmbedding")
                        || u.domain().equals("graphfuse") && (u.opType().equals("Rope") || u.opType().equals("MRope"));
                if (rope) {
                    return "'" + x.name() + "' is rotated by node " + u.name() + " (" + u.qualifiedOpType() + ")";
                }
                if (u.domain().isEmpty() && LAYOUT_OPS.contains(u.opType())) {
                    u.outputs().stream().filter(Objects::nonNull).forEach(work::push);
                }
            }
        }
        return null;
    }

    /**
     * {@code idx} is a constant [n, 1] or [n] listing start, start + step, … below min(end, size)
     * (every one of them, in order): the rows a ScatterND writes are exactly those Slice(start, end,
     * step) reads from an axis of {@code size} (Slice clamps end: Qwen3.5's H section reads 1:33:3 of 32).
     */
    private static String stridedIndices(List<Object> args) {
        Value idx = PredicateArgs.value(args.get(0));
        long start = (long) PredicateArgs.number(args.get(1));
        long end = (long) PredicateArgs.number(args.get(2));
        long step = (long) PredicateArgs.number(args.get(3));
        end = Math.min(end, (long) PredicateArgs.number(args.get(4)));
        Constant c = Constant.of(idx);
        double[] v = c == null ? null : c.values();
        if (v == null || !c.isIntegral()) {
            return "'" + idx.name() + "' is not a readable integer constant";
        }
        if (!(c.dims().length == 1 || c.dims().length == 2 && c.dims()[1] == 1)) {
            return "'" + idx.name() + "' has shape " + Arrays.toString(c.dims()) + ", not [n, 1] or [n]";
        }
        long n = step <= 0 || end <= start ? 0 : (end - start + step - 1) / step;
        if (v.length != n) {
            return "'" + idx.name() + "' has " + v.length + " indices, not the " + n + " of " + start + ":" + end + ":" + step;
        }
        for (int i = 0; i < v.length; i++) {
            if (v[i] != start + i * step) {
                return "'" + idx.name() + "' index " + i + " is " + (long) v[i] + ", not " + (start + i * step);
            }
        }
        return null;
    }

    /**
     * {@code f} holds one vector of {@code half} frequencies: exactly {@code half} elements (any shape:
     * [half], [1, 1, half, 1]), or a constant [..., half, 1] or [..., half] that repeats the vector in
     * every leading slice (an exporter's folded {@code inv_freq.expand(3, B, -1, 1)}). Either way its
     * first {@code half} elements are the frequencies.
     */
    private static String frequencyVector(List<Object> args) {
        Value f = PredicateArgs.value(args.get(0));
        long half = (long) PredicateArgs.number(args.get(1));
        Constant c = Constant.of(f);
        Shape s = c != null ? Shape.of(c.dims()) : f.shape();
        if (s == null || !s.isStatic()) {
            return "'" + f.name() + "' has no static shape";
        }
        long count = s.elementCount();
        if (count == half) {
            return null;
        }
        long[] dims = s.staticSizes();
        int r = dims.length;
        boolean column = r >= 2 && dims[r - 1] == 1 && dims[r - 2] == half;
        if (!(column || r >= 1 && dims[r - 1] == half) || half == 0 || count % half != 0) {
            return "'" + f.name() + "' of shape " + s + " is not " + half + " frequencies";
        }
        double[] v = c == null ? null : c.values();
        if (v == null) {
            return "'" + f.name() + "' repeats " + half + " frequencies only if it is a readable constant";
        }
        for (int i = (int) half; i < v.length; i++) {
            if (v[i] != v[(int) (i % half)]) {
                return "'" + f.name() + "' holds different frequency vectors (element " + i + ")";
            }
        }
        return null;
    }

    /**
     * {@code rows} (what a RoPE multiplies by) is {@code table} [*P, n] broadcast over the heads of
     * {@code rotated}: rotated is a [*P, H, D] tensor transposed by {@code perm} (a list; the identity
     * when empty), and rows is the table with a unit axis where perm put the heads, its other axes the
     * token axes P in order (perm keeps them in order). Then token p of every head uses table row p.
     */
    private static String mropeRows(List<Object> args) {
        Value rows = PredicateArgs.value(args.get(0));
        Value table = PredicateArgs.value(args.get(1));
        Value rotated = PredicateArgs.value(args.get(2));
        long[] perm = PredicateArgs.longs(args.get(3));
        Shape rs = rows.shape();
        Shape ts = table.shape();
        Shape xs = rotated.shape();
        if (rs == null || ts == null || xs == null || !rs.hasRank() || !ts.hasRank() || !xs.hasRank()) {
            return "the ranks of '" + rows.name() + "', '" + table.name() + "' and '" + rotated.name() + "' are not all known";
        }
        int r = xs.rank();
        if (ts.rank() + 1 != r || rs.rank() != r) {
            return "'" + rotated.name() + "' (rank " + r + ") is not [tokens of '" + table.name() + "' (rank " + ts.rank()
                    + "), heads, head_dim] with rows '" + rows.name() + "' of the same rank (" + rs.rank() + ")";
        }
        if (perm == null || perm.length == 0) {
            perm = new long[r];
            for (int i = 0; i < r; i++) {
                perm[i] = i;
            }
        }
        if (perm.length != r || perm[r - 1] != r - 1) {
            return "perm " + Arrays.toString(perm) + " does not keep the last axis of rank " + r;
        }
        // rotated axis i is axis perm[i] of the [*P, H, D] tensor: heads are perm[i] == r - 2
        long previous = -1;
        int tableAxis = 0;
        for (int i = 0; i < r - 1; i++) {
            Dim rowDim = rs.dim(i);
            if (perm[i] == r - 2) {
                if (!(rowDim instanceof Dim.Fixed f && f.size() == 1)) {
                    return "'" + rows.name() + "' axis " + i + " is " + rowDim + ", not the unit heads axis";
                }
                continue;
            }
            if (perm[i] < previous) {
                return "perm " + Arrays.toString(perm) + " reorders the token axes";
            }
            previous = perm[i];
            Dim tokenDim = ts.dim(tableAxis++);
            if (!known(rowDim) || !rowDim.equals(tokenDim) || !rowDim.equals(xs.dim(i))) {
                return "'" + rows.name() + "' axis " + i + " (" + rowDim + ") is not token axis " + (tableAxis - 1)
                        + " of '" + table.name() + "' (" + tokenDim + ") and of '" + rotated.name() + "' (" + xs.dim(i) + ")";
            }
        }
        return null;
    }

    private static boolean known(Dim d) {
        return !(d instanceof Dim.Unknown);
    }
}
