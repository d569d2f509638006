#pragma once
// Tensor contents as the inference protocols carry them: JSON element lists (flat or nested)
// and the binary tensor data extension's raw bytes. Shared by the OIP and MLflow codecs.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "core/tensor.h"

namespace ferry::http {

// Fills `t.data` / `t.strings` from JSON `data`, given t.name, t.datatype and t.shape.
// `data` is a flat list whose length is the shape's element count, a nested list matching
// the shape, or (shape []) one scalar. kInvalidArgument naming the input and element.
absl::Status TensorFromJson(const JsonValue& data, Tensor& t);

// Fills `t` from raw little-endian bytes (BYTES: 4-byte length prefix per element).
// kInvalidArgument when the size does not match the shape.
absl::Status TensorFromBinary(std::string_view bytes, Tensor& t);

// Stores element `i` of `t` from a JSON scalar (t.data / t.strings already sized).
absl::Status SetElement(const JsonValue& v, Tensor& t, int64_t i);

// Appends the elements of `t` as a flat JSON array.
void AppendJsonData(const Tensor& t, std::string* out);
// Appends element `i` of `t` as a JSON value.
void AppendJsonElement(const Tensor& t, int64_t i, std::string* out);
// Appends `t`'s binary form; returns the number of bytes appended.
size_t AppendBinaryData(const Tensor& t, std::string* out);

// Shortest round-trip forms; NaN and infinities as the strings "NaN", "Infinity",
// "-Infinity" (as JsonWriter writes them, and as TensorFromJson reads them back).
void AppendDouble(std::string* out, double v);
void AppendFloat(std::string* out, float v);

}  // namespace ferry::http
