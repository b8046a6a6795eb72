package dev.graphfuse.runtime.dispatch;

import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor the executor passes between ONNX Runtime regions and fused kernels: element type, shape and
 * a direct little-endian buffer. ORT reads the buffer in place (no copy into a session) and the
 * kernels see it as a native memory segment.
 */
public record HostTensor(ElementType type, long[] shape, ByteBuffer data) {

    public HostTensor {
        shape = shape.clone();
        if (!data.isDirect()) {
            throw new IllegalArgumentException("host tensors live in direct buffers");
        }
    }

    public static HostTensor allocate(ElementType type, long[] shape) {
        long bytes = type.storageBytes(count(shape));
        return new HostTensor(type, shape, ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN));
    }

    public static HostTensor of(Tensor t) {
        ByteBuffer src = t.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(src).flip();
        return new HostTensor(t.elementType(), t.dims(), direct);
    }

    public Tensor toTensor(String name) {
        byte[] bytes = new byte[data.capacity()];
        data.duplicate().clear().get(bytes);
        return Tensor.of(name, type, shape, bytes);
    }

    public MemorySegment segment() {
        return MemorySegment.ofBuffer(data);
    }

    public long count() {
        return count(shape);
    }

    public int rank() {
        return shape.length;
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return type.shortName() + Arrays.toString(shape);
    }
}
