#pragma once
// An MLflow model signature (the JSON strings under MLmodel's `signature:`) as Ferry tensor
// specs, by the schema contract of docs/SERVING.md:
// - column-based ([{"type": "double", "name": "x", "required": true}, ...]): one spec per
//   column, name = column name (its position "0", "1", ... when unnamed), shape [-1];
//   double -> FP64, float -> FP32, long -> INT64, integer -> INT32, boolean -> BOOL,
//   string and binary -> BYTES. Floating columns allow NaN (pandas' missing value).
//   datetime and the complex types (array, object, map) are refused.
// - tensor-based ([{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]},
//   "name": "x"?}]): one spec per tensor, name as given or `unnamed` when absent, numpy
//   dtype -> DataType, shape as given.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"

namespace ferry::runtime::mlflow {

// Parses one side of a signature. `field` names it in errors ("signature.inputs"), e.g.
// `signature.inputs[2].type: "datetime" columns cannot be served (...)`. An empty or
// "null" text gives no specs. `unnamed` names a tensor spec without a name ("input" for
// inputs, "output" for outputs).
absl::StatusOr<std::vector<TensorSpec>> ParseSignatureSide(std::string_view json,
                                                           std::string_view field,
                                                           std::string_view unnamed);

}  // namespace ferry::runtime::mlflow
