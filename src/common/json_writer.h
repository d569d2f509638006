#pragma once
// Streaming JSON writer into a std::string. Hot paths write responses with it by hand
// (no intermediate DOM). Doubles follow MLflow's wire rules: NaN is written as the string
// "NaN", +/-Infinity as the strings "Infinity"/"-Infinity" (callers clamp first when needed).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Writes an object key; the next call writes its value.
  JsonWriter& Key(std::string_view k);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Inserts already-serialised JSON as a value.
  JsonWriter& Raw(std::string_view json);

  // Convenience: Key(k) then value.
  JsonWriter& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Field(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonWriter& FieldDouble(std::string_view k, double v) { return Key(k).Double(v); }
  JsonWriter& FieldBool(std::string_view k, bool v) { return Key(k).Bool(v); }

 private:
  void Separator();
  std::string* out_;
  // One entry per open container: true once it has at least one element.
  std::vector<bool> has_elem_;
  bool after_key_ = false;
};

// Appends `s` as a quoted, escaped JSON string. Bytes that are not well-formed UTF-8 become
// U+FFFD (the output is always valid JSON); well-formed UTF-8 is copied as is.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace ferry
