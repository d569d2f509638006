#include "runtime/python/worker_tensors.h"

#include <cmath>
#include <cstring>

#include "common/json.h"
#include "common/strings.h"

namespace ferry::runtime::python {
namespace {

template <typename T>
Tensor FromDoubles(const Tensor& in, DataType type) {
  Tensor t{in.name, type, in.shape, {}, {}};
  const int64_t n = in.ElementCount();
  t.data.resize(static_cast<size_t>(n) * sizeof(T));
  T* out = t.MutableAs<T>();
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(ElementAsDouble(in, i));
  return t;
}

bool IsIntegral(DataType t) { return IsNumeric(t) && !IsFloating(t); }

// The request tensor as the schema's datatype: MLflow's safe conversions (int to double,
// float to double, int to long, bool to numbers); anything else goes as it came.
Tensor Convert(const Tensor& in, DataType want) {
  if (in.datatype == want || in.datatype == DataType::kBytes || want == DataType::kBytes) {
    return in;
  }
  switch (want) {
    case DataType::kFp64:
      return FromDoubles<double>(in, want);
    case DataType::kFp32:
      return FromDoubles<float>(in, want);
    case DataType::kInt64:
      return IsIntegral(in.datatype) ? FromDoubles<int64_t>(in, want) : in;
    case DataType::kInt32:
      return IsIntegral(in.datatype) ? FromDoubles<int32_t>(in, want) : in;
    default:
      return in;
  }
}

DataType InferColumnType(const std::vector<const JsonValue*>& cells) {
  bool all_int = true, all_num = true, all_bool = true;
  for (const JsonValue* v : cells) {
    all_bool &= v->is_bool();
    all_num &= v->is_number();
    all_int &= v->is_integer();
  }
  if (cells.empty() || all_num)
    return all_int && !cells.empty() ? DataType::kInt64 : DataType::kFp64;
  if (all_bool) return DataType::kBool;
  return DataType::kBytes;
}

absl::StatusOr<Tensor> ColumnTensor(std::string name, DataType type,
                                    const std::vector<const JsonValue*>& cells) {
  const int64_t n = static_cast<int64_t>(cells.size());
  Tensor t{name, type, {n}, {}, {}};
  if (type == DataType::kBytes) {
    for (const JsonValue* v : cells) t.strings.push_back(v->is_string() ? v->as_string() : "");
    return t;
  }
  std::vector<double> values;
  for (const JsonValue* v : cells) {
    if (v->is_null()) {
      values.push_back(std::nan(""));
    } else if (v->is_number() || v->is_bool()) {
      values.push_back(v->is_bool() ? (v->as_bool() ? 1.0 : 0.0) : v->as_double());
    } else {
      return absl::InvalidArgumentError(StrCat("input example: column \"", name, "\" holds a ",
                                               v->TypeName(), " where ", DataTypeName(type),
                                               " belongs"));
    }
  }
  return Convert(MakeFp64Tensor(name, {n}, values), type);
}

}  // namespace

absl::Status PrepareInputs(const ModelSchema& schema, const std::vector<Tensor>& inputs,
                           std::vector<Tensor>& out) {
  out.clear();
  if (schema.inputs.empty()) {
    out = inputs;
    return absl::OkStatus();
  }
  for (const TensorSpec& spec : schema.inputs) {
    const Tensor* found = nullptr;
    for (const Tensor& t : inputs) {
      if (t.name == spec.name) found = &t;
    }
    if (found == nullptr)
      return absl::InvalidArgumentError(StrCat("missing input \"", spec.name, "\""));
    out.push_back(Convert(*found, spec.datatype));
  }
  return absl::OkStatus();
}

int64_t BatchRows(const std::vector<Tensor>& inputs) {
  if (inputs.empty() || inputs[0].shape.empty()) return 0;
  return inputs[0].shape[0];
}

bool IsColumnSchema(const ModelSchema& schema) {
  for (const TensorSpec& spec : schema.inputs) {
    if (spec.shape.size() != 1) return false;
  }
  return true;
}

absl::StatusOr<std::vector<Tensor>> ReadInputExample(std::string_view json,
                                                     const ModelSchema& schema) {
  absl::StatusOr<JsonValue> doc = ParseJson(json);
  if (!doc.ok())
    return absl::InvalidArgumentError(StrCat("input example: ", StatusMessage(doc.status())));
  const JsonValue* columns = doc->Find("columns");
  const JsonValue* data = doc->Find("data");
  if (columns == nullptr || !columns->is_array() || data == nullptr || !data->is_array()) {
    return absl::InvalidArgumentError(
        "input example: expected MLflow's split orient, {\"columns\": [...], \"data\": [[...]]}");
  }
  std::vector<Tensor> out;
  const size_t width = columns->items().size();
  for (size_t c = 0; c < width; ++c) {
    const JsonValue& name = columns->items()[c];
    std::string col = name.is_string() ? name.as_string() : StrCat(c);
    std::vector<const JsonValue*> cells;
    for (const JsonValue& row : data->items()) {
      if (!row.is_array() || row.items().size() != width) {
        return absl::InvalidArgumentError(
            StrCat("input example: every row must be a list of ", width, " values"));
      }
      cells.push_back(&row.items()[c]);
    }
    const TensorSpec* spec = schema.FindInput(col);
    const DataType type = spec != nullptr ? spec->datatype : InferColumnType(cells);
    ASSIGN_OR_RETURN(Tensor t, ColumnTensor(col, type, cells));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TensorSpec> OutputSpecs(const std::vector<Tensor>& outputs) {
  std::vector<TensorSpec> specs;
  for (const Tensor& t : outputs) {
    TensorSpec spec;
    spec.name = t.name;
    spec.datatype = t.datatype;
    spec.shape = t.shape;
    if (!spec.shape.empty()) spec.shape[0] = -1;
    specs.push_back(std::move(spec));
  }
  return specs;
}

}  // namespace ferry::runtime::python
