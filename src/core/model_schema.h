#pragma once
// A model's inputs and outputs, as stored in its package and checked on every request.
//
// Tabular families (linear, logistic, xgboost) take one 2-D input, shape [-1, F], whose
// `columns` name the F features in order; scoring protocols that send named columns
// (MLflow's dataframe_split / dataframe_records) are mapped onto it by name.
//
// MLflow models: a column-based signature is one input per column, shape [-1], with MLflow's
// type (double FP64, float FP32, long INT64, integer INT32, boolean BOOL, string/binary
// BYTES) and `required` false for its optional columns; a tensor-based signature is one input
// per tensor spec. A model without a signature has no inputs: its requests pass through as
// the columns they carry.

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/tensor.h"

namespace ferry {

struct TensorSpec {
  std::string name;
  DataType datatype = DataType::kFp64;
  std::vector<int64_t> shape;        // -1 marks a free dimension (the batch is dim 0)
  std::vector<std::string> columns;  // names along the last dimension (tabular inputs)
  bool allow_nan = false;            // floating inputs: may a value be NaN?
  bool required = true;              // MLflow's optional columns: a request may leave it out
};

struct ModelSchema {
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;

  // The input named `name`, or nullptr.
  const TensorSpec* FindInput(std::string_view name) const;
};

// Checks one request tensor against its spec. kInvalidArgument with a message that names the
// input and the reason, e.g. `input "x": expected shape [-1,30], got [1,29]`,
// `input "x": datatype BYTES not accepted, expected FP64 (or another numeric type)`,
// `input "x": NaN at element 4`. A numeric spec accepts every numeric datatype and BOOL
// (callers convert); a BYTES spec accepts only BYTES.
absl::Status CheckTensor(const TensorSpec& spec, const Tensor& t);

// Checks a whole request: every required schema input present exactly once, no unknown
// inputs, each tensor valid, and the same batch size (dim 0) across inputs. A schema without
// inputs (an MLflow model without a signature) takes any inputs with a common batch size. Same
// error style, plus `missing input "x"`, `unknown input "y"`, `input "y": batch size 3 differs from
// 5`.
absl::Status CheckInputs(const ModelSchema& schema, const std::vector<Tensor>& inputs);

}  // namespace ferry
