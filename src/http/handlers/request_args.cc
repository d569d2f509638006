#include "http/handlers/request_args.h"

#include <cmath>
#include <limits>

#include "common/strings.h"
#include "http/query.h"

namespace ferry::http {

absl::Status MissingParam(std::string_view name) {
  return absl::InvalidArgumentError(
      "Missing value for required parameter '" + std::string(name) +
      "'. See the API docs for more information about request parameters.");
}

absl::Status InvalidParam(std::string_view name, const JsonValue& value) {
  std::string shown = value.is_string() ? value.as_string() : ToJsonString(value);
  return absl::InvalidArgumentError("Invalid value " + shown + " for parameter '" +
                                    std::string(name) + "' supplied. Hint: Value was of type '" +
                                    value.TypeName() +
                                    "'. See the API docs for more information about request "
                                    "parameters.");
}

namespace {

// MLflow stringifies numeric experiment ids before parsing a request (its
// _stringify_all_experiment_ids); every other string field must be a JSON string.
bool AcceptsNumber(std::string_view name) {
  return name == "experiment_id" || name == "experiment_ids";
}

}  // namespace

absl::StatusOr<std::optional<std::string>> JsonString(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = obj.Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_string()) return v->as_string();
  if (AcceptsNumber(name)) {
    if (v->type() == JsonValue::Type::kInt) return std::to_string(v->as_int());
    if (v->type() == JsonValue::Type::kUint) return std::to_string(v->as_uint());
  }
  return InvalidParam(name, *v);
}

absl::StatusOr<std::optional<int64_t>> JsonInt64(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = obj.Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->type() == JsonValue::Type::kInt) return v->as_int();
  if (v->type() == JsonValue::Type::kDouble) {
    double d = v->as_double();
    if (std::trunc(d) == d && std::fabs(d) < 9.2e18) return static_cast<int64_t>(d);
  }
  if (v->is_string()) {
    if (auto i = ParseInt64(v->as_string())) return *i;
  }
  return InvalidParam(name, *v);
}

absl::StatusOr<std::optional<double>> JsonDouble(const JsonValue& obj, std::string_view name) {
  const JsonValue* v = obj.Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_number()) return v->as_double();
  if (v->is_string()) {
    const std::string& s = v->as_string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (auto d = ParseDouble(s); d && std::isfinite(*d)) return *d;
  }
  return InvalidParam(name, *v);
}

absl::StatusOr<RequestArgs> RequestArgs::FromRequest(const HttpRequest& req) {
  if (const auto* parsed = std::any_cast<RequestArgs>(&req.parsed)) return *parsed;
  ASSIGN_OR_RETURN(RequestArgs args, Parse(req));
  req.parsed = args;
  return args;
}

absl::StatusOr<RequestArgs> RequestArgs::Parse(const HttpRequest& req) {
  if (req.method == "GET" || req.method == "HEAD") {
    ASSIGN_OR_RETURN(QueryParams params, ParseQuery(req.query));
    JsonValue obj = JsonValue::Object();
    for (const auto& [key, value] : params) {
      if (!IsValidUtf8(key) || !IsValidUtf8(value)) {
        return absl::InvalidArgumentError("Malformed request: the query is not valid UTF-8");
      }
      JsonValue* existing = nullptr;
      for (auto& m : obj.mutable_members()) {
        if (m.first == key) existing = &m.second;
      }
      if (existing == nullptr) {
        obj.mutable_members().emplace_back(key, JsonValue::String(value));
      } else {
        if (!existing->is_array()) {
          JsonValue arr = JsonValue::Array();
          arr.mutable_items().push_back(std::move(*existing));
          *existing = std::move(arr);
        }
        existing->mutable_items().push_back(JsonValue::String(value));
      }
    }
    return RequestArgs(std::move(obj));
  }
  // As MLflow: POST and PUT must say application/json; DELETE and PATCH may omit it.
  const std::string* ct = req.Header("content-type");
  bool must_say_json = req.method == "POST" || req.method == "PUT" || ct != nullptr;
  if (must_say_json && ct == nullptr) {
    return absl::InvalidArgumentError("Bad Request. Content-Type header is missing.");
  }
  if (must_say_json && !StartsWith(ToLower(*ct), "application/json")) {
    return absl::InvalidArgumentError(
        "Bad Request. Content-Type must be one of ['application/json'].");
  }
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return RequestArgs(JsonValue::Object());
  }
  if (!IsValidUtf8(req.body)) {
    return absl::InvalidArgumentError("Malformed request: the JSON body is not valid UTF-8");
  }
  ASSIGN_OR_RETURN(JsonValue body, ParseJson(req.body));
  if (!body.is_object()) {
    return absl::InvalidArgumentError("Malformed request: the JSON body must be an object");
  }
  return RequestArgs(std::move(body));
}

absl::StatusOr<std::string> RequestArgs::RequiredString(std::string_view name) const {
  ASSIGN_OR_RETURN(auto v, String(name));
  if (!v.has_value()) return MissingParam(name);
  return *v;
}

absl::StatusOr<std::string> RequestArgs::RunId() const {
  for (std::string_view field : {"run_id", "run_uuid"}) {
    ASSIGN_OR_RETURN(auto id, String(field));
    if (id && !id->empty()) return *id;
  }
  return MissingParam("run_id");
}

absl::StatusOr<std::optional<std::string>> RequestArgs::String(std::string_view name) const {
  return JsonString(*body_, name);
}

absl::StatusOr<std::optional<int64_t>> RequestArgs::Int64(std::string_view name) const {
  return JsonInt64(*body_, name);
}

absl::StatusOr<int64_t> RequestArgs::RequiredInt64(std::string_view name) const {
  ASSIGN_OR_RETURN(auto v, Int64(name));
  if (!v.has_value()) return MissingParam(name);
  return *v;
}

absl::StatusOr<std::optional<double>> RequestArgs::Double(std::string_view name) const {
  return JsonDouble(*body_, name);
}

absl::StatusOr<double> RequestArgs::RequiredDouble(std::string_view name) const {
  ASSIGN_OR_RETURN(auto v, Double(name));
  if (!v.has_value()) return MissingParam(name);
  return *v;
}

absl::StatusOr<std::optional<bool>> RequestArgs::Bool(std::string_view name) const {
  const JsonValue* v = body_->Find(name);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_bool()) return v->as_bool();
  if (v->is_string()) {
    std::string s = ToLower(v->as_string());
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return InvalidParam(name, *v);
}

absl::StatusOr<std::vector<std::string>> RequestArgs::StringList(std::string_view name) const {
  std::vector<std::string> out;
  const JsonValue* v = body_->Find(name);
  if (v == nullptr || v->is_null()) return out;
  if (v->is_string()) {
    out.push_back(v->as_string());
    return out;
  }
  if (!v->is_array()) return InvalidParam(name, *v);
  for (const JsonValue& item : v->items()) {
    if (item.is_string()) {
      out.push_back(item.as_string());
    } else if (item.is_integer() && AcceptsNumber(name)) {
      out.push_back(std::to_string(item.as_int()));
    } else {
      return InvalidParam(name, *v);
    }
  }
  return out;
}

absl::StatusOr<std::vector<const JsonValue*>> RequestArgs::ObjectList(std::string_view name) const {
  std::vector<const JsonValue*> out;
  const JsonValue* v = body_->Find(name);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return InvalidParam(name, *v);
  for (const JsonValue& item : v->items()) {
    if (!item.is_object()) return InvalidParam(name, *v);
    out.push_back(&item);
  }
  return out;
}

}  // namespace ferry::http
