#pragma once
// MLflow scoring protocol bodies (`POST /invocations` of `mlflow models serve`): decoding a
// JSON or CSV request into the tensors of a model's schema, and encoding
// {"predictions": ...}. Pure functions, no I/O; fuzzed by tests/fuzz/invocations_fuzz.cc.
//
// JSON bodies carry exactly one of
//   dataframe_split   {"columns": [...], "data": [[...], ...], "index": [...]?}
//   dataframe_records [{"col": v, ...}, ...]
//   instances         a list of rows (lists or scalars) or of {name: value} objects
//   inputs            a list of rows, or {name: [values]} (columnar)
// plus an optional "params" object (validated, then ignored). CSV bodies have a header row.
//
// Mapping onto the schema:
// - Tabular schema (one input of shape [-1, F] with F column names): columns are matched by
//   name (missing column: error naming it; extra columns are ignored, as MLflow's schema
//   enforcement does); positional rows (lists) must have F values. The input becomes an FP64
//   tensor [N, F], row-major; JSON null becomes NaN (the service rejects it unless the
//   schema allows NaN).
// - Any other schema: each input is found by name (a single-input schema also takes plain
//   rows), and its values are stacked along a new first dimension: BYTES inputs take
//   strings, BOOL inputs booleans, integer inputs INT64, floating inputs FP64.
// Errors are kInvalidArgument with a message for the client.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::http {

absl::StatusOr<std::vector<Tensor>> DecodeInvocationsJson(std::string_view body,
                                                          const ModelSchema& schema);
absl::StatusOr<std::vector<Tensor>> DecodeInvocationsCsv(std::string_view body,
                                                         const ModelSchema& schema);

// {"predictions": ...}: one output as a (nested) list following its shape; several outputs
// with the same first dimension as a list of per-row objects {output_name: value}.
std::string EncodePredictions(const std::vector<Tensor>& outputs);

// {"error_code": "...", "message": "..."}
std::string ScoringErrorBody(std::string_view error_code, std::string_view message);

}  // namespace ferry::http
