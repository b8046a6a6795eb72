// The part of ONNX Runtime's C API this library uses, declared here from ORT's published ABI (the
// OrtApi function table, the OrtCustomOp struct and the enums are append-only, stable ABI since 1.0).
// Written for graphfuse; ORT's own header is not included or copied. Slot numbers are positions in the
// OrtApi table (0-based) with the API version that added each; every one was checked against ORT 1.28.0.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct OrtApi;
struct OrtStatus;
struct OrtSessionOptions;
struct OrtCustomOpDomain;
struct OrtKernelInfo;
struct OrtKernelContext;
struct OrtValue;
struct OrtTypeInfo;
struct OrtTensorTypeAndShapeInfo;
struct OrtShapeInferContext;
struct OrtOpAttr;
// used only by the host-side tool (bench/ort_bench.cpp)
struct OrtEnv;
struct OrtSession;
struct OrtMemoryInfo;
struct OrtIoBinding;
struct OrtRunOptions;
struct OrtAllocator;
struct OrtCUDAProviderOptionsV2;

struct OrtApiBase {
    const OrtApi* (*GetApi)(uint32_t version); // NULL when the runtime is older than version
    const char* (*GetVersionString)(void);
};

enum OrtErrorCode : int { ORT_OK = 0, ORT_FAIL = 1, ORT_INVALID_ARGUMENT = 2, ORT_NOT_IMPLEMENTED = 9 };

// ONNX TensorProto.DataType numbers.
enum ONNXTensorElementDataType : int {
    ONNX_TYPE_UNDEFINED = 0,
    ONNX_TYPE_FLOAT = 1,
    ONNX_TYPE_INT32 = 6,
    ONNX_TYPE_INT64 = 7,
    ONNX_TYPE_FLOAT16 = 10,
    ONNX_TYPE_BFLOAT16 = 16,
};

enum OrtCustomOpInputOutputCharacteristic : int { ORT_IO_REQUIRED = 0, ORT_IO_OPTIONAL = 1, ORT_IO_VARIADIC = 2 };
enum OrtMemType : int { ORT_MEM_DEFAULT = 0 };
enum OrtOpAttrType : int { ORT_ATTR_INT = 1, ORT_ATTR_INTS = 2, ORT_ATTR_FLOAT = 3, ORT_ATTR_STRING = 5 };

// One custom op, as ORT reads it: members after `version` are read only when version is at least the
// API version that added them (CreateKernelV2 / KernelComputeV2: 16; InferOutputShapeFn: 17).
struct OrtCustomOp {
    uint32_t version;
    void* (*CreateKernel)(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info);
    const char* (*GetName)(const OrtCustomOp* op);
    const char* (*GetExecutionProviderType)(const OrtCustomOp* op); // NULL: the CPU EP
    ONNXTensorElementDataType (*GetInputType)(const OrtCustomOp* op, size_t index);
    size_t (*GetInputTypeCount)(const OrtCustomOp* op);
    ONNXTensorElementDataType (*GetOutputType)(const OrtCustomOp* op, size_t index);
    size_t (*GetOutputTypeCount)(const OrtCustomOp* op);
    void (*KernelCompute)(void* kernel, OrtKernelContext* context);
    void (*KernelDestroy)(void* kernel);
    OrtCustomOpInputOutputCharacteristic (*GetInputCharacteristic)(const OrtCustomOp* op, size_t index);
    OrtCustomOpInputOutputCharacteristic (*GetOutputCharacteristic)(const OrtCustomOp* op, size_t index);
    OrtMemType (*GetInputMemoryType)(const OrtCustomOp* op, size_t index);
    int (*GetVariadicInputMinArity)(const OrtCustomOp* op);
    int (*GetVariadicInputHomogeneity)(const OrtCustomOp* op);
    int (*GetVariadicOutputMinArity)(const OrtCustomOp* op);
    int (*GetVariadicOutputHomogeneity)(const OrtCustomOp* op);
    OrtStatus* (*CreateKernelV2)(const OrtCustomOp* op, const OrtApi* api, const OrtKernelInfo* info, void** kernel);
    OrtStatus* (*KernelComputeV2)(void* kernel, OrtKernelContext* context);
    OrtStatus* (*InferOutputShapeFn)(const OrtCustomOp* op, OrtShapeInferContext* context);
    int (*GetStartVersion)(const OrtCustomOp* op);
    int (*GetEndVersion)(const OrtCustomOp* op);
    size_t (*GetMayInplace)(int** input_index, int** output_index);
    void (*ReleaseMayInplace)(int* input_index, int* output_index);
    size_t (*GetAliasMap)(int** input_index, int** output_index);
    void (*ReleaseAliasMap)(int* input_index, int* output_index);
};

} // extern "C"

