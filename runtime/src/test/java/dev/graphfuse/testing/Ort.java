package dev.graphfuse.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.graphfuse.ir.ElementType;
import dev.graphfuse.ir.Tensor;
import dev.graphfuse.runtime.dispatch.OrtTypes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs a model file in stock ONNX Runtime (CPU, one thread) and returns outputs as IR tensors. */
public final class Ort {
    private Ort() {
    }

    public static Map<String, Tensor> run(Path model, Map<String, Tensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            // ORT's warnings (unused initializers, CastLike not folded) would bury the build's own output
            opts.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toString(), opts)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                        feed.put(e.getKey(), toOrt(env, e.getValue()));
                    }
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    try (OrtSession.Result r = session.run(feed)) {
                        for (Map.Entry<String, OnnxValue> e : r) {
                            out.put(e.getKey(), fromOrt(e.getKey(), (OnnxTensor) e.getValue()));
                        }
                    }
                    return out;
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        ByteBuffer src = t.bytes();
        ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
        direct.put(src.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        direct.flip();
        return OnnxTensor.createTensor(env, direct, t.dims(), OrtTypes.javaType(t.elementType()));
    }

    private static Tensor fromOrt(String name, OnnxTensor t) {
        ByteBuffer b = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        ElementType type = OrtTypes.elementOf(t);
        return Tensor.of(name, type, t.getInfo().getShape(), bytes);
    }
}
