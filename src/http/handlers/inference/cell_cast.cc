#include "http/handlers/inference/cell_cast.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/strings.h"

namespace ferry::http {
namespace {

constexpr double kTwo63 = 9223372036854775808.0;  // the first double past int64's range

std::string_view Strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Python's float(s): decimal or exponent forms, inf/infinity/nan in any case, with a sign.
std::optional<double> PyFloat(std::string_view s) {
  s = Strip(s);
  std::string lower = ToLower(std::string(s));
  std::string_view body = lower;
  double sign = 1;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  if (body == "inf" || body == "infinity") return sign * std::numeric_limits<double>::infinity();
  if (body == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (body.empty() || body[0] == '+' || body[0] == '-') return std::nullopt;
  double d = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), d);
  if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return std::nullopt;
  return sign * d;
}

// Python's int(s) for values that fit int64.
std::optional<int64_t> PyInt(std::string_view s) {
  s = Strip(s);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t i = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), i);
  if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return i;
}

// pandas.read_csv's default NA spellings.
bool IsCsvNa(std::string_view s) {
  static constexpr std::array<std::string_view, 17> kNa = {
      "",        "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
      "1.#QNAN", "<NA>", "N/A",      "NA",  "NULL",    "NaN",      "None", "n/a"};
  for (std::string_view na : kNa) {
    if (s == na) return true;
  }
  return s == "nan" || s == "null";
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

CellError Convert(std::string reason) { return {CellError::Kind::kConvert, std::move(reason)}; }
CellError Unsafe(std::string dtype) { return {CellError::Kind::kUnsafe, std::move(dtype)}; }

std::optional<CellError> StoreFloat(double v, Tensor& t, int64_t i) {
  if (t.datatype == DataType::kFp32) {
    t.MutableAs<float>()[i] = static_cast<float>(v);
  } else {
    t.MutableAs<double>()[i] = v;
  }
  return std::nullopt;
}

std::optional<CellError> StoreInt(int64_t v, Tensor& t, int64_t i) {
  if (t.datatype == DataType::kInt64) {
    t.MutableAs<int64_t>()[i] = v;
    return std::nullopt;
  }
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return Unsafe("int64");
  }
  t.MutableAs<int32_t>()[i] = static_cast<int32_t>(v);
  return std::nullopt;
}

std::optional<CellError> StoreIntegralDouble(double d, Tensor& t, int64_t i) {
  if (!std::isfinite(d) || d != std::trunc(d) || d < -kTwo63 || d >= kTwo63) {
    return Unsafe("float64");
  }
  return StoreInt(static_cast<int64_t>(d), t, i);
}

std::optional<bool> BoolWord(std::string_view s) {
  std::string lower = ToLower(std::string(Strip(s)));
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0") return false;
  return std::nullopt;
}

std::string_view PyTypeName(const JsonValue& v) {
  if (v.is_array()) return "list";
  if (v.is_object()) return "dict";
  return "NoneType";
}

std::optional<CellError> JsonToFloat(const JsonValue* v, Tensor& t, int64_t i) {
  if (v == nullptr || v->is_null()) {
    return StoreFloat(std::numeric_limits<double>::quiet_NaN(), t, i);
  }
  if (v->is_bool()) return StoreFloat(v->as_bool() ? 1 : 0, t, i);
  if (v->is_number()) return StoreFloat(v->as_double(), t, i);
  if (v->is_string()) {
    std::optional<double> d = PyFloat(v->as_string());
    if (!d) return Convert("could not convert string to float: " + Quote(v->as_string()));
    return StoreFloat(*d, t, i);
  }
  return Convert("float() argument must be a string or a real number, not " +
                 Quote(PyTypeName(*v)));
}

std::optional<CellError> JsonToInt(const JsonValue* v, Tensor& t, int64_t i) {
  if (v == nullptr || v->is_null()) {
    return Convert("Cannot convert non-finite values (NA or inf) to integer");
  }
  if (v->is_bool()) return StoreInt(v->as_bool() ? 1 : 0, t, i);
  if (v->is_integer()) {
    if (v->as_double() >= kTwo63) return Convert("Python int too large to convert to C long");
    return StoreInt(v->as_int(), t, i);
  }
  if (v->is_number()) return StoreIntegralDouble(v->as_double(), t, i);
  if (v->is_string()) {
    std::optional<int64_t> n = PyInt(v->as_string());
    if (!n) return Convert("invalid literal for int() with base 10: " + Quote(v->as_string()));
    return StoreInt(*n, t, i);
  }
  return Convert("int() argument must be a string, a bytes-like object or a real number, not " +
                 Quote(PyTypeName(*v)));
}

