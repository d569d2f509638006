#include "http/handlers/inference/invocations_codec.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "common/json.h"
#include "common/json_writer.h"
#include "http/handlers/inference/scoring_table.h"
#include "http/handlers/inference/tensor_data.h"

namespace ferry::http {
namespace {

constexpr size_t kMaxDims = 32;

// A CSV cell (a string) read as a number for a numeric input: "" and "nan" become NaN as in
// pandas; anything else must parse completely.
JsonValue CsvNumber(const JsonValue& cell) {
  const std::string& s = cell.as_string();
  if (s.empty() || s == "nan" || s == "NaN") {
    return JsonValue::Double(std::numeric_limits<double>::quiet_NaN());
  }
  int64_t i = 0;
  auto ri = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ri.ec == std::errc() && ri.ptr == s.data() + s.size()) return JsonValue::Int(i);
  double d = 0;
  auto rd = std::from_chars(s.data(), s.data() + s.size(), d);
  if (rd.ec == std::errc() && rd.ptr == s.data() + s.size()) return JsonValue::Double(d);
  return cell;  // left as a string: the element check reports it
}

// `cell` as it should be read for a `target` element.
JsonValue Coerce(const JsonValue& cell, DataType target, bool csv) {
  if (target == DataType::kBytes) return cell;
  if (csv && cell.is_string()) return CsvNumber(cell);
  if (cell.is_null() && IsFloating(target)) {
    return JsonValue::Double(std::numeric_limits<double>::quiet_NaN());
  }
  return cell;
}

bool IsTabular(const ModelSchema& schema) {
  if (schema.inputs.size() != 1) return false;
  const TensorSpec& spec = schema.inputs[0];
  return spec.shape.size() == 2 && !spec.columns.empty() &&
         (spec.shape[1] < 0 || spec.shape[1] == static_cast<int64_t>(spec.columns.size()));
}

// SetElement's message says `input "x": element 7: <reason>`; a table names the cell.
absl::Status CellError(const std::string& column, int64_t row, const absl::Status& s) {
  std::string_view msg = StatusMessage(s);
  size_t at = msg.find(": element ");
  if (at != std::string_view::npos) at = msg.find(": ", at + 2);
  std::string_view reason = at == std::string_view::npos ? msg : msg.substr(at + 2);
  return absl::InvalidArgumentError("column \"" + column + "\", row " + std::to_string(row) + ": " +
                                    std::string(reason));
}

absl::StatusOr<std::vector<Tensor>> DecodeTabular(const ScoringTable& table,
                                                  const TensorSpec& spec) {
  size_t f = spec.columns.size();
  Tensor t;
  t.name = spec.name;
  t.datatype = DataType::kFp64;
  std::vector<std::vector<const JsonValue*>> columns;
  columns.reserve(f);
  for (size_t j = 0; j < f; ++j) {
    ASSIGN_OR_RETURN(std::vector<const JsonValue*> cells, table.Column(spec.columns[j], j, f));
    if (j > 0 && cells.size() != columns[0].size()) {
      return absl::InvalidArgumentError(
          "column \"" + spec.columns[j] + "\" has " + std::to_string(cells.size()) +
          " values, column \"" + spec.columns[0] + "\" has " + std::to_string(columns[0].size()));
    }
    columns.push_back(std::move(cells));
  }
  int64_t n = columns.empty() ? 0 : static_cast<int64_t>(columns[0].size());
  t.shape = {n, static_cast<int64_t>(f)};
  t.data.assign(n * f * sizeof(double), '\0');
  for (size_t j = 0; j < f; ++j) {
    for (int64_t i = 0; i < n; ++i) {
      absl::Status s =
          SetElement(Coerce(*columns[j][i], DataType::kFp64, table.from_csv()), t, i * f + j);
      if (!s.ok()) return CellError(spec.columns[j], i, s);
    }
  }
  return std::vector<Tensor>{std::move(t)};
}

DataType WireType(DataType spec) {
  if (spec == DataType::kBytes || spec == DataType::kBool) return spec;
  return IsFloating(spec) ? DataType::kFp64 : DataType::kInt64;
}

// Stacks one value per row into a tensor of shape [rows, ...the values' own shape].
absl::StatusOr<Tensor> Stack(const TensorSpec& spec, const std::vector<const JsonValue*>& values,
                             bool csv) {
  Tensor t;
  t.name = spec.name;
  t.datatype = WireType(spec.datatype);
  JsonValue stacked = JsonValue::Array();
  stacked.mutable_items().reserve(values.size());
  for (const JsonValue* v : values) stacked.mutable_items().push_back(Coerce(*v, t.datatype, csv));
  const JsonValue* level = &stacked;
  while (level->is_array() && t.shape.size() < kMaxDims) {
    t.shape.push_back(static_cast<int64_t>(level->items().size()));
    if (level->items().empty()) break;
    level = &level->items()[0];
  }
  RETURN_IF_ERROR(TensorFromJson(stacked, t));
  return t;
}

absl::StatusOr<std::vector<Tensor>> DecodeGeneral(const ScoringTable& table,
                                                  const ModelSchema& schema) {
  std::vector<Tensor> tensors;
  const std::vector<JsonValue>* plain = table.PlainRows();
  for (size_t k = 0; k < schema.inputs.size(); ++k) {
    const TensorSpec& spec = schema.inputs[k];
    std::vector<const JsonValue*> values;
    if (plain != nullptr && schema.inputs.size() == 1) {
      for (const JsonValue& row : *plain) values.push_back(&row);
    } else {
      ASSIGN_OR_RETURN(values, table.Column(spec.name, k, schema.inputs.size()));
    }
    ASSIGN_OR_RETURN(Tensor t, Stack(spec, values, table.from_csv()));
    tensors.push_back(std::move(t));
  }
  return tensors;
}

absl::StatusOr<std::vector<Tensor>> Decode(const ScoringTable& table, const ModelSchema& schema) {
  if (IsTabular(schema)) return DecodeTabular(table, schema.inputs[0]);
  return DecodeGeneral(table, schema);
}

// Appends the slice of `t` starting at element `offset` over dimensions [dim, rank).
void AppendSlice(const Tensor& t, size_t dim, int64_t offset, std::string* out) {
  if (dim == t.shape.size()) return AppendJsonElement(t, offset, out);
  int64_t stride = 1;
  for (size_t d = dim + 1; d < t.shape.size(); ++d) stride *= t.shape[d];
  out->push_back('[');
  for (int64_t i = 0; i < t.shape[dim]; ++i) {
    if (i) out->push_back(',');
    AppendSlice(t, dim + 1, offset + i * stride, out);
  }
  out->push_back(']');
}

// True when `t`'s data holds exactly the elements its shape promises.
bool Consistent(const Tensor& t) {
  absl::StatusOr<int64_t> n = ShapeElementCount(t.shape);
  if (!n.ok()) return false;
  if (t.datatype == DataType::kBytes) return static_cast<int64_t>(t.strings.size()) == *n;
  return static_cast<int64_t>(t.data.size()) == *n * DataTypeSize(t.datatype);
}

void AppendTensor(const Tensor& t, std::string* out) {
  if (Consistent(t) && !t.shape.empty()) return AppendSlice(t, 0, 0, out);
  AppendJsonData(t, out);
}

bool SameRows(const std::vector<Tensor>& outputs) {
  for (const Tensor& t : outputs) {
    if (!Consistent(t) || t.shape.empty() || t.shape[0] != outputs[0].shape[0]) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<Tensor>> DecodeInvocationsJson(std::string_view body,
                                                          const ModelSchema& schema) {
  ASSIGN_OR_RETURN(JsonValue root, ParseJson(body));
  ASSIGN_OR_RETURN(ScoringTable table, ScoringTable::FromJson(root));
  return Decode(table, schema);
}

absl::StatusOr<std::vector<Tensor>> DecodeInvocationsCsv(std::string_view body,
                                                         const ModelSchema& schema) {
  JsonValue storage;
  ASSIGN_OR_RETURN(ScoringTable table, ScoringTable::FromCsv(body, storage));
  return Decode(table, schema);
}

std::string EncodePredictions(const std::vector<Tensor>& outputs) {
  std::string out = "{\"predictions\":";
  if (outputs.size() == 1) {
    AppendTensor(outputs[0], &out);
  } else if (!outputs.empty() && SameRows(outputs)) {
    out.push_back('[');
    for (int64_t i = 0; i < outputs[0].shape[0]; ++i) {
      if (i) out.push_back(',');
      out.push_back('{');
      for (size_t k = 0; k < outputs.size(); ++k) {
        const Tensor& t = outputs[k];
        if (k) out.push_back(',');
        AppendJsonString(&out, t.name);
        out.push_back(':');
        int64_t stride = 1;
        for (size_t d = 1; d < t.shape.size(); ++d) stride *= t.shape[d];
        AppendSlice(t, 1, i * stride, &out);
      }
      out.push_back('}');
    }
    out.push_back(']');
  } else {
    out.push_back('{');
    for (size_t k = 0; k < outputs.size(); ++k) {
      if (k) out.push_back(',');
      AppendJsonString(&out, outputs[k].name);
      out.push_back(':');
      AppendTensor(outputs[k], &out);
    }
    out.push_back('}');
  }
  out.push_back('}');
  return out;
}

std::string ScoringErrorBody(std::string_view error_code, std::string_view message) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("error_code", error_code).Field("message", message).EndObject();
  return out;
}

}  // namespace ferry::http
