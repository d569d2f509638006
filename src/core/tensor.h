#pragma once
// Typed tensors as the Open Inference Protocol sees them: a name, a datatype, a shape and
// row-major little-endian data. Fixed-size datatypes keep their bytes in `data`; BYTES keeps
// one string per element in `strings`. Value types, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry {

// The 13 OIP datatypes plus Triton's BF16.
enum class DataType {
  kBool,
  kUint8,
  kUint16,
  kUint32,
  kUint64,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFp16,
  kFp32,
  kFp64,
  kBytes,
  kBf16,
};

// "BOOL", "UINT8", ..., "FP32", "BYTES", "BF16" (OIP spelling).
std::string_view DataTypeName(DataType t);
// Parses the OIP spelling (case-sensitive). nullopt for anything else.
std::optional<DataType> ParseDataType(std::string_view name);
// Size of one element in bytes; 0 for BYTES.
int DataTypeSize(DataType t);
// True for the integer and floating-point types (not BOOL, not BYTES).
bool IsNumeric(DataType t);
bool IsFloating(DataType t);  // FP16, FP32, FP64, BF16

// The lowercase spelling used in package configs ("float32", "int64", "bool", "bytes").
std::string_view DataTypePackageName(DataType t);
// Accepts the package spellings and their MLflow synonyms ("double" -> FP64, "float" ->
// FP32, "long" -> INT64, "integer" -> INT32, "boolean" -> BOOL, "string"/"binary" ->
// BYTES). nullopt otherwise.
std::optional<DataType> ParsePackageDataType(std::string_view name);

struct Tensor {
  std::string name;
  DataType datatype = DataType::kFp64;
  std::vector<int64_t> shape;
  std::string data;                  // fixed-size types: ElementCount() * size bytes
  std::vector<std::string> strings;  // BYTES: ElementCount() elements

  // Product of the shape (1 for a scalar, shape []).
  int64_t ElementCount() const;
  // Typed view of `data`; the caller must have checked the datatype.
  template <typename T>
  const T* As() const {
    return reinterpret_cast<const T*>(data.data());
  }
  template <typename T>
  T* MutableAs() {
    return reinterpret_cast<T*>(data.data());
  }
};

// Element count of `shape`, or kInvalidArgument when a dimension is negative or the product
// overflows int64 / exceeds `max_elements`.
absl::StatusOr<int64_t> ShapeElementCount(const std::vector<int64_t>& shape,
                                          int64_t max_elements = int64_t{1} << 40);

// Element i of a numeric or BOOL tensor as a double (FP16/BF16 are widened).
double ElementAsDouble(const Tensor& t, int64_t i);
// All elements of a numeric or BOOL tensor as doubles.
std::vector<double> ToDoubles(const Tensor& t);

// Builds FP64 / INT64 / BYTES tensors.
Tensor MakeFp64Tensor(std::string name, std::vector<int64_t> shape, const std::vector<double>& v);
Tensor MakeInt64Tensor(std::string name, std::vector<int64_t> shape, const std::vector<int64_t>& v);
Tensor MakeBytesTensor(std::string name, std::vector<int64_t> shape, std::vector<std::string> v);

// "[2,3]" for error messages.
std::string ShapeString(const std::vector<int64_t>& shape);

}  // namespace ferry
