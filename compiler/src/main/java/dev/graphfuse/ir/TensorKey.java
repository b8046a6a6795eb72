package dev.graphfuse.ir;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** A tensor's meaning: element type, dims and data; its name, doc and metadata do not matter. */
public record TensorKey(ElementType type, List<Long> dims, Object content) {
    public static TensorKey of(Tensor t) {
        Object content = t.data() instanceof TensorData.Strings s
                ? s.values().stream().map(ByteBuffer::wrap).toList() : t.bytes();
        long[] dims = t.dims();
        List<Long> boxed = new ArrayList<>(dims.length);
        for (long d : dims) {
            boxed.add(d);
        }
        return new TensorKey(t.elementType(), boxed, content);
    }
}
