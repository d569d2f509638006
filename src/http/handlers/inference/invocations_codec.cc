#include "http/handlers/inference/invocations_codec.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "common/json.h"
#include "common/json_writer.h"
#include "http/handlers/inference/invocations_decoders.h"
#include "http/handlers/inference/scoring_errors.h"
#include "http/handlers/inference/scoring_table.h"
#include "http/handlers/inference/tensor_data.h"

namespace ferry::http {
namespace {

bool IsTabular(const ModelSchema& schema) {
  if (schema.inputs.size() != 1) return false;
  const TensorSpec& spec = schema.inputs[0];
  return spec.shape.size() == 2 && !spec.columns.empty() &&
         (spec.shape[1] < 0 || spec.shape[1] == static_cast<int64_t>(spec.columns.size()));
}

bool IsColumnBased(const ModelSchema& schema) {
  for (const TensorSpec& spec : schema.inputs) {
    if (spec.shape != std::vector<int64_t>{-1}) return false;
  }
  return !schema.inputs.empty();
}

absl::StatusOr<std::vector<Tensor>> Decode(const ScoringTable& table, const ModelSchema& schema) {
  if (schema.inputs.empty()) return DecodeUntyped(table);
  if (IsColumnBased(schema)) return DecodeColumns(table, schema);
  if (IsTabular(schema)) return DecodeTabular(table, schema);
  return DecodeTensors(table, schema);
}

absl::Status ReadParams(const JsonValue& root, ScoringParams& params) {
  const JsonValue* p = root.Find("params");
  if (p == nullptr || !p->is_object()) return absl::OkStatus();  // MLflow ignores them
  const JsonValue* method = p->Find("predict_method");
  if (method == nullptr) return absl::OkStatus();
  if (!method->is_string()) return ParsePredictMethod(ToJsonString(*method), params);
  return ParsePredictMethod(method->as_string(), params);
}

// A finite double as Python's repr() writes it (MLflow's JSON encoder does): the shortest
// round-trip digits, positional for exponents -4..15 with at least one decimal ("1.0"),
// scientific otherwise ("1e-05", "1.5e+16").
void AppendPythonFloat(double v, std::string* out) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, r.ptr - buf);  // "-d.ddde±XX"
  size_t e = sci.find('e');
  int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (std::signbit(v)) out->push_back('-');
  if (exp < -4 || exp >= 16) {
    out->push_back(digits[0]);
    if (digits.size() > 1) out->append("." + digits.substr(1));
    out->append(exp < 0 ? "e-" : "e+");
    std::string x = std::to_string(exp < 0 ? -exp : exp);
    out->append((x.size() < 2 ? "0" : "") + x);
  } else if (exp < 0) {
    out->append("0." + std::string(-exp - 1, '0') + digits);
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    out->append(digits + std::string(exp + 1 - digits.size(), '0') + ".0");
  } else {
    out->append(digits.substr(0, exp + 1) + "." + digits.substr(exp + 1));
  }
}

void AppendElement(const Tensor& t, int64_t i, std::string* out) {
  if (t.datatype == DataType::kFp64 || t.datatype == DataType::kFp32) {
    double v = ElementAsDouble(t, i);
    if (std::isfinite(v)) return AppendPythonFloat(v, out);
  }
  AppendJsonElement(t, i, out);
}

// Appends the slice of `t` starting at element `offset` over dimensions [dim, rank).
void AppendSlice(const Tensor& t, size_t dim, int64_t offset, std::string* out) {
  if (dim == t.shape.size()) return AppendElement(t, offset, out);
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
  if (Consistent(t)) return AppendSlice(t, 0, 0, out);
  AppendJsonData(t, out);
}

bool SameRows(const std::vector<Tensor>& outputs) {
  for (const Tensor& t : outputs) {
    if (!Consistent(t) || t.shape.empty() || t.shape[0] != outputs[0].shape[0]) return false;
  }
  return true;
}

void AppendRecords(const std::vector<Tensor>& outputs, std::string* out) {
  out->push_back('[');
  for (int64_t i = 0; i < outputs[0].shape[0]; ++i) {
    if (i) out->push_back(',');
    out->push_back('{');
    for (size_t k = 0; k < outputs.size(); ++k) {
      const Tensor& t = outputs[k];
      if (k) out->push_back(',');
      AppendJsonString(out, t.name);
      out->push_back(':');
      int64_t stride = 1;
      for (size_t d = 1; d < t.shape.size(); ++d) stride *= t.shape[d];
      AppendSlice(t, 1, i * stride, out);
    }
    out->push_back('}');
  }
  out->push_back(']');
}

const Tensor* FindOutput(const std::vector<Tensor>& outputs, std::string_view name) {
  for (const Tensor& t : outputs) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::vector<Tensor>> DecodeInvocationsJson(std::string_view body,
                                                          const ModelSchema& schema,
                                                          ScoringParams* params) {
  absl::StatusOr<JsonValue> root = ParseJson(body);
  if (!root.ok()) {
    return BadRequest(
        "Invalid input. Ensure that input is a valid JSON formatted string. Error: '" +
        std::string(StatusMessage(root.status())) + "'");
  }
  ASSIGN_OR_RETURN(ScoringTable table, ScoringTable::FromJson(*root));
  ScoringParams ignored;
  RETURN_IF_ERROR(ReadParams(*root, params != nullptr ? *params : ignored));
  return Decode(table, schema);
}

absl::StatusOr<std::vector<Tensor>> DecodeInvocationsCsv(std::string_view body,
                                                         const ModelSchema& schema) {
  JsonValue storage;
  absl::StatusOr<ScoringTable> table = ScoringTable::FromCsv(body, storage);
  if (!table.ok()) {
    return BadRequest(
        "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid "
        "CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. "
        "Error: '" +
        std::string(StatusMessage(table.status())) + "'");
  }
  return Decode(*table, schema);
}

absl::Status ParsePredictMethod(std::string_view value, ScoringParams& params) {
  if (value != "predict" && value != "predict_proba") {
    return InvalidParameter(
        "Invalid parameters found: predict_method must be 'predict' or "
        "'predict_proba', got '" +
        std::string(value) + "'");
  }
  params.predict_method = std::string(value);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Tensor>> SelectScoringOutputs(std::vector<Tensor> outputs,
                                                         const ScoringParams& params) {
  const Tensor* labels = FindOutput(outputs, "predictions");
  const Tensor* probabilities = FindOutput(outputs, "probabilities");
  bool proba = params.predict_method == "predict_proba";
  if (proba && probabilities == nullptr) {
    return InvalidParameter(
        "predict_method 'predict_proba' is not available: this model gives no probabilities");
  }
  if (labels == nullptr || probabilities == nullptr) return outputs;
  return std::vector<Tensor>{proba ? *probabilities : *labels};
}

std::string EncodePredictions(const std::vector<Tensor>& outputs) {
  std::string out = "{\"predictions\":";
  if (outputs.size() == 1) {
    AppendTensor(outputs[0], &out);
  } else if (!outputs.empty() && SameRows(outputs)) {
    AppendRecords(outputs, &out);
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