std::optional<CellError> JsonToBool(const JsonValue* v, Tensor& t, int64_t i) {
  bool b = false;
  if (v == nullptr || v->is_null()) {
    b = false;
  } else if (v->is_bool()) {
    b = v->as_bool();
  } else if (v->is_number()) {
    b = v->as_double() != 0;
  } else if (v->is_string()) {
    std::optional<bool> w = BoolWord(v->as_string());
    if (!w) return Convert("could not convert string to bool: " + Quote(v->as_string()));
    b = *w;
  } else {
    return Convert("could not convert " + std::string(PyTypeName(*v)) + " to bool");
  }
  t.MutableAs<uint8_t>()[i] = b ? 1 : 0;
  return std::nullopt;
}

std::optional<CellError> JsonToString(const JsonValue* v, Tensor& t, int64_t i) {
  if (v != nullptr && v->is_string()) {
    t.strings[i] = v->as_string();
  } else if (v != nullptr && v->is_bool()) {
    t.strings[i] = v->as_bool() ? "True" : "False";
  } else if (v != nullptr && v->is_integer()) {
    t.strings[i] =
        v->as_double() >= kTwo63 ? std::to_string(v->as_uint()) : std::to_string(v->as_int());
  } else if (v != nullptr && v->is_number()) {
    double d = v->as_double();
    t.strings[i] = FormatShortest(d);
    if (d == std::trunc(d) && std::isfinite(d) && std::fabs(d) < 1e16) t.strings[i] += ".0";
  } else {
    if (v == nullptr) return Convert("a string column cannot hold a missing value");
    if (v->is_null()) return Convert("a string column cannot hold null");
    return Convert("a string column cannot hold a " + std::string(PyTypeName(*v)));
  }
  return std::nullopt;
}

std::string CsvUnsafe(const Tensor& t, std::string_view from, size_t column) {
  return "cannot safely convert passed user dtype of " +
         std::string(DataTypePackageName(t.datatype)) + " for " + std::string(from) +
         " dtyped data in column " + std::to_string(column);
}

std::optional<CellError> CsvToInt(std::string_view cell, size_t column, Tensor& t, int64_t i) {
  if (std::optional<int64_t> n = PyInt(cell)) return StoreInt(*n, t, i);
  std::optional<double> d =
      IsCsvNa(cell) ? std::numeric_limits<double>::quiet_NaN() : PyFloat(cell);
  if (!d) return Convert("invalid literal for int() with base 10: " + Quote(cell));
  if (StoreIntegralDouble(*d, t, i)) return Convert(CsvUnsafe(t, "float64", column));
  return std::nullopt;
}

std::optional<CellError> CsvToBool(std::string_view cell, size_t column, Tensor& t, int64_t i) {
  std::string lower = ToLower(std::string(cell));
  if (lower == "true" || lower == "false") {
    t.MutableAs<uint8_t>()[i] = lower == "true" ? 1 : 0;
    return std::nullopt;
  }
  if (IsCsvNa(cell))
    return Convert("Bool column has NA values in column " + std::to_string(column));
  return Convert(CsvUnsafe(t, "object", column));
}

}  // namespace

Tensor SizedTensor(std::string name, DataType type, std::vector<int64_t> shape) {
  Tensor t;
  t.name = std::move(name);
  t.datatype = type;
  t.shape = std::move(shape);
  int64_t n = t.ElementCount();
  if (type == DataType::kBytes) {
    t.strings.resize(n);
  } else {
    t.data.assign(n * DataTypeSize(type), '\0');
  }
  return t;
}

std::optional<CellError> CastJsonCell(const JsonValue* v, Tensor& t, int64_t i) {
  switch (t.datatype) {
    case DataType::kFp64:
    case DataType::kFp32:
      return JsonToFloat(v, t, i);
    case DataType::kInt64:
    case DataType::kInt32:
      return JsonToInt(v, t, i);
    case DataType::kBool:
      return JsonToBool(v, t, i);
    case DataType::kBytes:
      return JsonToString(v, t, i);
    default:
      return Convert("datatype " + std::string(DataTypeName(t.datatype)) + " is not supported");
  }
}

std::optional<CellError> CastCsvCell(std::string_view cell, size_t csv_column, Tensor& t,
                                     int64_t i) {
  switch (t.datatype) {
    case DataType::kFp64:
    case DataType::kFp32: {
      if (IsCsvNa(cell)) return StoreFloat(std::numeric_limits<double>::quiet_NaN(), t, i);
      std::optional<double> d = PyFloat(cell);
      if (!d) return Convert("could not convert string to float: " + Quote(cell));
      return StoreFloat(*d, t, i);
    }
    case DataType::kInt64:
    case DataType::kInt32:
      return CsvToInt(cell, csv_column, t, i);
    case DataType::kBool:
      return CsvToBool(cell, csv_column, t, i);
    case DataType::kBytes:
      t.strings[i] = std::string(cell);
      return std::nullopt;
    default:
      return Convert("datatype " + std::string(DataTypeName(t.datatype)) + " is not supported");
  }
}

}  // namespace ferry::http
