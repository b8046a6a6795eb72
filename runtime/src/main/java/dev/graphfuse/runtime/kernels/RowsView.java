package dev.graphfuse.runtime.kernels;

import java.lang.foreign.MemorySegment;

/** Rows of a 2-D view: row r starts at element {@code offset + r·rowStride}; each row is contiguous. */
public record RowsView(MemorySegment data, long offset, long rowStride) {

    public static RowsView contiguous(MemorySegment data, long width) {
        return new RowsView(data, 0, width);
    }

    long at(long row) {
        return offset + row * rowStride;
    }
}
