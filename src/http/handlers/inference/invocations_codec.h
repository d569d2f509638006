#pragma once
// MLflow scoring protocol bodies (`POST /invocations` of `mlflow models serve` 2.12.2):
// decoding a JSON or CSV request into the tensors of a model's schema with MLflow's schema
// enforcement, and encoding {"predictions": ...}. Pure functions, no I/O; fuzzed by
// tests/fuzz/invocations_fuzz.cc; checked against MLflow's own answers in
// tests/data/mlflow-models/errors.json and formats.json.
//
// JSON bodies carry exactly one of
//   dataframe_split   {"columns": [...], "data": [[...], ...], "index": [...]?}
//   dataframe_records [{"col": v, ...}, ...]
//   instances         a list of rows (lists or scalars) or of {name: value} objects
//   inputs            a list of rows, or {name: [values]} (columnar)
// plus an optional "params" object: Ferry reads "predict_method" from it and, like MLflow for
// a model without a params schema, ignores everything else. CSV bodies have a header row.
//
// The schema decides the decoding (invocations_decoders.h):
// - no inputs (an MLflow model without a signature): every column as pandas types it;
// - every input of shape [-1] (an MLflow column-based signature): one tensor per column of
//   the input's own datatype, MLflow's conversions (cell_cast.h), missing required columns
//   named, extra columns ignored, absent optional columns left out;
// - one [-1, F] input with F column names (Ferry's tabular families): an FP64 [N, F] matrix,
//   columns matched by name, or by position for rows without names; null is NaN (the
//   service rejects it unless the schema allows NaN);
// - otherwise (an MLflow tensor-based signature): each input found by name (a single input
//   also takes plain rows, or every column of a DataFrame), checked against its shape.
// Errors are kInvalidArgument; ScoringErrorCode() (scoring_errors.h) gives MLflow's
// error_code for each (BAD_REQUEST or INVALID_PARAMETER_VALUE).

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::http {

// What a request's "params" ask of Ferry.
struct ScoringParams {
  // "predict" (the default: a classifier's labels) or "predict_proba" (its probabilities).
  std::string predict_method = "predict";
};

// `params` (optional) receives the request's "params".
absl::StatusOr<std::vector<Tensor>> DecodeInvocationsJson(std::string_view body,
                                                          const ModelSchema& schema,
                                                          ScoringParams* params = nullptr);
absl::StatusOr<std::vector<Tensor>> DecodeInvocationsCsv(std::string_view body,
                                                         const ModelSchema& schema);
// Reads "predict_method" ("predict" or "predict_proba"); INVALID_PARAMETER_VALUE otherwise.
absl::Status ParsePredictMethod(std::string_view value, ScoringParams& params);

// The outputs /invocations answers with, as MLflow's sklearn flavor would: for a model with
// both a "predictions" and a "probabilities" output (Ferry's classifiers), "predictions" for
// predict_method "predict" and "probabilities" for "predict_proba"; every output otherwise.
// INVALID_PARAMETER_VALUE for "predict_proba" when the model gives no probabilities.
absl::StatusOr<std::vector<Tensor>> SelectScoringOutputs(std::vector<Tensor> outputs,
                                                         const ScoringParams& params);

// {"predictions": ...}: one output as a (nested) list following its shape; several outputs
// with the same first dimension as a list of per-row objects {output_name: value} (pandas'
// records, as MLflow answers a DataFrame). Floating values are written as Python writes them
// ("1.0", "1e-05"), so the body is MLflow's byte for byte but for its spaces; NaN and the
// infinities are the strings "NaN", "Infinity", "-Infinity" (MLflow writes bare NaN, which is
// not JSON).
std::string EncodePredictions(const std::vector<Tensor>& outputs);

// {"error_code": "...", "message": "..."}
std::string ScoringErrorBody(std::string_view error_code, std::string_view message);

}  // namespace ferry::http
