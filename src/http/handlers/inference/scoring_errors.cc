#include "http/handlers/inference/scoring_errors.h"

#include "absl/strings/cord.h"

namespace ferry::http {
namespace {

// absl::string_view is its own type in Debian's abseil, not std::string_view.
constexpr absl::string_view kCodeUrl = "ferry.dev/mlflow-error-code";
constexpr std::string_view kInvalidParameter = "INVALID_PARAMETER_VALUE";

std::string TensorRepr(const TensorSpec& spec) {
  return "Tensor('" + std::string(NumpyTypeName(spec.datatype)) + "', " + PythonShape(spec.shape) +
         ")";
}

}  // namespace

absl::Status BadRequest(std::string_view message) {
  return absl::InvalidArgumentError(std::string(message));
}

absl::Status InvalidParameter(std::string_view message) {
  absl::Status s = absl::InvalidArgumentError(std::string(message));
  s.SetPayload(kCodeUrl,
               absl::Cord(absl::string_view(kInvalidParameter.data(), kInvalidParameter.size())));
  return s;
}

std::string_view ScoringErrorCode(const absl::Status& status) {
  if (status.GetPayload(kCodeUrl).has_value()) return kInvalidParameter;
  return "BAD_REQUEST";
}

std::string_view MlflowTypeName(DataType t) {
  switch (t) {
    case DataType::kFp64:
      return "double";
    case DataType::kFp32:
      return "float";
    case DataType::kInt64:
      return "long";
    case DataType::kInt32:
      return "integer";
    case DataType::kBool:
      return "boolean";
    case DataType::kBytes:
      return "string";
    default:
      return DataTypePackageName(t);
  }
}

std::string_view NumpyTypeName(DataType t) {
  if (t == DataType::kBytes) return "object";
  return DataTypePackageName(t);
}

std::string PythonShape(const std::vector<int64_t>& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

std::string PythonList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i) out += ", ";
    out += "'" + names[i] + "'";
  }
  return out + "]";
}

std::string SchemaRepr(const ModelSchema& schema, bool columns) {
  std::string out = "[";
  for (size_t i = 0; i < schema.inputs.size(); ++i) {
    const TensorSpec& spec = schema.inputs[i];
    if (i) out += ", ";
    if (columns) {
      out += "'" + spec.name + "': " + std::string(MlflowTypeName(spec.datatype)) +
             (spec.required ? " (required)" : " (optional)");
    } else {
      if (schema.inputs.size() > 1) out += "'" + spec.name + "': ";
      out += TensorRepr(spec);
    }
  }
  return out + "]";
}

absl::Status EnforceError(const ModelSchema& schema, bool columns, std::string_view reason) {
  return InvalidParameter("Failed to enforce schema of data with schema '" +
                          SchemaRepr(schema, columns) + "'. Error: " + std::string(reason));
}

}  // namespace ferry::http
