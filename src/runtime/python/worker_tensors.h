#pragma once
// The tensors that go to a worker and come back: request inputs put in the schema's column
// order and datatypes, the input example (MLflow's split-orient JSON) as columns, and output
// specs derived from a warm-up prediction.

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::runtime::python {

// Copies `inputs` to `out` in the order of schema.inputs (request order when the schema has
// none), converting numeric and BOOL tensors to the schema's numeric datatype as MLflow
// accepts (int to double, ...). kInvalidArgument naming a missing input.
absl::Status PrepareInputs(const ModelSchema& schema, const std::vector<Tensor>& inputs,
                           std::vector<Tensor>& out);

// Dim 0 of the first input (0 without inputs or for a scalar).
int64_t BatchRows(const std::vector<Tensor>& inputs);

// True when every input is one column (rank 1), as an MLflow column-based signature becomes;
// also true without inputs (no signature: the request's columns). Such a model gets a
// pandas DataFrame; otherwise an ndarray (one input) or a dict of them (tensor signature).
bool IsColumnSchema(const ModelSchema& schema);

// Reads an MLflow split-orient input example ({"columns": [...], "data": [[...], ...]}) into
// one rank-1 tensor per column: the schema input's datatype when the column is in the
// schema, else inferred (all integers: INT64, numbers: FP64, booleans: BOOL, else BYTES).
// kInvalidArgument naming the example and what is wrong.
absl::StatusOr<std::vector<Tensor>> ReadInputExample(std::string_view json,
                                                     const ModelSchema& schema);

// Output specs from what the warm-up returned: name, datatype, shape with dim 0 free.
std::vector<TensorSpec> OutputSpecs(const std::vector<Tensor>& outputs);

}  // namespace ferry::runtime::python
