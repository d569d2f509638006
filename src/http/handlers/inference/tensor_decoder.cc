// Ferry's tabular families and MLflow tensor-based signatures (invocations_decoders.h).

#include "http/handlers/inference/invocations_decoders.h"
#include "http/handlers/inference/scoring_errors.h"
#include "http/handlers/inference/tensor_data.h"

namespace ferry::http {
namespace {

constexpr size_t kMaxDims = 32;

bool CastSupported(DataType t) {
  return t == DataType::kFp64 || t == DataType::kFp32 || t == DataType::kInt64 ||
         t == DataType::kInt32 || t == DataType::kBool || t == DataType::kBytes;
}

// Fills an [rows, columns] matrix of `t`'s datatype from `columns`, column by column.
absl::Status FillMatrix(const ScoringTable& table, const ModelSchema& schema,
                        const std::vector<std::vector<const JsonValue*>>& columns,
                        const std::vector<std::string>& names, Tensor& t, bool tabular) {
  const size_t f = columns.size();
  for (size_t j = 0; j < f; ++j) {
    std::optional<size_t> csv_column = table.ColumnIndex(names[j]);
    for (size_t i = 0; i < columns[j].size(); ++i) {
      const JsonValue* cell = columns[j][i];
      std::optional<CellError> e =
          table.from_csv() ? CastCsvCell(cell->as_string(), csv_column.value_or(j), t, i * f + j)
                           : CastJsonCell(cell, t, i * f + j);
      if (!e) continue;
      if (tabular) return ColumnCellError(table, schema, names[j], schema.inputs[0], i, *e);
      return TensorCellError(schema, schema.inputs[0], *e);
    }
  }
  return absl::OkStatus();
}

// The shape of `v` read along first elements, with the batch of `values.size()` in front.
std::vector<int64_t> StackedShape(const JsonValue& stacked) {
  std::vector<int64_t> shape;
  const JsonValue* level = &stacked;
  while (level->is_array() && shape.size() < kMaxDims) {
    shape.push_back(static_cast<int64_t>(level->items().size()));
    if (level->items().empty()) break;
    level = &level->items()[0];
  }
  return shape;
}

bool ShapeFits(const TensorSpec& spec, const std::vector<int64_t>& shape) {
  if (spec.shape.empty()) return true;  // an unconstrained spec
  if (spec.shape.size() != shape.size()) return false;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (spec.shape[d] != -1 && spec.shape[d] != shape[d]) return false;
  }
  return true;
}

// Appends the leaves of `v` in row-major order; false when `v` is ragged against `shape`.
bool Leaves(const JsonValue& v, const std::vector<int64_t>& shape, size_t dim,
            std::vector<const JsonValue*>& out) {
  if (dim == shape.size()) {
    if (v.is_array()) return false;
    out.push_back(&v);
    return true;
  }
  if (!v.is_array() || static_cast<int64_t>(v.items().size()) != shape[dim]) return false;
  for (const JsonValue& item : v.items()) {
    if (!Leaves(item, shape, dim + 1, out)) return false;
  }
  return true;
}

absl::StatusOr<Tensor> Stack(const ModelSchema& schema, const TensorSpec& spec,
                             const std::vector<const JsonValue*>& values) {
  JsonValue stacked = JsonValue::Array();
  stacked.mutable_items().reserve(values.size());
  for (const JsonValue* v : values) stacked.mutable_items().push_back(v ? *v : JsonValue());
  std::vector<int64_t> shape = StackedShape(stacked);
  if (!ShapeFits(spec, shape)) {
    return EnforceError(schema, false,
                        "Shape of input " + PythonShape(shape) + " does not match expected shape " +
                            PythonShape(spec.shape) + ". (input '" + spec.name + "')");
  }
  std::vector<const JsonValue*> leaves;
  if (!Leaves(stacked, shape, 0, leaves)) {
    return BadRequest("Invalid input. input '" + spec.name +
                      "': setting an array element with a sequence. The requested array has an "
                      "inhomogeneous shape");
  }
  if (!CastSupported(spec.datatype)) {
    Tensor t;
    t.name = spec.name;
    t.datatype = spec.datatype;
    t.shape = shape;
    RETURN_IF_ERROR(TensorFromJson(stacked, t));
    return t;
  }
  Tensor t = SizedTensor(spec.name, spec.datatype, shape);
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (std::optional<CellError> e = CastJsonCell(leaves[i], t, i)) {
      return TensorCellError(schema, spec, *e);
    }
  }
  return t;
}

