package dev.graphfuse.match;

import dev.graphfuse.ir.Node;
import dev.graphfuse.ir.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The search state of one {@link Matcher} at one anchor, shared by the checks it delegates to: slot
 * bindings with an undo trail, the nodes matched so far, and the deepest failure. Reused per anchor,
 * so matching allocates nothing per step but what a failure's reason captures.
 *
 * @param <P> the matcher's plan type (see {@link Match#plan()})
 */
final class MatchState<P> {
    final Object[] slots;
    private final int[] trail;
    private int trailSize;
    final ArrayList<Node> nodes = new ArrayList<>();
    final Map<Node, Integer> nodeCounts = new IdentityHashMap<>();
    final ArrayList<Node> sharedNodes = new ArrayList<>();
    final ArrayList<Value> rootValues = new ArrayList<>();
    private MatchFailure<P> best;
    private Node anchor;
    /** Every op has matched: a failure now got further than any structural mismatch, so explain reports it. */
    boolean finishing;

    MatchState(int slotCount) {
        this.slots = new Object[slotCount];
        this.trail = new int[slotCount * 4 + 16];
    }

    void reset(Node anchor) {
        this.anchor = anchor;
        Arrays.fill(slots, null);
        trailSize = 0;
        nodes.clear();
        nodeCounts.clear();
        sharedNodes.clear();
        rootValues.clear();
        best = null;
        finishing = false;
    }

    Node anchor() {
        return anchor;
    }

    /** The deepest failure recorded at this anchor, or null. */
    MatchFailure<P> best() {
        return best;
    }

    /** Records a failure (kept when it got further than the deepest so far); returns false to backtrack. */
    boolean fail(FailureKind kind, Supplier<String> reason) {
        return fail(kind, kind.label(), reason);
    }

    boolean fail(FailureKind kind, String label, Supplier<String> reason) {
        int progress = nodes.size() + (finishing ? 1 : 0);
        if (best == null || progress > best.progress()) {
            best = new MatchFailure<>(anchor, kind, label, progress, finishing, reason);
        }
        return false;
    }

    int mark() {
        return trailSize;
    }

    void bind(int slot, Object value) {
        slots[slot] = value;
        trail[trailSize++] = slot;
    }

    /** Unbinds every slot bound since {@code mark}. */
    void undo(int mark) {
        while (trailSize > mark) {
            slots[trail[--trailSize]] = null;
        }
    }
}
