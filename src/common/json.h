#pragma once
// A small owning JSON document model. Parsing is done by simdjson inside json.cc so that
// its large header stays out of every other translation unit.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kInt, kUint, kDouble, kString, kArray, kObject };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue Bool(bool b);
  static JsonValue Int(int64_t i);
  static JsonValue Uint(uint64_t u);
  static JsonValue Double(double d);
  static JsonValue String(std::string s);
  static JsonValue Array();
  static JsonValue Object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const {
    return type_ == Type::kInt || type_ == Type::kUint || type_ == Type::kDouble;
  }
  bool is_integer() const { return type_ == Type::kInt || type_ == Type::kUint; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return b_; }
  int64_t as_int() const { return type_ == Type::kUint ? static_cast<int64_t>(u_) : i_; }
  uint64_t as_uint() const { return u_; }
  double as_double() const;
  const std::string& as_string() const { return s_; }
  const std::vector<JsonValue>& items() const { return items_; }
  std::vector<JsonValue>& mutable_items() { return items_; }
  const std::vector<Member>& members() const { return members_; }
  std::vector<Member>& mutable_members() { return members_; }

  // Returns the member named `key` of an object, or nullptr (also for non-objects).
  const JsonValue* Find(std::string_view key) const;
  // Short name for the JSON type, for error messages ("string", "number", ...).
  const char* TypeName() const;

 private:
  Type type_ = Type::kNull;
  bool b_ = false;
  int64_t i_ = 0;
  uint64_t u_ = 0;
  double d_ = 0;
  std::string s_;
  std::vector<JsonValue> items_;
  std::vector<Member> members_;
};

// Parses `text` as one JSON document. Returns kInvalidArgument with simdjson's reason
// for malformed input. Nesting deeper than 256 levels is rejected.
absl::StatusOr<JsonValue> ParseJson(std::string_view text);

// The string member `key` of the top-level object in `text`, without building the document
// (the rest is skipped, not converted): nullopt when `text` is not an object, has no such
// member or it is not a string. For a quick look at one field of a large body; a request's
// handler still parses and validates the whole of it.
std::optional<std::string> JsonTopLevelString(std::string_view text, std::string_view key);

// Serialises `v` compactly (used for tests and small payloads, not hot paths).
std::string ToJsonString(const JsonValue& v);

}  // namespace ferry