namespace gf::ort {

// The API version this library asks for: the newest member it uses (shape inference, ReadOpAttr) came in
// 17, so it loads into ORT 1.17 and every later release.
constexpr uint32_t kApiVersion = 17;

// Positions in the OrtApi table.
enum Slot : size_t {
    kCreateStatus = 0,
    kGetErrorCode = 1,
    kGetErrorMessage = 2,
    kCreateCustomOpDomain = 26,
    kCustomOpDomain_Add = 27,
    kAddCustomOpDomain = 28,
    kGetTensorMutableData = 51,
    kCastTypeInfoToTensorInfo = 55,
    kCreateTensorTypeAndShapeInfo = 57,
    kSetTensorElementType = 58,
    kSetDimensions = 59,
    kGetTensorElementType = 60,
    kGetDimensionsCount = 61,
    kGetDimensions = 62,
    kGetSymbolicDimensions = 63,
    kGetTensorTypeAndShape = 65,
    kKernelInfoGetAttribute_float = 85,
    kKernelInfoGetAttribute_int64 = 86,
    kKernelInfoGetAttribute_string = 87,
    kKernelContext_GetInputCount = 88,
    kKernelContext_GetOutputCount = 89,
    kKernelContext_GetInput = 90,
    kKernelContext_GetOutput = 91,
    kReleaseStatus = 93,
    kReleaseTypeInfo = 98,
    kReleaseTensorTypeAndShapeInfo = 99,
    kKernelInfoGetAttributeArray_int64 = 163,
    kKernelContext_GetGPUComputeStream = 193,
    kKernelInfo_GetInputCount = 230,
    kKernelInfo_GetInputTypeInfo = 234,
    kKernelInfo_GetOutputTypeInfo = 235,
    kKernelInfo_GetNodeName = 244,
    kShapeInferContext_GetInputCount = 267,
    kShapeInferContext_GetInputTypeShape = 268,
    kShapeInferContext_GetAttribute = 269,
    kShapeInferContext_SetOutputTypeShape = 270,
    kSetSymbolicDimensions = 271,
    kReadOpAttr = 272,
    kKernelContext_ParallelFor = 274,

    // The host side: sessions, IO binding, the CUDA provider's options. Used by the bench tool, which
    // drives ORT itself rather than being driven by it; all of them predate API version 17.
    kCreateEnv = 3,
    kCreateSession = 7,
    kCreateSessionOptions = 10,
    kEnableProfiling = 14,
    kSetSessionLogSeverityLevel = 22,
    kSetSessionGraphOptimizationLevel = 23,
    kSessionGetInputCount = 30,
    kSessionGetOutputCount = 31,
    kSessionGetInputTypeInfo = 33,
    kSessionGetOutputTypeInfo = 34,
    kSessionGetInputName = 36,
    kSessionGetOutputName = 37,
    kCreateRunOptions = 39,
    kCreateTensorWithDataAsOrtValue = 49,
    kCreateMemoryInfo = 68,
    kAllocatorFree = 76,
    kGetAllocatorWithDefaultOptions = 78,
    kReleaseEnv = 92,
    kReleaseMemoryInfo = 94,
    kReleaseSession = 95,
    kReleaseValue = 96,
    kReleaseRunOptions = 97,
    kReleaseSessionOptions = 100,
    kSessionEndProfiling = 110,
    kAddFreeDimensionOverrideByName = 124,
    kRunWithBinding = 133,
    kCreateIoBinding = 134,
    kReleaseIoBinding = 135,
    kBindInput = 136,
    kBindOutput = 137,
    kBindOutputToDevice = 138,
    kGetBoundOutputValues = 140,
    kClearBoundOutputs = 142,
    kSessionOptionsAppendExecutionProvider_CUDA_V2 = 204,
    kCreateCUDAProviderOptions = 205,
    kUpdateCUDAProviderOptions = 206,
    kReleaseCUDAProviderOptions = 208,
    kRegisterCustomOpsLibrary_V2 = 228,
};

} // namespace gf::ort
