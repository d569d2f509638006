#include "http/handlers/inference/tensor_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "common/json_writer.h"

namespace ferry::http {
namespace {

absl::Status ElementError(const Tensor& t, int64_t i, std::string_view what) {
  return absl::InvalidArgumentError("input \"" + t.name + "\": element " + std::to_string(i) +
                                    ": " + std::string(what));
}

absl::Status TypeError(const Tensor& t, int64_t i, const JsonValue& v, std::string_view want) {
  return ElementError(t, i,
                      "expected " + std::string(want) + " for " +
                          std::string(DataTypeName(t.datatype)) + ", got " + v.TypeName());
}

template <typename T>
void Store(Tensor& t, int64_t i, T x) {
  std::memcpy(t.data.data() + i * sizeof(T), &x, sizeof(T));
}

template <typename T>
T Load(const Tensor& t, int64_t i) {
  T x;
  std::memcpy(&x, t.data.data() + i * sizeof(T), sizeof(T));
  return x;
}

std::string NumberText(const JsonValue& v) {
  std::string s;
  if (v.type() == JsonValue::Type::kInt) return std::to_string(v.as_int());
  if (v.type() == JsonValue::Type::kUint) return std::to_string(v.as_uint());
  AppendDouble(&s, v.as_double());
  return s;
}

// Integers: JSON integers, or floats with an integral value, within T's range.
template <typename T>
absl::Status SetInt(const JsonValue& v, Tensor& t, int64_t i) {
  using L = std::numeric_limits<T>;
  bool in_range = false;
  switch (v.type()) {
    case JsonValue::Type::kInt:
      in_range = std::is_signed_v<T> ? (v.as_int() >= static_cast<int64_t>(L::min()) &&
                                        v.as_int() <= static_cast<int64_t>(L::max()))
                                     : (v.as_int() >= 0 && static_cast<uint64_t>(v.as_int()) <=
                                                               static_cast<uint64_t>(L::max()));
      if (in_range) Store<T>(t, i, static_cast<T>(v.as_int()));
      break;
    case JsonValue::Type::kUint:
      in_range = v.as_uint() <= static_cast<uint64_t>(L::max());
      if (in_range) Store<T>(t, i, static_cast<T>(v.as_uint()));
      break;
    case JsonValue::Type::kDouble: {
      double d = v.as_double();
      if (!std::isfinite(d) || d != std::floor(d)) return TypeError(t, i, v, "an integer");
      // 2^(digits) is exact in double; the range is [min, 2^digits).
      double upper = std::ldexp(1.0, L::digits);
      in_range = d >= static_cast<double>(L::min()) && d < upper;
      if (in_range) Store<T>(t, i, static_cast<T>(d));
      break;
    }
    default:
      return TypeError(t, i, v, "an integer");
  }
  if (!in_range) {
    return ElementError(
        t, i, NumberText(v) + " is out of range for " + std::string(DataTypeName(t.datatype)));
  }
  return absl::OkStatus();
}

absl::StatusOr<double> FloatValue(const JsonValue& v, const Tensor& t, int64_t i) {
  if (v.is_number()) return v.as_double();
  if (v.is_string()) {
    const std::string& s = v.as_string();
    if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Infinity") return std::numeric_limits<double>::infinity();
    if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
  }
  return TypeError(t, i, v, "a number");
}

// Appends the leaves of `v` (nested to match `shape` from `depth` on) to `out`.
absl::Status CollectNested(const JsonValue& v, const Tensor& t, size_t depth,
                           std::vector<const JsonValue*>& out) {
  if (depth == t.shape.size()) {
    if (v.is_array() || v.is_object()) {
      return absl::InvalidArgumentError(
          "input \"" + t.name + "\": nested data does not match shape " + ShapeString(t.shape));
    }
    out.push_back(&v);
    return absl::OkStatus();
  }
  if (!v.is_array() || static_cast<int64_t>(v.items().size()) != t.shape[depth]) {
    return absl::InvalidArgumentError(
        "input \"" + t.name + "\": nested data does not match shape " + ShapeString(t.shape));
  }
  for (const JsonValue& item : v.items()) RETURN_IF_ERROR(CollectNested(item, t, depth + 1, out));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const JsonValue*>> Leaves(const JsonValue& data, const Tensor& t,
                                                     int64_t count) {
  std::vector<const JsonValue*> leaves;
  if (!data.is_array()) {
    if (!t.shape.empty() || data.is_object() || data.is_null()) {
      return absl::InvalidArgumentError("input \"" + t.name + "\": data must be a list");
    }
    leaves.push_back(&data);
    return leaves;
  }
  const auto& items = data.items();
  if (!items.empty() && items[0].is_array()) {
    RETURN_IF_ERROR(CollectNested(data, t, 0, leaves));
    return leaves;
  }
  if (static_cast<int64_t>(items.size()) != count) {
    return absl::InvalidArgumentError("input \"" + t.name + "\": shape " + ShapeString(t.shape) +
                                      " has " + std::to_string(count) + " elements, data has " +
                                      std::to_string(items.size()));
  }
  leaves.reserve(items.size());
  for (const JsonValue& item : items) leaves.push_back(&item);
  return leaves;
}

uint32_t ReadLe32(const char* p) {
  uint32_t x = static_cast<uint8_t>(p[0]) | static_cast<uint32_t>(static_cast<uint8_t>(p[1])) << 8 |
               static_cast<uint32_t>(static_cast<uint8_t>(p[2])) << 16 |
               static_cast<uint32_t>(static_cast<uint8_t>(p[3])) << 24;
  return x;
}

template <typename T>
void AppendInt(std::string* out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

}  // namespace

absl::Status SetElement(const JsonValue& v, Tensor& t, int64_t i) {
  switch (t.datatype) {
    case DataType::kBool:
      if (!v.is_bool()) return TypeError(t, i, v, "true or false");
      t.data[i] = v.as_bool() ? 1 : 0;
      return absl::OkStatus();
    case DataType::kUint8:
      return SetInt<uint8_t>(v, t, i);
    case DataType::kUint16:
      return SetInt<uint16_t>(v, t, i);
    case DataType::kUint32:
      return SetInt<uint32_t>(v, t, i);
    case DataType::kUint64:
      return SetInt<uint64_t>(v, t, i);
    case DataType::kInt8:
      return SetInt<int8_t>(v, t, i);
    case DataType::kInt16:
      return SetInt<int16_t>(v, t, i);
    case DataType::kInt32:
      return SetInt<int32_t>(v, t, i);
    case DataType::kInt64:
      return SetInt<int64_t>(v, t, i);
    case DataType::kFp32: {
      ASSIGN_OR_RETURN(double d, FloatValue(v, t, i));
      if (std::isfinite(d) && std::fabs(d) > std::numeric_limits<float>::max()) {
        return ElementError(t, i, NumberText(v) + " is out of range for FP32");
      }
      Store<float>(t, i, static_cast<float>(d));
      return absl::OkStatus();
    }
    case DataType::kFp64: {
      ASSIGN_OR_RETURN(double d, FloatValue(v, t, i));
      Store<double>(t, i, d);
      return absl::OkStatus();
    }
    case DataType::kBytes:
      if (!v.is_string()) return TypeError(t, i, v, "a string");
      t.strings[i] = v.as_string();
      return absl::OkStatus();
    case DataType::kFp16:
    case DataType::kBf16:
      break;
  }
  return absl::InvalidArgumentError("input \"" + t.name +
                                    "\": " + std::string(DataTypeName(t.datatype)) +
                                    " data must use the binary data extension");
}

absl::Status TensorFromJson(const JsonValue& data, Tensor& t) {
  ASSIGN_OR_RETURN(int64_t count, ShapeElementCount(t.shape));
  if (t.datatype == DataType::kFp16 || t.datatype == DataType::kBf16) {
    return absl::InvalidArgumentError("input \"" + t.name +
                                      "\": " + std::string(DataTypeName(t.datatype)) +
                                      " data must use the binary data extension");
  }
  ASSIGN_OR_RETURN(std::vector<const JsonValue*> leaves, Leaves(data, t, count));
  // Nested leaves always number the shape's product; flat ones were compared to it.
  if (t.datatype == DataType::kBytes) {
    t.strings.assign(leaves.size(), std::string());
  } else {
    t.data.assign(leaves.size() * DataTypeSize(t.datatype), '\0');
  }
  for (size_t i = 0; i < leaves.size(); ++i) RETURN_IF_ERROR(SetElement(*leaves[i], t, i));
  return absl::OkStatus();
}

absl::Status TensorFromBinary(std::string_view bytes, Tensor& t) {
  ASSIGN_OR_RETURN(int64_t count, ShapeElementCount(t.shape));
  if (t.datatype != DataType::kBytes) {
    uint64_t need = static_cast<uint64_t>(count) * DataTypeSize(t.datatype);
    if (need != bytes.size()) {
      return absl::InvalidArgumentError(
          "input \"" + t.name + "\": binary_data_size " + std::to_string(bytes.size()) +
          " does not match shape " + ShapeString(t.shape) + " of " +
          std::string(DataTypeName(t.datatype)) + " (" + std::to_string(need) + " bytes)");
    }
    t.data.assign(bytes.data(), bytes.size());
    return absl::OkStatus();
  }
  // Each element takes at least 4 bytes, which bounds the reservation by the real size.
  t.strings.clear();
  t.strings.reserve(std::min<uint64_t>(count, bytes.size() / 4));
  size_t pos = 0;
  while (pos < bytes.size()) {
    if (bytes.size() - pos < 4) {
      return absl::InvalidArgumentError("input \"" + t.name +
                                        "\": truncated BYTES length prefix in binary data");
    }
    uint32_t len = ReadLe32(bytes.data() + pos);
    pos += 4;
    if (len > bytes.size() - pos) {
      return absl::InvalidArgumentError("input \"" + t.name + "\": BYTES element " +
                                        std::to_string(t.strings.size()) +
                                        " runs past the end of its binary data");
    }
    t.strings.emplace_back(bytes.substr(pos, len));
    pos += len;
  }
  if (static_cast<int64_t>(t.strings.size()) != count) {
    return absl::InvalidArgumentError(
        "input \"" + t.name + "\": shape " + ShapeString(t.shape) + " has " +
        std::to_string(count) + " elements, binary data has " + std::to_string(t.strings.size()));
  }
  return absl::OkStatus();
}

// The shortest form that reads back as the same value. Whole numbers beyond int64 are written
// in scientific form: as plain digits they would be integers that many JSON readers (ours
// included) refuse as out of range.
template <typename T>
void AppendFinite(std::string* out, T v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  if (std::fabs(v) >= 9.2e18 &&
      std::string_view(buf, r.ptr - buf).find_first_of(".e") == std::string_view::npos) {
    r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  }
  out->append(buf, r.ptr);
}

void AppendDouble(std::string* out, double v) {
  if (std::isnan(v)) {
    out->append("\"NaN\"");
  } else if (std::isinf(v)) {
    out->append(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  } else {
    AppendFinite(out, v);
  }
}

void AppendFloat(std::string* out, float v) {
  if (!std::isfinite(v)) return AppendDouble(out, v);
  AppendFinite(out, v);
}

void AppendJsonElement(const Tensor& t, int64_t i, std::string* out) {
  switch (t.datatype) {
    case DataType::kBool:
      out->append(t.data[i] ? "true" : "false");
      return;
    case DataType::kUint8:
      return AppendInt(out, Load<uint8_t>(t, i));
    case DataType::kUint16:
      return AppendInt(out, Load<uint16_t>(t, i));
    case DataType::kUint32:
      return AppendInt(out, Load<uint32_t>(t, i));
    case DataType::kUint64:
      return AppendInt(out, Load<uint64_t>(t, i));
    case DataType::kInt8:
      return AppendInt(out, Load<int8_t>(t, i));
    case DataType::kInt16:
      return AppendInt(out, Load<int16_t>(t, i));
    case DataType::kInt32:
      return AppendInt(out, Load<int32_t>(t, i));
    case DataType::kInt64:
      return AppendInt(out, Load<int64_t>(t, i));
    case DataType::kFp32:
      return AppendFloat(out, Load<float>(t, i));
    case DataType::kFp64:
      return AppendDouble(out, Load<double>(t, i));
    case DataType::kFp16:
    case DataType::kBf16:
      // No JSON form in the protocol; widened so that a JSON reply stays readable.
      return AppendFloat(out, static_cast<float>(ElementAsDouble(t, i)));
    case DataType::kBytes:
      return AppendJsonString(out, t.strings[i]);
  }
}

void AppendJsonData(const Tensor& t, std::string* out) {
  int64_t n = t.datatype == DataType::kBytes
                  ? static_cast<int64_t>(t.strings.size())
                  : static_cast<int64_t>(t.data.size()) / DataTypeSize(t.datatype);
  out->push_back('[');
  for (int64_t i = 0; i < n; ++i) {
    if (i) out->push_back(',');
    AppendJsonElement(t, i, out);
  }
  out->push_back(']');
}

size_t AppendBinaryData(const Tensor& t, std::string* out) {
  if (t.datatype != DataType::kBytes) {
    out->append(t.data);
    return t.data.size();
  }
  size_t before = out->size();
  for (const std::string& s : t.strings) {
    uint32_t len = static_cast<uint32_t>(s.size());
    char prefix[4] = {static_cast<char>(len), static_cast<char>(len >> 8),
                      static_cast<char>(len >> 16), static_cast<char>(len >> 24)};
    out->append(prefix, 4);
    out->append(s);
  }
  return out->size() - before;
}

}  // namespace ferry::http
