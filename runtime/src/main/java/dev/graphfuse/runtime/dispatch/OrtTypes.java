package dev.graphfuse.runtime.dispatch;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import dev.graphfuse.diag.BadInputException;
import dev.graphfuse.ir.ElementType;

/** Element types between the IR and ONNX Runtime Java (which has no tensor type for several ONNX types). */
public final class OrtTypes {
    private OrtTypes() {
    }

    public static OnnxJavaType javaType(ElementType t) {
        return switch (t) {
            case FLOAT -> OnnxJavaType.FLOAT;
            case DOUBLE -> OnnxJavaType.DOUBLE;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT64 -> OnnxJavaType.INT64;
            case INT32 -> OnnxJavaType.INT32;
            case INT16 -> OnnxJavaType.INT16;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new BadInputException("inputs", null, "ONNX Runtime Java has no tensor type for " + t.shortName());
        };
    }

    public static ElementType elementOf(OnnxTensor t) {
        return switch (t.getInfo().onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> ElementType.FLOAT;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> ElementType.FLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> ElementType.BFLOAT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> ElementType.DOUBLE;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> ElementType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> ElementType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> ElementType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> ElementType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> ElementType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> ElementType.BOOL;
            default -> throw new IllegalStateException("unexpected ORT output type " + t.getInfo().onnxType);
        };
    }

}
