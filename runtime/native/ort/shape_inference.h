// ORT's InferOutputShapeFn for the graphfuse ops: output element types (the first input's; fp32 for
// MRopeCosSin; the norms' left to the graph) and shapes with their symbolic dims.
#pragma once

#include "op_contract.h"
#include "ort_api.h"

namespace gf::ort {

OrtStatus* infer_output_shapes(const Api& api, const OpDecl& d, OrtShapeInferContext* ctx);

} // namespace gf::ort
