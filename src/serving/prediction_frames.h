#pragma once
// A prediction as table rows, for live monitoring: the request's input tensors become a Frame
// whose columns carry the model schema's input column names, and the outputs a Frame of
// prediction columns.
//
// Inputs: a 2-D input [N, F] gives F columns, named by its spec's `columns` (or
// "<input>_<j>" when it has none); a 1-D input [N] or a 2-D [N, 1] without column names gives
// one column named after the input (one tensor per column). BYTES become text columns, BOOL
// 0/1, every other type a double.
// Outputs: [N] or [N, 1] become one column named after the output ("predictions"); [N, K]
// become K columns "<output>_<column>" (the spec's column names, e.g. a class, or k).
//
// Anything else (a scalar, 3 or more dimensions, tensors of different batch sizes, data
// shorter than the shape) is kInvalidArgument naming the tensor; callers count and skip it.

#include <string>
#include <vector>

#include "common/status.h"
#include "core/frame.h"
#include "core/model_schema.h"
#include "core/tensor.h"

namespace ferry::serving {

struct PredictionFrames {
  Frame inputs;
  Frame predictions;
};

// The input column names PredictionToFrames gives for requests that fit `schema` (a free
// width, -1, contributes nothing).
std::vector<std::string> SchemaInputColumns(const ModelSchema& schema);

// The same into `out`, reusing its columns' buffers (a caller converting record after record
// keeps one PredictionFrames and allocates almost nothing). On error `out` is unspecified.
absl::Status PredictionToFrames(const ModelSchema& schema, const std::vector<Tensor>& inputs,
                                const std::vector<Tensor>& outputs, PredictionFrames& out);

absl::StatusOr<PredictionFrames> PredictionToFrames(const ModelSchema& schema,
                                                    const std::vector<Tensor>& inputs,
                                                    const std::vector<Tensor>& outputs);

}  // namespace ferry::serving
