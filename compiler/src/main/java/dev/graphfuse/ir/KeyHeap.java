package dev.graphfuse.ir;

import java.util.Arrays;

/**
 * A binary min-heap of node indices ordered by {@code keys[i]}, ties by index: the order
 * {@link GraphViews#topologicalOrder} picks ready nodes in, without boxing an index per node.
 */
final class KeyHeap {
    private final String[] keys;
    private int[] heap = new int[64];
    private int size;

    KeyHeap(String[] keys) {
        this.keys = keys;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(int i) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int at = size++;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!less(i, heap[parent])) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = i;
    }

    int poll() {
        int top = heap[0];
        int last = heap[--size];
        int at = 0;
        int half = size >>> 1;
        while (at < half) {
            int child = 2 * at + 1;
            if (child + 1 < size && less(heap[child + 1], heap[child])) {
                child++;
            }
            if (!less(heap[child], last)) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = last;
        return top;
    }

    private boolean less(int a, int b) {
        int c = keys[a].compareTo(keys[b]);
        return c != 0 ? c < 0 : a < b;
    }
}
