#include "common/json.h"

#include <cmath>

#include "common/json_writer.h"
#include "simdjson.h"

namespace ferry {

JsonValue JsonValue::Bool(bool b) {
  JsonValue v;
  v.type_ = Type::kBool;
  v.b_ = b;
  return v;
}
JsonValue JsonValue::Int(int64_t i) {
  JsonValue v;
  v.type_ = Type::kInt;
  v.i_ = i;
  return v;
}
JsonValue JsonValue::Uint(uint64_t u) {
  JsonValue v;
  v.type_ = Type::kUint;
  v.u_ = u;
  return v;
}
JsonValue JsonValue::Double(double d) {
  JsonValue v;
  v.type_ = Type::kDouble;
  v.d_ = d;
  return v;
}
JsonValue JsonValue::String(std::string s) {
  JsonValue v;
  v.type_ = Type::kString;
  v.s_ = std::move(s);
  return v;
}
JsonValue JsonValue::Array() {
  JsonValue v;
  v.type_ = Type::kArray;
  return v;
}
JsonValue JsonValue::Object() {
  JsonValue v;
  v.type_ = Type::kObject;
  return v;
}

double JsonValue::as_double() const {
  switch (type_) {
    case Type::kInt:
      return static_cast<double>(i_);
    case Type::kUint:
      return static_cast<double>(u_);
    default:
      return d_;
  }
}

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const auto& [k, v] : members_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const char* JsonValue::TypeName() const {
  switch (type_) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "bool";
    case Type::kInt:
    case Type::kUint:
      return "int";
    case Type::kDouble:
      return "float";
    case Type::kString:
      return "str";
    case Type::kArray:
      return "list";
    case Type::kObject:
      return "dict";
  }
  return "unknown";
}

namespace {

constexpr int kMaxDepth = 256;

absl::StatusOr<JsonValue> Convert(simdjson::dom::element e, int depth) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("JSON nesting is too deep");
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return JsonValue();
    case simdjson::dom::element_type::BOOL:
      return JsonValue::Bool(bool(e));
    case simdjson::dom::element_type::INT64:
      return JsonValue::Int(int64_t(e));
    case simdjson::dom::element_type::UINT64:
      return JsonValue::Uint(uint64_t(e));
    case simdjson::dom::element_type::DOUBLE:
      return JsonValue::Double(double(e));
    case simdjson::dom::element_type::STRING:
      return JsonValue::String(std::string(std::string_view(e)));
    case simdjson::dom::element_type::ARRAY: {
      JsonValue arr = JsonValue::Array();
      simdjson::dom::array a = e;
      arr.mutable_items().reserve(a.size());
      for (simdjson::dom::element item : a) {
        ASSIGN_OR_RETURN(JsonValue v, Convert(item, depth + 1));
        arr.mutable_items().push_back(std::move(v));
      }
      return arr;
    }
    case simdjson::dom::element_type::OBJECT: {
      JsonValue obj = JsonValue::Object();
      simdjson::dom::object o = e;
      obj.mutable_members().reserve(o.size());
      for (auto field : o) {
        ASSIGN_OR_RETURN(JsonValue v, Convert(field.value, depth + 1));
        obj.mutable_members().emplace_back(std::string(field.key), std::move(v));
      }
      return obj;
    }
  }
  return absl::InvalidArgumentError("unsupported JSON element");
}

}  // namespace

absl::StatusOr<JsonValue> ParseJson(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  auto error = parser.parse(padded).get(root);
  if (error) {
    return absl::InvalidArgumentError(std::string("Malformed JSON: ") +
                                      simdjson::error_message(error));
  }
  return Convert(root, 0);
}

std::optional<std::string> JsonTopLevelString(std::string_view text, std::string_view key) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::padded_string padded(text);
  simdjson::ondemand::document doc;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(object)) return std::nullopt;
  for (auto field : object) {
    std::string_view name;
    if (field.unescaped_key().get(name)) return std::nullopt;
    if (name != key) continue;
    std::string_view value;
    if (field.value().get_string().get(value)) return std::nullopt;
    return std::string(value);
  }
  return std::nullopt;
}

namespace {
void Write(JsonWriter& w, const JsonValue& v) {
  switch (v.type()) {
    case JsonValue::Type::kNull:
      w.Null();
      break;
    case JsonValue::Type::kBool:
      w.Bool(v.as_bool());
      break;
    case JsonValue::Type::kInt:
      w.Int(v.as_int());
      break;
    case JsonValue::Type::kUint:
      w.Uint(v.as_uint());
      break;
    case JsonValue::Type::kDouble:
      w.Double(v.as_double());
      break;
    case JsonValue::Type::kString:
      w.String(v.as_string());
      break;
    case JsonValue::Type::kArray:
      w.BeginArray();
      for (const auto& item : v.items()) Write(w, item);
      w.EndArray();
      break;
    case JsonValue::Type::kObject:
      w.BeginObject();
      for (const auto& [k, m] : v.members()) {
        w.Key(k);
        Write(w, m);
      }
      w.EndObject();
      break;
  }
}
}  // namespace

std::string ToJsonString(const JsonValue& v) {
  std::string out;
  JsonWriter w(&out);
  Write(w, v);
  return out;
}

}  // namespace ferry
