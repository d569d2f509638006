#pragma once
// Uniform access to MLflow request fields, whether they came as a JSON body (POST, PATCH,
// DELETE) or as a query string (GET). Errors carry MLflow's wording:
//   "Missing value for required parameter 'name'. See the API docs for more information
//    about request parameters."
//   "Invalid value abc for parameter 'value' supplied. Hint: Value was of type 'str'. ..."

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "http/http_types.h"

namespace ferry::http {

class RequestArgs {
 public:
  // GET/HEAD read the query string (repeated keys become lists); other methods take a JSON
  // body (an empty body is `{}`), which POST and PUT must label application/json (DELETE
  // and PATCH may send no Content-Type). Strings must be valid UTF-8. Parsed once per
  // request: the access check and the handler share it (kept in HttpRequest::parsed).
  static absl::StatusOr<RequestArgs> FromRequest(const HttpRequest& req);
  static RequestArgs FromJson(JsonValue body) { return RequestArgs(std::move(body)); }

  // Strings accept JSON strings only; experiment_id(s) also take integers (MLflow stringifies
  // numeric experiment ids). Anything else is kInvalidArgument (INVALID_PARAMETER_VALUE).
  absl::StatusOr<std::string> RequiredString(std::string_view name) const;
  absl::StatusOr<std::optional<std::string>> String(std::string_view name) const;
  // int64 accepts JSON integers and decimal strings.
  absl::StatusOr<std::optional<int64_t>> Int64(std::string_view name) const;
  absl::StatusOr<int64_t> RequiredInt64(std::string_view name) const;
  // double accepts numbers, numeric strings, "NaN", "Infinity", "-Infinity".
  absl::StatusOr<std::optional<double>> Double(std::string_view name) const;
  absl::StatusOr<double> RequiredDouble(std::string_view name) const;
  absl::StatusOr<std::optional<bool>> Bool(std::string_view name) const;
  // `run_id`, or its deprecated alias `run_uuid` (the npm client sends both); required.
  absl::StatusOr<std::string> RunId() const;
  // A repeated string field: a JSON array of strings, or one string.
  absl::StatusOr<std::vector<std::string>> StringList(std::string_view name) const;
  // A repeated message field: the array itself (empty if absent). kInvalidArgument if the
  // field is present but not an array of objects.
  absl::StatusOr<std::vector<const JsonValue*>> ObjectList(std::string_view name) const;

  const JsonValue& body() const { return *body_; }

 private:
  explicit RequestArgs(JsonValue body)
      : body_(std::make_shared<const JsonValue>(std::move(body))) {}
  static absl::StatusOr<RequestArgs> Parse(const HttpRequest& req);
  // Shared: a copy is cheap, so the guard's parse is the handler's (HttpRequest::parsed).
  std::shared_ptr<const JsonValue> body_;
};

absl::Status MissingParam(std::string_view name);
absl::Status InvalidParam(std::string_view name, const JsonValue& value);

// Field readers over any JSON object (nested messages such as Metric or RunTag).
absl::StatusOr<std::optional<std::string>> JsonString(const JsonValue& obj, std::string_view name);
absl::StatusOr<std::optional<int64_t>> JsonInt64(const JsonValue& obj, std::string_view name);
absl::StatusOr<std::optional<double>> JsonDouble(const JsonValue& obj, std::string_view name);

}  // namespace ferry::http
