package dev.graphfuse.ir;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A value's uses in attach order. A constant shared by every layer has thousands of uses, which
 * passes remove one at a time: a removal leaves a hole instead of shifting the rest down, holes are
 * squeezed out by later additions and removals once they are half the array, and for long lists
 * the search compares an array of the user nodes rather than reading each scattered {@link Use}.
 * Readers see exactly the list an {@code ArrayList} would hold.
 */
final class UseList {
    /** From this many uses on, the user nodes are mirrored for the search. */
    private static final int MIRROR_FROM = 32;
    private static final Use[] NONE = new Use[0];

    private Use[] uses = NONE;
    /** The node of each entry of {@code uses} (null for a hole), once the list has been long; else null. */
    private Node[] nodes;
    private int end;
    private int holes;

    int size() {
        return end - holes;
    }

    void add(Use use) {
        if (end == uses.length) {
            if (holes > 0) {
                compact();
            } else {
                int capacity = Math.max(2, uses.length * 2);
                uses = Arrays.copyOf(uses, capacity);
                if (nodes != null) {
                    nodes = Arrays.copyOf(nodes, capacity);
                }
            }
        }
        uses[end] = use;
        if (nodes != null) {
            nodes[end] = use.node();
        }
        end++;
    }

    /** Removes the use by input {@code index} of {@code node}; false when there is none. */
    boolean remove(Node node, int index) {
        if (nodes == null && end > MIRROR_FROM) {
            nodes = new Node[uses.length];
            for (int i = 0; i < end; i++) {
                nodes[i] = uses[i] == null ? null : uses[i].node();
            }
        }
        for (int i = 0; i < end; i++) {
            Use u = uses[i];
            if (u != null && (nodes != null ? nodes[i] == node : u.node() == node) && u.inputIndex() == index) {
                uses[i] = null;
                if (nodes != null) {
                    nodes[i] = null;
                }
                holes++;
                while (end > 0 && uses[end - 1] == null) {
                    end--;
                    holes--;
                }
                // Short lists close the hole at once (as cheap as a shift), so only long ones ever have holes.
                if (holes > 0 && (end <= MIRROR_FROM || holes > 16 && holes * 2 > end)) {
                    compact();
                }
                return true;
            }
        }
        return false;
    }

    private void compact() {
        int to = 0;
        for (int i = 0; i < end; i++) {
            if (uses[i] != null) {
                uses[to] = uses[i];
                if (nodes != null) {
                    nodes[to] = nodes[i];
                }
                to++;
            }
        }
        Arrays.fill(uses, to, end, null);
        if (nodes != null) {
            Arrays.fill(nodes, to, end, null);
        }
        end = to;
        holes = 0;
    }

    /** A live, read-only view. Reading never tidies the list, so readers may share a graph as before. */
    List<Use> view() {
        return new View();
    }

    private final class View extends AbstractList<Use> {
        @Override
        public Use get(int i) {
            if (i >= 0 && holes == 0 && i < end) {
                return uses[i];
            }
            int live = -1;
            for (int k = 0; k < end && i >= 0; k++) {
                if (uses[k] != null && ++live == i) {
                    return uses[k];
                }
            }
            throw new IndexOutOfBoundsException("index " + i + ", size " + size());
        }

        @Override
        public int size() {
            return UseList.this.size();
        }

        @Override
        public Iterator<Use> iterator() {
            return new Iterator<>() {
                private int at = skipHoles(0);
                private final int expectedEnd = end;
                private final int expectedHoles = holes;

                @Override
                public boolean hasNext() {
                    return at < end;
                }

                @Override
                public Use next() {
                    if (end != expectedEnd || holes != expectedHoles) {
                        throw new ConcurrentModificationException();
                    }
                    if (at >= end) {
                        throw new NoSuchElementException();
                    }
                    Use u = uses[at];
                    at = skipHoles(at + 1);
                    return u;
                }
            };
        }

        private int skipHoles(int from) {
            int i = from;
            while (i < end && uses[i] == null) {
                i++;
            }
            return i;
        }
    }
}
