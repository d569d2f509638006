#include "runtime/linear_model.h"

#include <cmath>
#include <utility>

#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"

namespace ferry::runtime {
namespace {

double Sigmoid(double z) {
  if (z >= 0) return 1 / (1 + std::exp(-z));
  double e = std::exp(z);
  return e / (1 + e);
}

// In-place softmax of p[0..c-1].
void Softmax(double* p, size_t c) {
  double max = p[0];
  for (size_t k = 1; k < c; ++k) max = std::max(max, p[k]);
  double sum = 0;
  for (size_t k = 0; k < c; ++k) {
    p[k] = std::exp(p[k] - max);
    sum += p[k];
  }
  for (size_t k = 0; k < c; ++k) p[k] /= sum;
}

int64_t ArgMax(const double* p, size_t c) {
  size_t best = 0;
  for (size_t k = 1; k < c; ++k) {
    if (p[k] > p[best]) best = k;
  }
  return static_cast<int64_t>(best);
}

void WriteNumbers(JsonWriter& w, const double* v, size_t n) {
  w.BeginArray();
  for (size_t i = 0; i < n; ++i) w.Double(v[i]);
  w.EndArray();
}

absl::Status Corrupt(std::string_view source, std::string_view what) {
  return absl::DataLossError(std::string(source) + ": " + std::string(what));
}

absl::StatusOr<std::vector<double>> NumberArray(const JsonValue& doc, std::string_view key,
                                                std::string_view source) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || !v->is_array()) {
    return Corrupt(source, "\"" + std::string(key) + "\" must be an array of numbers");
  }
  std::vector<double> out;
  for (const JsonValue& item : v->items()) {
    if (!item.is_number()) {
      return Corrupt(source, "\"" + std::string(key) + "\" must be an array of numbers");
    }
    out.push_back(item.as_double());
  }
  return out;
}

absl::Status ReadClasses(const JsonValue& doc, LinearModel& m, std::string_view source) {
  const JsonValue* v = doc.Find("classes");
  if (v == nullptr || !v->is_array()) return Corrupt(source, "\"classes\" must be an array");
  m.integer_classes = !v->items().empty() && v->items()[0].is_integer();
  for (const JsonValue& item : v->items()) {
    if (m.integer_classes && item.is_integer()) {
      m.class_ints.push_back(item.as_int());
      m.classes.push_back(std::to_string(item.as_int()));
    } else if (!m.integer_classes && item.is_string()) {
      m.classes.push_back(item.as_string());
    } else {
      return Corrupt(source, "\"classes\" must be all integers or all strings");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadStrings(const JsonValue& doc, std::string_view key, std::vector<std::string>& out,
                         std::string_view source) {
  const JsonValue* v = doc.Find(key);
  if (v == nullptr || !v->is_array()) {
    return Corrupt(source, "\"" + std::string(key) + "\" must be an array of strings");
  }
  for (const JsonValue& item : v->items()) {
    if (!item.is_string()) {
      return Corrupt(source, "\"" + std::string(key) + "\" must be an array of strings");
    }
    out.push_back(item.as_string());
  }
  return absl::OkStatus();
}

absl::Status ReadCoef(const JsonValue& doc, LinearModel& m, std::string_view source) {
  const JsonValue* v = doc.Find("coef");
  if (v == nullptr || !v->is_array()) return Corrupt(source, "\"coef\" must be an array of rows");
  for (const JsonValue& row : v->items()) {
    if (!row.is_array() || row.items().size() != m.n_features()) {
      return Corrupt(source, "each \"coef\" row must hold " + std::to_string(m.n_features()) +
                                 " numbers, one per feature");
    }
    for (const JsonValue& item : row.items()) {
      if (!item.is_number()) return Corrupt(source, "\"coef\" must hold numbers");
      m.coef.push_back(item.as_double());
    }
  }
  return absl::OkStatus();
}

}  // namespace

void LinearModel::Predict(const double* x, size_t n, std::vector<double>& values,
                          std::vector<int64_t>& labels) const {
  size_t f = n_features(), k_rows = n_rows(), c = logistic ? n_classes() : 1;
  values.assign(n * c, 0);
  labels.assign(logistic ? n : 0, 0);
  std::vector<double> xs(f), z(k_rows);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) xs[j] = (x[i * f + j] - mean[j]) / scale[j];
    for (size_t k = 0; k < k_rows; ++k) {
      double acc = intercept[k];
      for (size_t j = 0; j < f; ++j) acc += coef[k * f + j] * xs[j];
      z[k] = acc;
    }
    double* out = &values[i * c];
    if (!logistic) {
      out[0] = z[0];
      continue;
    }
    if (c == 2) {
      out[1] = Sigmoid(z[0]);
      out[0] = 1 - out[1];
    } else {
      for (size_t k = 0; k < c; ++k) out[k] = z[k];
      Softmax(out, c);
    }
    labels[i] = ArgMax(out, c);
  }
}

ModelSchema LinearModel::Schema() const {
  ModelSchema schema;
  TensorSpec input;
  input.name = "input";
  input.datatype = DataType::kFp64;
  input.shape = {-1, static_cast<int64_t>(n_features())};
  input.columns = features;
  schema.inputs.push_back(std::move(input));
  if (!logistic) {
    schema.outputs.push_back(TensorSpec{"predictions", DataType::kFp64, {-1}, {}, false});
    return schema;
  }
  DataType label_type = integer_classes ? DataType::kInt64 : DataType::kBytes;
  schema.outputs.push_back(TensorSpec{"predictions", label_type, {-1}, {}, false});
  schema.outputs.push_back(TensorSpec{
      "probabilities", DataType::kFp64, {-1, static_cast<int64_t>(n_classes())}, classes, false});
  return schema;
}

