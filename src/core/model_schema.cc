#include "core/model_schema.h"

#include <cmath>
#include <set>

namespace ferry {
namespace {

absl::Status InputError(std::string_view name, const std::string& reason) {
  return absl::InvalidArgumentError("input \"" + std::string(name) + "\": " + reason);
}

absl::Status CheckDatatype(const TensorSpec& spec, const Tensor& t) {
  const bool spec_bytes = spec.datatype == DataType::kBytes;
  const bool got_bytes = t.datatype == DataType::kBytes;
  if (spec_bytes == got_bytes) return absl::OkStatus();
  std::string expected(DataTypeName(spec.datatype));
  if (!spec_bytes) expected += " (or another numeric type)";
  return InputError(t.name, "datatype " + std::string(DataTypeName(t.datatype)) +
                                " not accepted, expected " + expected);
}

absl::Status CheckShape(const TensorSpec& spec, const Tensor& t) {
  bool ok = spec.shape.size() == t.shape.size();
  for (size_t i = 0; ok && i < spec.shape.size(); ++i) {
    ok = t.shape[i] >= 0 && (spec.shape[i] == -1 || spec.shape[i] == t.shape[i]);
  }
  if (ok) return absl::OkStatus();
  return InputError(t.name,
                    "expected shape " + ShapeString(spec.shape) + ", got " + ShapeString(t.shape));
}

absl::Status CheckDataSize(const Tensor& t) {
  const int64_t n = t.ElementCount();
  const size_t have = t.datatype == DataType::kBytes ? t.strings.size() : t.data.size();
  const size_t want = t.datatype == DataType::kBytes
                          ? static_cast<size_t>(n)
                          : static_cast<size_t>(n) * DataTypeSize(t.datatype);
  if (have == want) return absl::OkStatus();
  return InputError(t.name, "shape " + ShapeString(t.shape) + " needs " + std::to_string(n) +
                                " elements, data holds a different amount");
}

absl::Status CheckNan(const TensorSpec& spec, const Tensor& t) {
  if (spec.allow_nan || !IsFloating(t.datatype)) return absl::OkStatus();
  const int64_t n = t.ElementCount();
  for (int64_t i = 0; i < n; ++i) {
    if (std::isnan(ElementAsDouble(t, i))) {
      return InputError(t.name, "NaN at element " + std::to_string(i) + " is not allowed");
    }
  }
  return absl::OkStatus();
}

}  // namespace

const TensorSpec* ModelSchema::FindInput(std::string_view name) const {
  for (const TensorSpec& s : inputs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

absl::Status CheckTensor(const TensorSpec& spec, const Tensor& t) {
  RETURN_IF_ERROR(CheckDatatype(spec, t));
  RETURN_IF_ERROR(CheckShape(spec, t));
  RETURN_IF_ERROR(CheckDataSize(t));
  return CheckNan(spec, t);
}

absl::Status CheckInputs(const ModelSchema& schema, const std::vector<Tensor>& inputs) {
  std::set<std::string_view> seen;
  int64_t batch = -1;
  std::string_view batch_input;
  for (const Tensor& t : inputs) {
    const TensorSpec* spec = schema.FindInput(t.name);
    if (spec == nullptr && !schema.inputs.empty()) {
      return absl::InvalidArgumentError("unknown input \"" + t.name + "\"");
    }
    if (!seen.insert(t.name).second) {
      return absl::InvalidArgumentError("input \"" + t.name + "\" given more than once");
    }
    if (spec != nullptr) RETURN_IF_ERROR(CheckTensor(*spec, t));
    if (t.shape.empty()) continue;
    if (batch < 0) {
      batch = t.shape[0];
      batch_input = t.name;
    } else if (t.shape[0] != batch) {
      return InputError(t.name, "batch size " + std::to_string(t.shape[0]) + " differs from " +
                                    std::to_string(batch) + " of input \"" +
                                    std::string(batch_input) + "\"");
    }
  }
  for (const TensorSpec& spec : schema.inputs) {
    if (spec.required && seen.count(spec.name) == 0) {
      return absl::InvalidArgumentError("missing input \"" + spec.name + "\"");
    }
  }
  return absl::OkStatus();
}

}  // namespace ferry
