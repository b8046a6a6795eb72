package dev.graphfuse.ir;

/** One dimension of a tensor shape: a known size, a symbolic name, or unknown. */
public sealed interface Dim {
    /** A dimension with a known size. */
    record Fixed(long size) implements Dim {
        @Override
        public String toString() {
            return Long.toString(size);
        }
    }

    /** A dimension named by a symbol; equal symbols in one graph denote equal sizes. */
    record Symbolic(String name) implements Dim {
        public Symbolic {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("symbolic dimension needs a name");
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A dimension about which nothing is known. */
    record Unknown() implements Dim {
        @Override
        public String toString() {
            return "?";
        }
    }

    Dim UNKNOWN = new Unknown();

    static Dim of(long size) {
        return FixedDims.of(size);
    }

    static Dim of(String symbol) {
        return new Symbolic(symbol);
    }
}
