#include "core/tensor.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>

namespace ferry {
namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;
  std::string_view package_name;
  int size;
};

constexpr std::array<TypeInfo, 14> kTypes = {{
    {DataType::kBool, "BOOL", "bool", 1},
    {DataType::kUint8, "UINT8", "uint8", 1},
    {DataType::kUint16, "UINT16", "uint16", 2},
    {DataType::kUint32, "UINT32", "uint32", 4},
    {DataType::kUint64, "UINT64", "uint64", 8},
    {DataType::kInt8, "INT8", "int8", 1},
    {DataType::kInt16, "INT16", "int16", 2},
    {DataType::kInt32, "INT32", "int32", 4},
    {DataType::kInt64, "INT64", "int64", 8},
    {DataType::kFp16, "FP16", "float16", 2},
    {DataType::kFp32, "FP32", "float32", 4},
    {DataType::kFp64, "FP64", "float64", 8},
    {DataType::kBytes, "BYTES", "bytes", 0},
    {DataType::kBf16, "BF16", "bfloat16", 2},
}};

const TypeInfo& Info(DataType t) { return kTypes[static_cast<size_t>(t)]; }

// IEEE 754 half precision to single.
float HalfToFloat(uint16_t h) {
  const uint32_t sign = (h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1f;
  const uint32_t mant = h & 0x3ff;
  if (exp == 0) {  // zero or subnormal: mant * 2^-24
    const float v = std::ldexp(static_cast<float>(mant), -24);
    return sign ? -v : v;
  }
  uint32_t bits = exp == 31 ? sign | 0x7f800000u | (mant << 13)
                            : sign | ((exp - 15 + 127) << 23) | (mant << 13);
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float Bf16ToFloat(uint16_t b) {
  const uint32_t bits = static_cast<uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

template <typename T>
double Load(const Tensor& t, int64_t i) {
  T v;
  std::memcpy(&v, t.data.data() + i * sizeof(T), sizeof(T));
  return static_cast<double>(v);
}

}  // namespace

std::string_view DataTypeName(DataType t) { return Info(t).name; }

std::optional<DataType> ParseDataType(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (info.name == name) return info.type;
  }
  return std::nullopt;
}

int DataTypeSize(DataType t) { return Info(t).size; }

bool IsNumeric(DataType t) { return t != DataType::kBool && t != DataType::kBytes; }

bool IsFloating(DataType t) {
  return t == DataType::kFp16 || t == DataType::kFp32 || t == DataType::kFp64 ||
         t == DataType::kBf16;
}

std::string_view DataTypePackageName(DataType t) { return Info(t).package_name; }

std::optional<DataType> ParsePackageDataType(std::string_view name) {
  for (const TypeInfo& info : kTypes) {
    if (info.package_name == name) return info.type;
  }
  static constexpr std::pair<std::string_view, DataType> kSynonyms[] = {
      {"double", DataType::kFp64},   {"float", DataType::kFp32},   {"long", DataType::kInt64},
      {"integer", DataType::kInt32}, {"boolean", DataType::kBool}, {"string", DataType::kBytes},
      {"binary", DataType::kBytes},
  };
  for (const auto& [synonym, type] : kSynonyms) {
    if (synonym == name) return type;
  }
  return std::nullopt;
}

int64_t Tensor::ElementCount() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

absl::StatusOr<int64_t> ShapeElementCount(const std::vector<int64_t>& shape, int64_t max_elements) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return absl::InvalidArgumentError("negative dimension in shape " + ShapeString(shape));
    if (d != 0 && n > max_elements / d) {
      return absl::InvalidArgumentError("shape " + ShapeString(shape) + " has more than " +
                                        std::to_string(max_elements) + " elements");
    }
    n *= d;
  }
  return n;
}

double ElementAsDouble(const Tensor& t, int64_t i) {
  switch (t.datatype) {
    case DataType::kBool:
    case DataType::kUint8:
      return Load<uint8_t>(t, i);
    case DataType::kUint16:
      return Load<uint16_t>(t, i);
    case DataType::kUint32:
      return Load<uint32_t>(t, i);
    case DataType::kUint64:
      return Load<uint64_t>(t, i);
    case DataType::kInt8:
      return Load<int8_t>(t, i);
    case DataType::kInt16:
      return Load<int16_t>(t, i);
    case DataType::kInt32:
      return Load<int32_t>(t, i);
    case DataType::kInt64:
      return Load<int64_t>(t, i);
    case DataType::kFp16:
      return HalfToFloat(static_cast<uint16_t>(Load<uint16_t>(t, i)));
    case DataType::kBf16:
      return Bf16ToFloat(static_cast<uint16_t>(Load<uint16_t>(t, i)));
    case DataType::kFp32:
      return Load<float>(t, i);
    case DataType::kFp64:
      return Load<double>(t, i);
    case DataType::kBytes:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> ToDoubles(const Tensor& t) {
  const int64_t n = t.ElementCount();
  std::vector<double> out(static_cast<size_t>(n));
  if (t.datatype == DataType::kFp64) {
    if (n > 0) std::memcpy(out.data(), t.data.data(), n * sizeof(double));
    return out;
  }
  for (int64_t i = 0; i < n; ++i) out[i] = ElementAsDouble(t, i);
  return out;
}

Tensor MakeFp64Tensor(std::string name, std::vector<int64_t> shape, const std::vector<double>& v) {
  Tensor t{std::move(name), DataType::kFp64, std::move(shape), {}, {}};
  t.data.assign(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(double));
  return t;
}

Tensor MakeInt64Tensor(std::string name, std::vector<int64_t> shape,
                       const std::vector<int64_t>& v) {
  Tensor t{std::move(name), DataType::kInt64, std::move(shape), {}, {}};
  t.data.assign(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(int64_t));
  return t;
}

Tensor MakeBytesTensor(std::string name, std::vector<int64_t> shape, std::vector<std::string> v) {
  Tensor t{std::move(name), DataType::kBytes, std::move(shape), {}, std::move(v)};
  return t;
}

std::string ShapeString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

}  // namespace ferry
