#include "runtime/mlflow/signature.h"

#include <optional>
#include <utility>

#include "common/json.h"

namespace ferry::runtime::mlflow {
namespace {

absl::Status Bad(std::string_view field, std::string_view why) {
  return absl::InvalidArgumentError(std::string(field) + ": " + std::string(why));
}

std::string Item(std::string_view field, size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

absl::StatusOr<DataType> ColumnType(const std::string& type, const std::string& field) {
  static const std::pair<const char*, DataType> kTypes[] = {
      {"double", DataType::kFp64},   {"float", DataType::kFp32},   {"long", DataType::kInt64},
      {"integer", DataType::kInt32}, {"boolean", DataType::kBool}, {"string", DataType::kBytes},
      {"binary", DataType::kBytes},
  };
  for (const auto& [name, t] : kTypes) {
    if (type == name) return t;
  }
  if (type == "datetime") {
    return Bad(field, "\"datetime\" columns cannot be served: Ferry has no datetime tensor type");
  }
  if (type == "array" || type == "object" || type == "map") {
    return Bad(field, "\"" + type + "\" columns (MLflow's complex types) cannot be served");
  }
  return Bad(field, "unknown column type \"" + type + "\"");
}

// numpy dtype names (and the one-letter kinds MLflow writes for strings) -> DataType.
std::optional<DataType> NumpyType(const std::string& dtype) {
  static const std::pair<const char*, DataType> kTypes[] = {
      {"float64", DataType::kFp64},  {"float32", DataType::kFp32},  {"float16", DataType::kFp16},
      {"int64", DataType::kInt64},   {"int32", DataType::kInt32},   {"int16", DataType::kInt16},
      {"int8", DataType::kInt8},     {"uint64", DataType::kUint64}, {"uint32", DataType::kUint32},
      {"uint16", DataType::kUint16}, {"uint8", DataType::kUint8},   {"bool", DataType::kBool},
      {"object", DataType::kBytes},  {"str", DataType::kBytes},     {"bytes", DataType::kBytes},
  };
  for (const auto& [name, t] : kTypes) {
    if (dtype == name) return t;
  }
  return std::nullopt;
}

absl::StatusOr<TensorSpec> ParseColumn(const JsonValue& v, size_t index, const std::string& field) {
  const JsonValue* type = v.Find("type");
  if (type == nullptr || !type->is_string()) return Bad(field + ".type", "missing");
  TensorSpec spec;
  ASSIGN_OR_RETURN(spec.datatype, ColumnType(type->as_string(), field + ".type"));
  const JsonValue* name = v.Find("name");
  if (name != nullptr && !name->is_null() && !name->is_string()) {
    return Bad(field + ".name", "expected a string");
  }
  spec.name = (name != nullptr && name->is_string()) ? name->as_string() : std::to_string(index);
  if (spec.name.empty()) return Bad(field + ".name", "must not be empty");
  spec.shape = {-1};
  spec.allow_nan = spec.datatype == DataType::kFp64 || spec.datatype == DataType::kFp32;
  const JsonValue* required = v.Find("required");  // MLflow: absent means required
  if (required != nullptr && !required->is_bool()) {
    return Bad(field + ".required", "expected true or false");
  }
  spec.required = required == nullptr || required->as_bool();
  return spec;
}

absl::StatusOr<TensorSpec> ParseTensor(const JsonValue& v, const std::string& field,
                                       std::string_view unnamed) {
  const JsonValue* ts = v.Find("tensor-spec");
  if (ts == nullptr || !ts->is_object()) return Bad(field + ".tensor-spec", "missing");
  const JsonValue* dtype = ts->Find("dtype");
  if (dtype == nullptr || !dtype->is_string()) return Bad(field + ".tensor-spec.dtype", "missing");
  std::optional<DataType> t = NumpyType(dtype->as_string());
  if (!t) return Bad(field + ".tensor-spec.dtype", "unknown dtype \"" + dtype->as_string() + "\"");
  TensorSpec spec;
  spec.datatype = *t;
  const JsonValue* shape = ts->Find("shape");
  if (shape == nullptr || !shape->is_array()) {
    return Bad(field + ".tensor-spec.shape", "expected a list");
  }
  for (const JsonValue& d : shape->items()) {
    if (!d.is_integer() || d.as_int() < -1) {
      return Bad(field + ".tensor-spec.shape", "expected integers >= -1");
    }
    spec.shape.push_back(d.as_int());
  }
  const JsonValue* name = v.Find("name");
  if (name != nullptr && !name->is_null() && !name->is_string()) {
    return Bad(field + ".name", "expected a string");
  }
  spec.name = (name != nullptr && name->is_string()) ? name->as_string() : std::string(unnamed);
  spec.allow_nan = spec.datatype == DataType::kFp64 || spec.datatype == DataType::kFp32 ||
                   spec.datatype == DataType::kFp16;
  return spec;
}

absl::Status CheckUniqueNames(const std::vector<TensorSpec>& specs, std::string_view field) {
  for (size_t i = 0; i < specs.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (specs[i].name == specs[j].name) {
        return Bad(Item(field, i) + ".name", "\"" + specs[i].name + "\" appears twice");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<TensorSpec>> ParseSignatureSide(std::string_view json,
                                                           std::string_view field,
                                                           std::string_view unnamed) {
  if (json.empty() || json == "null") return std::vector<TensorSpec>();
  auto doc = ParseJson(json);
  if (!doc.ok()) return Bad(field, "not JSON: " + std::string(StatusMessage(doc.status())));
  if (!doc->is_array()) return Bad(field, "expected a JSON list");
  std::vector<TensorSpec> specs;
  bool tensors = false;
  for (size_t i = 0; i < doc->items().size(); ++i) {
    const JsonValue& v = doc->items()[i];
    const std::string item = Item(field, i);
    if (!v.is_object()) return Bad(item, "expected an object");
    const JsonValue* type = v.Find("type");
    const bool tensor = type != nullptr && type->is_string() && type->as_string() == "tensor";
    if (i > 0 && tensor != tensors) {
      return Bad(item, "mixes column and tensor specs (MLflow allows one kind per side)");
    }
    tensors = tensor;
    if (tensor) {
      ASSIGN_OR_RETURN(TensorSpec spec, ParseTensor(v, item, unnamed));
      specs.push_back(std::move(spec));
    } else {
      ASSIGN_OR_RETURN(TensorSpec spec, ParseColumn(v, i, item));
      specs.push_back(std::move(spec));
    }
  }
  RETURN_IF_ERROR(CheckUniqueNames(specs, field));
  return specs;
}

}  // namespace ferry::runtime::mlflow
