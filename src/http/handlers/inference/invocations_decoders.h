#pragma once
// The /invocations decoders behind DecodeInvocationsJson / DecodeInvocationsCsv, one per kind
// of model schema. Internal to invocations_codec.cc; errors as scoring_errors.h describes.

#include <string>
#include <vector>

#include "common/status.h"
#include "core/model_schema.h"
#include "core/tensor.h"
#include "http/handlers/inference/cell_cast.h"
#include "http/handlers/inference/scoring_table.h"

namespace ferry::http {

// An MLflow column-based signature: one [-1] input per column, each typed by MLflow's rules
// (cell_cast.h). Missing required columns are INVALID_PARAMETER_VALUE naming them all;
// extra columns are ignored; absent optional columns give no tensor.
absl::StatusOr<std::vector<Tensor>> DecodeColumns(const ScoringTable& table,
                                                  const ModelSchema& schema);
// No signature: every column of the request, typed as pandas infers it (integers INT64,
// other numbers FP64 with null as NaN, booleans BOOL, strings BYTES).
absl::StatusOr<std::vector<Tensor>> DecodeUntyped(const ScoringTable& table);
// Ferry's tabular families: one [-1, F] input whose F columns are matched by name (or by
// position for plain rows), an FP64 matrix.
absl::StatusOr<std::vector<Tensor>> DecodeTabular(const ScoringTable& table,
                                                  const ModelSchema& schema);
// A tensor-based signature: each input stacked from its values, checked against the spec's
// shape, cast to its datatype.
absl::StatusOr<std::vector<Tensor>> DecodeTensors(const ScoringTable& table,
                                                  const ModelSchema& schema);

// The status for a cell that failed to cast, in the wording of MLflow's column decoding
// (`columns` true) or tensor decoding, or of its CSV reader.
absl::Status ColumnCellError(const ScoringTable& table, const ModelSchema& schema,
                             std::string_view column, const TensorSpec& spec, int64_t row,
                             const CellError& e);
absl::Status TensorCellError(const ModelSchema& schema, const TensorSpec& spec, const CellError& e);
// INVALID_PARAMETER_VALUE "... Model is missing inputs ['a', 'b']." for the required inputs of
// `schema` that `table` lacks; OK when none is missing.
absl::Status CheckMissing(const ScoringTable& table, const ModelSchema& schema, bool columns);

}  // namespace ferry::http
