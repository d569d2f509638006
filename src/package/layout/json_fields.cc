#include "package/layout/json_fields.h"

#include <set>

namespace ferry::package::internal {

std::string FieldPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return std::string(parent) + "." + std::string(key);
}

std::string IndexPath(std::string_view parent, size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

absl::Status FieldError(std::string_view path, std::string_view message) {
  return absl::InvalidArgumentError(std::string(path) + ": " + std::string(message));
}

absl::Status CheckObject(const JsonValue& v, std::string_view path) {
  if (!v.is_object()) {
    return FieldError(path, std::string("expected an object, got ") + v.TypeName());
  }
  std::set<std::string_view> seen;
  for (const auto& [key, value] : v.members()) {
    if (!seen.insert(key).second) return FieldError(path, "duplicate key \"" + key + "\"");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RequiredString(const JsonValue& obj, std::string_view key,
                                           std::string_view path) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return FieldError(FieldPath(path, key), "required field is missing");
  if (!v->is_string()) {
    return FieldError(FieldPath(path, key), std::string("expected a string, got ") + v->TypeName());
  }
  return v->as_string();
}

absl::StatusOr<std::optional<std::string>> OptionalString(const JsonValue& obj,
                                                          std::string_view key,
                                                          std::string_view path) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    return FieldError(FieldPath(path, key), std::string("expected a string, got ") + v->TypeName());
  }
  return std::optional<std::string>(v->as_string());
}

absl::StatusOr<int64_t> RequiredNonNegativeInt(const JsonValue& obj, std::string_view key,
                                               std::string_view path) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return FieldError(FieldPath(path, key), "required field is missing");
  bool ok = v->type() == JsonValue::Type::kInt && v->as_int() >= 0;
  if (v->type() == JsonValue::Type::kUint) ok = v->as_uint() <= uint64_t(INT64_MAX);
  if (!ok) return FieldError(FieldPath(path, key), "expected a non-negative integer");
  return v->as_int();
}

absl::StatusOr<std::map<std::string, std::string>> OptionalStringMap(const JsonValue& obj,
                                                                     std::string_view key,
                                                                     std::string_view path) {
  std::map<std::string, std::string> out;
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return out;
  const std::string field = FieldPath(path, key);
  RETURN_IF_ERROR(CheckObject(*v, field));
  for (const auto& [k, value] : v->members()) {
    if (!value.is_string()) {
      return FieldError(FieldPath(field, k),
                        std::string("expected a string, got ") + value.TypeName());
    }
    out.emplace(k, value.as_string());
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> OptionalStringArray(const JsonValue& obj,
                                                             std::string_view key,
                                                             std::string_view path) {
  std::vector<std::string> out;
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return out;
  const std::string field = FieldPath(path, key);
  if (!v->is_array()) {
    return FieldError(field, std::string("expected an array, got ") + v->TypeName());
  }
  for (size_t i = 0; i < v->items().size(); ++i) {
    const JsonValue& item = v->items()[i];
    if (!item.is_string()) {
      return FieldError(IndexPath(field, i),
                        std::string("expected a string, got ") + item.TypeName());
    }
    out.push_back(item.as_string());
  }
  return out;
}

}  // namespace ferry::package::internal
