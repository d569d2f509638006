// MLflow column-based signatures and models without a signature (invocations_decoders.h).

#include <set>

#include "http/handlers/inference/invocations_decoders.h"
#include "http/handlers/inference/scoring_errors.h"

namespace ferry::http {
namespace {

constexpr std::string_view kCsvPrefix =
    "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid "
    "CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. ";

constexpr std::string_view kNaToInteger = "Cannot convert non-finite values (NA or inf) to integer";

// The cells of a column: a single-column schema takes plain scalar rows as its column, as
// MLflow matches a list with the only column.
absl::StatusOr<std::vector<const JsonValue*>> Cells(const ScoringTable& table,
                                                    const ModelSchema& schema,
                                                    const TensorSpec& spec) {
  const std::vector<JsonValue>* plain = table.PlainRows();
  if (plain != nullptr && schema.inputs.size() == 1 &&
      (plain->empty() || !(*plain)[0].is_array())) {
    std::vector<const JsonValue*> cells;
    for (const JsonValue& v : *plain) cells.push_back(&v);
    return cells;
  }
  return table.Column(spec.name, 0, 0);
}

bool TakesPlainRows(const ScoringTable& table, const ModelSchema& schema) {
  const std::vector<JsonValue>* plain = table.PlainRows();
  return plain != nullptr && schema.inputs.size() == 1 &&
         (plain->empty() || !(*plain)[0].is_array());
}

// MLflow builds one DataFrame from the columns; `instances` given as records first checks
// that every required column has a value in every row.
absl::Status CheckLengths(const ScoringTable& table, const ModelSchema& schema,
                          const TensorSpec& spec, const std::vector<const JsonValue*>& cells,
                          size_t rows) {
  bool holes = false;
  for (const JsonValue* c : cells) holes = holes || c == nullptr;
  if (holes && table.format() == "instances" && spec.required) {
    return BadRequest(
        "Invalid input. The length of values for each input/column name are not the same");
  }
  if (cells.size() == rows && !(holes && table.format() == "instances")) return absl::OkStatus();
  return EnforceError(schema, true,
                      "This model contains a column-based signature, which suggests a "
                      "DataFrame input. There was an error casting the input data to a "
                      "DataFrame: All arrays must be of the same length");
}

absl::StatusOr<Tensor> CastColumn(const ScoringTable& table, const ModelSchema& schema,
                                  const TensorSpec& spec,
                                  const std::vector<const JsonValue*>& cells) {
  Tensor t = SizedTensor(spec.name, spec.datatype, {static_cast<int64_t>(cells.size())});
  std::optional<size_t> csv_column = table.ColumnIndex(spec.name);
  for (size_t i = 0; i < cells.size(); ++i) {
    std::optional<CellError> e =
        table.from_csv() ? CastCsvCell(cells[i]->as_string(), csv_column.value_or(0), t, i)
                         : CastJsonCell(cells[i], t, i);
    if (e) return ColumnCellError(table, schema, spec.name, spec, i, *e);
  }
  return t;
}

// The type pandas gives a JSON column: BOOL, INT64, FP64 (numbers, nulls) or BYTES.
absl::StatusOr<DataType> InferJson(std::string_view name,
                                   const std::vector<const JsonValue*>& cells) {
  bool bools = true, ints = true, numbers = true, strings = true;
  for (const JsonValue* c : cells) {
    bool null = c == nullptr || c->is_null();
    if (c != nullptr && (c->is_array() || c->is_object())) {
      return BadRequest("Invalid input. column '" + std::string(name) +
                        "' holds lists or objects, which need a model signature");
    }
    bools = bools && !null && c->is_bool();
    ints = ints && !null && c->is_integer();
    numbers = numbers && (null || c->is_number());
    strings = strings && !null && c->is_string();
  }
  if (cells.empty() || numbers) return ints && !cells.empty() ? DataType::kInt64 : DataType::kFp64;
  if (bools) return DataType::kBool;
  if (strings) return DataType::kBytes;
  return BadRequest("Invalid input. column '" + std::string(name) +
                    "' mixes value types (numbers, strings, booleans, nulls); without a model "
                    "signature a column must hold one type");
}

// The type pandas.read_csv gives a column of cells.
DataType InferCsv(const std::vector<const JsonValue*>& cells) {
  const DataType kOrder[] = {DataType::kInt64, DataType::kFp64, DataType::kBool};
  for (DataType type : kOrder) {
    Tensor probe = SizedTensor("", type, {1});
    bool all = !cells.empty();
    for (const JsonValue* c : cells) all = all && !CastCsvCell(c->as_string(), 0, probe, 0);
    if (all) return type;
  }
  return DataType::kBytes;
}

}  // namespace

absl::Status ColumnCellError(const ScoringTable& table, const ModelSchema& schema,
                             std::string_view column, const TensorSpec& spec, int64_t row,
                             const CellError& e) {
  std::string where = " (column '" + std::string(column) + "', row " + std::to_string(row) + ")";
  std::string numpy(NumpyTypeName(spec.datatype));
  if (e.kind == CellError::Kind::kUnsafe) {
    return EnforceError(schema, true,
                        "Incompatible input types for column " + std::string(column) +
                            ". Can not safely convert " + e.reason + " to " + numpy + "." + where);
  }
  if (table.from_csv())
    return BadRequest(std::string(kCsvPrefix) + "Error: '" + e.reason + "'" + where);
  if (e.reason == kNaToInteger && table.format().substr(0, 9) != "dataframe") {
    // instances and inputs reach numpy's int() with the None itself.
    return BadRequest(
        "Invalid input. int() argument must be a string, a bytes-like object or a real number, "
        "not 'NoneType'" +
        where);
  }
  return BadRequest(
      "Invalid input. Data is not compatible with model signature. Failed to "
      "convert column " +
      std::string(column) + " to type '" + numpy + "'. Error: '" + e.reason + "'" + where);
}

absl::Status CheckMissing(const ScoringTable& table, const ModelSchema& schema, bool columns) {
  std::vector<std::string> missing;
  std::set<std::string_view> known;
  for (const TensorSpec& spec : schema.inputs) {
    known.insert(spec.name);
    if (spec.required && !table.ColumnIndex(spec.name)) missing.push_back(spec.name);
  }
  if (missing.empty()) return absl::OkStatus();
  std::string reason = "Model is missing inputs " + PythonList(missing) + ".";
  std::vector<std::string> extra;
  for (const std::string& name : table.ColumnNames()) {
    if (known.count(name) == 0) extra.push_back(name);
  }
  if (!extra.empty()) reason += " Note that there were extra inputs: " + PythonList(extra);
  return EnforceError(schema, columns, reason);
}

absl::StatusOr<std::vector<Tensor>> DecodeColumns(const ScoringTable& table,
                                                  const ModelSchema& schema) {
  if (!TakesPlainRows(table, schema)) RETURN_IF_ERROR(CheckMissing(table, schema, true));
  std::vector<Tensor> tensors;
  std::optional<size_t> rows;
  for (const TensorSpec& spec : schema.inputs) {
    if (!TakesPlainRows(table, schema) && !table.ColumnIndex(spec.name)) continue;  // optional
    ASSIGN_OR_RETURN(std::vector<const JsonValue*> cells, Cells(table, schema, spec));
    if (!rows) rows = cells.size();
    RETURN_IF_ERROR(CheckLengths(table, schema, spec, cells, *rows));
    ASSIGN_OR_RETURN(Tensor t, CastColumn(table, schema, spec, cells));
    tensors.push_back(std::move(t));
  }
  return tensors;
}

absl::StatusOr<std::vector<Tensor>> DecodeUntyped(const ScoringTable& table) {
  std::vector<Tensor> tensors;
  const std::vector<std::string>& names = table.ColumnNames();
  ModelSchema schema;
  for (size_t j = 0; j < names.size(); ++j) {
    ASSIGN_OR_RETURN(std::vector<const JsonValue*> cells, table.Column(names[j], j, names.size()));
    TensorSpec spec{names[j], DataType::kFp64, {-1}, {}, true};
    if (table.from_csv()) {
      spec.datatype = InferCsv(cells);
    } else {
      ASSIGN_OR_RETURN(spec.datatype, InferJson(names[j], cells));
    }
    schema.inputs.push_back(spec);
    size_t rows = tensors.empty() ? cells.size() : tensors[0].shape[0];
    RETURN_IF_ERROR(CheckLengths(table, schema, spec, cells, rows));
    ASSIGN_OR_RETURN(Tensor t, CastColumn(table, schema, spec, cells));
    tensors.push_back(std::move(t));
  }
  return tensors;
}

}  // namespace ferry::http