std::vector<Tensor> LinearModel::MakeOutputs(size_t n, const std::vector<double>& values,
                                             const std::vector<int64_t>& labels) const {
  int64_t rows = static_cast<int64_t>(n);
  std::vector<Tensor> out;
  if (!logistic) {
    out.push_back(MakeFp64Tensor("predictions", {rows}, values));
    return out;
  }
  if (integer_classes) {
    std::vector<int64_t> ints(n);
    for (size_t i = 0; i < n; ++i) ints[i] = class_ints[static_cast<size_t>(labels[i])];
    out.push_back(MakeInt64Tensor("predictions", {rows}, ints));
  } else {
    std::vector<std::string> names(n);
    for (size_t i = 0; i < n; ++i) names[i] = classes[static_cast<size_t>(labels[i])];
    out.push_back(MakeBytesTensor("predictions", {rows}, std::move(names)));
  }
  out.push_back(MakeFp64Tensor("probabilities", {rows, static_cast<int64_t>(n_classes())}, values));
  return out;
}

std::string LinearModel::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("format", kLinearModelFormat).Field("version", int64_t{1});
  w.Field("family", family()).Field("target", target);
  w.Key("features").BeginArray();
  for (const std::string& name : features) w.String(name);
  w.EndArray();
  w.Key("mean");
  WriteNumbers(w, mean.data(), mean.size());
  w.Key("scale");
  WriteNumbers(w, scale.data(), scale.size());
  if (logistic) {
    w.Key("classes").BeginArray();
    for (size_t k = 0; k < classes.size(); ++k) {
      if (integer_classes) {
        w.Int(class_ints[k]);
      } else {
        w.String(classes[k]);
      }
    }
    w.EndArray();
  }
  w.Key("coef").BeginArray();
  for (size_t k = 0; k < n_rows(); ++k) WriteNumbers(w, &coef[k * n_features()], n_features());
  w.EndArray();
  w.Key("intercept");
  WriteNumbers(w, intercept.data(), intercept.size());
  w.EndObject();
  out.push_back('\n');
  return out;
}

absl::Status LinearModel::Validate(std::string_view source) const {
  size_t f = n_features();
  if (f == 0) return Corrupt(source, "\"features\" is empty");
  if (mean.size() != f || scale.size() != f) {
    return Corrupt(source, "\"mean\" and \"scale\" must hold one number per feature");
  }
  for (double s : scale) {
    if (!(s > 0) || !std::isfinite(s)) return Corrupt(source, "\"scale\" values must be > 0");
  }
  if (logistic && n_classes() < 2) return Corrupt(source, "\"classes\" needs at least 2 labels");
  size_t want_rows = !logistic || n_classes() == 2 ? 1 : n_classes();
  if (n_rows() != want_rows || coef.size() != want_rows * f) {
    return Corrupt(source, "expected " + std::to_string(want_rows) +
                               " \"coef\" rows and \"intercept\" values, got " +
                               std::to_string(coef.size() / f) + " and " +
                               std::to_string(n_rows()));
  }
  return absl::OkStatus();
}

absl::StatusOr<LinearModel> ParseLinearModel(std::string_view text, std::string_view source) {
  auto parsed = ParseJson(text);
  if (!parsed.ok()) return Corrupt(source, StatusMessage(parsed.status()));
  const JsonValue& doc = *parsed;
  const JsonValue* format = doc.Find("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kLinearModelFormat) {
    return Corrupt(source, "\"format\" must be \"ferry-linear\"");
  }
  const JsonValue* family = doc.Find("family");
  if (family == nullptr || !family->is_string() ||
      (family->as_string() != "linear" && family->as_string() != "logistic")) {
    return Corrupt(source, "\"family\" must be \"linear\" or \"logistic\"");
  }
  LinearModel m;
  m.logistic = family->as_string() == "logistic";
  if (const JsonValue* t = doc.Find("target"); t != nullptr && t->is_string()) {
    m.target = t->as_string();
  }
  RETURN_IF_ERROR(ReadStrings(doc, "features", m.features, source));
  ASSIGN_OR_RETURN(m.mean, NumberArray(doc, "mean", source));
  ASSIGN_OR_RETURN(m.scale, NumberArray(doc, "scale", source));
  if (m.logistic) RETURN_IF_ERROR(ReadClasses(doc, m, source));
  RETURN_IF_ERROR(ReadCoef(doc, m, source));
  ASSIGN_OR_RETURN(m.intercept, NumberArray(doc, "intercept", source));
  RETURN_IF_ERROR(m.Validate(source));
  return m;
}

absl::StatusOr<LinearModel> ReadLinearModel(const std::string& dir) {
  std::string path = JoinPath(dir, kLinearModelFile);
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseLinearModel(text, path);
}

absl::Status WriteLinearModel(const LinearModel& model, const std::string& dir) {
  return WriteFileAtomic(JoinPath(dir, kLinearModelFile), model.ToJson());
}

}  // namespace ferry::runtime