// A single unnamed tensor fed from a DataFrame: every column, as an [N, columns] matrix.
absl::StatusOr<std::vector<Tensor>> FromFrame(const ScoringTable& table,
                                              const ModelSchema& schema) {
  const TensorSpec& spec = schema.inputs[0];
  const std::vector<std::string>& names = table.ColumnNames();
  int64_t width = static_cast<int64_t>(names.size());
  if (width > 1 && spec.shape != std::vector<int64_t>{-1, width}) {
    return EnforceError(
        schema, false,
        "This model contains a model signature with an unnamed input. Since the input data is "
        "a pandas DataFrame containing multiple columns, the input shape must be of the "
        "structure (-1, number_of_dataframe_columns). Instead, the input DataFrame passed had " +
            std::to_string(width) + " columns and an input shape of " + PythonShape(spec.shape) +
            " with all values within the DataFrame of scalar type.");
  }
  std::vector<std::vector<const JsonValue*>> columns;
  for (size_t j = 0; j < names.size(); ++j) {
    ASSIGN_OR_RETURN(std::vector<const JsonValue*> cells, table.Column(names[j], j, names.size()));
    columns.push_back(std::move(cells));
  }
  int64_t rows = columns.empty() ? 0 : static_cast<int64_t>(columns[0].size());
  std::vector<int64_t> shape =
      spec.shape.size() == 1 ? std::vector<int64_t>{rows} : std::vector<int64_t>{rows, width};
  if (!CastSupported(spec.datatype)) {
    return BadRequest("Invalid input. datatype " + std::string(DataTypeName(spec.datatype)) +
                      " cannot be read from a DataFrame");
  }
  Tensor t = SizedTensor(spec.name, spec.datatype, shape);
  RETURN_IF_ERROR(FillMatrix(table, schema, columns, names, t, false));
  return std::vector<Tensor>{std::move(t)};
}

}  // namespace

absl::Status TensorCellError(const ModelSchema& schema, const TensorSpec& spec,
                             const CellError& e) {
  if (e.kind == CellError::Kind::kConvert) return BadRequest("Invalid input. " + e.reason);
  return EnforceError(schema, false,
                      "dtype of input " + e.reason + " does not match expected dtype " +
                          std::string(NumpyTypeName(spec.datatype)) + " (input '" + spec.name +
                          "')");
}

absl::StatusOr<std::vector<Tensor>> DecodeTabular(const ScoringTable& table,
                                                  const ModelSchema& schema) {
  const TensorSpec& spec = schema.inputs[0];
  const size_t f = spec.columns.size();
  ModelSchema columns_schema;
  for (const std::string& c : spec.columns) {
    columns_schema.inputs.push_back({c, DataType::kFp64, {-1}, {}, spec.allow_nan});
  }
  if (!table.positional()) RETURN_IF_ERROR(CheckMissing(table, columns_schema, true));
  std::vector<std::vector<const JsonValue*>> columns;
  for (size_t j = 0; j < f; ++j) {
    ASSIGN_OR_RETURN(std::vector<const JsonValue*> cells, table.Column(spec.columns[j], j, f));
    if (j > 0 && cells.size() != columns[0].size()) {
      return EnforceError(columns_schema, true,
                          "All arrays must be of the same length (column '" + spec.columns[j] +
                              "' has " + std::to_string(cells.size()) + " values, column '" +
                              spec.columns[0] + "' has " + std::to_string(columns[0].size()) + ")");
    }
    columns.push_back(std::move(cells));
  }
  int64_t n = columns.empty() ? 0 : static_cast<int64_t>(columns[0].size());
  Tensor t = SizedTensor(spec.name, DataType::kFp64, {n, static_cast<int64_t>(f)});
  RETURN_IF_ERROR(FillMatrix(table, columns_schema, columns, spec.columns, t, true));
  return std::vector<Tensor>{std::move(t)};
}

absl::StatusOr<std::vector<Tensor>> DecodeTensors(const ScoringTable& table,
                                                  const ModelSchema& schema) {
  const std::vector<JsonValue>* plain = table.PlainRows();
  bool single = schema.inputs.size() == 1;
  if (single && plain == nullptr && !table.columnar() &&
      !table.ColumnIndex(schema.inputs[0].name)) {
    return FromFrame(table, schema);
  }
  if (!(single && plain != nullptr)) RETURN_IF_ERROR(CheckMissing(table, schema, false));
  std::vector<Tensor> tensors;
  for (size_t k = 0; k < schema.inputs.size(); ++k) {
    const TensorSpec& spec = schema.inputs[k];
    std::vector<const JsonValue*> values;
    if (single && plain != nullptr) {
      for (const JsonValue& row : *plain) values.push_back(&row);
    } else {
      if (!table.ColumnIndex(spec.name)) continue;  // optional
      ASSIGN_OR_RETURN(values, table.Column(spec.name, k, schema.inputs.size()));
    }
    ASSIGN_OR_RETURN(Tensor t, Stack(schema, spec, values));
    tensors.push_back(std::move(t));
  }
  return tensors;
}

}  // namespace ferry::http
