package dev.graphfuse.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tensor shape: an ordered list of dims, or an unknown rank. A rank-0 shape is a scalar, which is
 * different from a shape of unknown rank.
 */
public final class Shape {
    public static final Shape UNKNOWN_RANK = new Shape(null);
    public static final Shape SCALAR = new Shape(List.of());

    private final List<Dim> dims;

    private Shape(List<Dim> dims) {
        this.dims = dims == null ? null : List.copyOf(dims);
    }

    public static Shape of(List<Dim> dims) {
        return new Shape(Objects.requireNonNull(dims, "dims is null"));
    }

    public static Shape of(long... sizes) {
        List<Dim> dims = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            dims.add(Dim.of(s));
        }
        return new Shape(dims);
    }

    public boolean hasRank() {
        return dims != null;
    }

    /** The rank; throws when the rank is unknown. */
    public int rank() {
        if (dims == null) {
            throw new IllegalStateException("rank is unknown");
        }
        return dims.size();
    }

    /** The dims; throws when the rank is unknown. */
    public List<Dim> dims() {
        if (dims == null) {
            throw new IllegalStateException("rank is unknown");
        }
        return dims;
    }

    public Dim dim(int i) {
        return dims().get(i < 0 ? dims.size() + i : i);
    }

    /** True when every dim has a known size. */
    public boolean isStatic() {
        if (dims == null) {
            return false;
        }
        for (int i = 0; i < dims.size(); i++) {
            if (!(dims.get(i) instanceof Dim.Fixed)) {
                return false;
            }
        }
        return true;
    }

    /** The sizes of a static shape (a new array), or null when the shape is not static. */
    public long[] staticSizes() {
        if (dims == null) {
            return null;
        }
        long[] sizes = new long[dims.size()];
        for (int i = 0; i < sizes.length; i++) {
            if (!(dims.get(i) instanceof Dim.Fixed f)) {
                return null;
            }
            sizes[i] = f.size();
        }
        return sizes;
    }

    /** Number of elements; throws when not static. */
    public long elementCount() {
        long n = 1;
        for (Dim d : dims()) {
            if (!(d instanceof Dim.Fixed f)) {
                throw new IllegalStateException("shape " + this + " is not static");
            }
            n = Math.multiplyExact(n, f.size());
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Objects.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(dims);
    }

    @Override
    public String toString() {
        if (dims == null) {
            return "[*]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(dims.get(i));
        }
        return sb.append(']').toString();
    }
}
