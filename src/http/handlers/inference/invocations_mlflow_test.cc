// The /invocations decoder against MLflow 2.12.2's own scoring server: every case of
// tests/data/mlflow-models/errors.json (schema enforcement on probe models) and every input
// format of the five fixture models (formats.json), both written by make_errors.py there.

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "gtest/gtest.h"
#include "http/handlers/inference/invocations_codec.h"
#include "http/handlers/inference/scoring_errors.h"
#include "http/handlers/inference/testing/serving_routes_fixture.h"

namespace ferry::http {
namespace {

JsonValue Load(const std::string& name) {
  absl::StatusOr<std::string> text =
      ReadFile(std::string(FERRY_TEST_DATA_DIR) + "/mlflow-models/" + name);
  EXPECT_TRUE(text.ok()) << text.status();
  absl::StatusOr<JsonValue> json = ParseJson(text.ok() ? *text : "null");
  EXPECT_TRUE(json.ok()) << json.status();
  return json.ok() ? *std::move(json) : JsonValue();
}

std::string Str(const JsonValue* v) { return v != nullptr && v->is_string() ? v->as_string() : ""; }

// The decided contract: a column becomes a [-1] input of its MLflow type, a tensor spec an
// input of its dtype and shape ("input" when unnamed); no signature, no inputs.
ModelSchema SchemaFrom(const JsonValue& mlflow) {
  ModelSchema schema;
  for (const JsonValue& item : mlflow.items()) {
    TensorSpec spec;
    const JsonValue* tensor = item.Find("tensor-spec");
    spec.name = item.Find("name") ? Str(item.Find("name")) : "input";
    spec.datatype =
        *ParsePackageDataType(tensor ? Str(tensor->Find("dtype")) : Str(item.Find("type")));
    if (tensor) {
      for (const JsonValue& d : tensor->Find("shape")->items()) spec.shape.push_back(d.as_int());
    } else {
      spec.shape = {-1};
      spec.allow_nan = true;
      spec.required = item.Find("required") == nullptr || item.Find("required")->as_bool();
    }
    schema.inputs.push_back(spec);
  }
  return schema;
}

absl::StatusOr<std::vector<Tensor>> DecodeCase(const JsonValue& c, const ModelSchema& schema) {
  const JsonValue& body = *c.Find("body");
  if (Str(c.Find("content_type")).rfind("text/csv", 0) == 0) {
    return DecodeInvocationsCsv(body.as_string(), schema);
  }
  return DecodeInvocationsJson(body.is_string() ? body.as_string() : ToJsonString(body), schema);
}

std::string Dims(const Tensor& t) {
  std::string out = "[";
  for (size_t d = 0; d < t.shape.size(); ++d) out += (d ? ", " : "") + std::to_string(t.shape[d]);
  return out + "]";
}

// What the probe model reports it was handed, for Ferry's tensors: "col:dtype,..." for a
// DataFrame, "ndarray:dtype:[shape]" for one tensor, "name:dtype:[shape],..." for several.
std::string Describe(const std::vector<Tensor>& tensors, std::string_view mlflow_form) {
  std::string out;
  if (mlflow_form.rfind("ndarray:", 0) == 0 && tensors.size() == 1) {
    return "ndarray:" + std::string(NumpyTypeName(tensors[0].datatype)) + ":" + Dims(tensors[0]);
  }
  bool dict = mlflow_form.find(":[") != std::string_view::npos;
  for (const Tensor& t : tensors) {
    if (!out.empty()) out += ",";
    out += t.name + ":" + std::string(NumpyTypeName(t.datatype));
    if (dict) out += ":" + Dims(t);
  }
  return out;
}

// Where Ferry refuses what MLflow 2.12.2's server accepts (docs/API.md, "Deviations"): the
// value would change silently. Case name prefix -> Ferry's error_code.
const std::map<std::string, std::string>& Stricter() {
  static const auto* m = new std::map<std::string, std::string>{
      {"double_to_long/", "INVALID_PARAMETER_VALUE"},  // MLflow truncates 1.5 to 1
      {"double_to_integer/", "INVALID_PARAMETER_VALUE"},
      {"big_to_integer/", "INVALID_PARAMETER_VALUE"},  // MLflow wraps 2^40 into int32
      {"double_to_int64/", "INVALID_PARAMETER_VALUE"},
      {"null_to_string/", "BAD_REQUEST"},  // a BYTES tensor has no None
  };
  return *m;
}

std::optional<std::string> StricterCode(const std::string& name, const std::string& format) {
  for (const auto& [prefix, code] : Stricter()) {
    // MLflow's CSV reader already refuses non-integral numbers, and an empty CSV cell is the
    // empty string for Ferry.
    if (name.rfind(prefix, 0) == 0 && (format != "csv" || prefix == "big_to_integer/")) {
      return code;
    }
  }
  return std::nullopt;
}

TEST(InvocationsMlflowTest, EveryErrorsJsonCaseAnswersAsMlflow) {
  JsonValue doc = Load("errors.json");
  const JsonValue* schemas = doc.Find("schemas");
  ASSERT_NE(schemas, nullptr);
  int checked = 0, errors = 0;
  for (const JsonValue& c : doc.Find("cases")->items()) {
    std::string model = Str(c.Find("model")), name = Str(c.Find("name"));
    std::string format = Str(c.Find("format"));
    int status = static_cast<int>(c.Find("status")->as_int());
    if (status == 415) continue;  // content types: invocations_routes_test
    SCOPED_TRACE(model + " " + name);
    ModelSchema schema = SchemaFrom(*schemas->Find(model));
    absl::StatusOr<std::vector<Tensor>> got = DecodeCase(c, schema);
    ++checked;
    if (std::optional<std::string> code = StricterCode(name, format)) {
      ASSERT_FALSE(got.ok()) << "Ferry is stricter than MLflow here";
      EXPECT_EQ(ScoringErrorCode(got.status()), *code) << got.status();
      continue;
    }
    if (status == 200) {
      ASSERT_TRUE(got.ok()) << got.status();
      std::string mlflow_form = Str(&c.Find("predictions")->items()[0]);
      // Without a signature MLflow hands numpy arrays (and "<U1" strings) to the model for
      // instances/inputs; Ferry types every format as pandas does.
      if (model == "nosig" && (format == "instances" || format == "inputs")) continue;
      EXPECT_EQ(Describe(*got, mlflow_form), mlflow_form);
      continue;
    }
    ++errors;
    ASSERT_FALSE(got.ok()) << "MLflow answered " << status;
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(ScoringErrorCode(got.status()), Str(c.Find("error_code"))) << got.status();
    EXPECT_NE(std::string(StatusMessage(got.status())).find(Str(c.Find("key"))), std::string::npos)
        << got.status();
  }
  EXPECT_GT(checked, 150);
  EXPECT_GT(errors, 40);
}

using InvocationsMlflowRoutesTest = ServingRoutesTest;

// The same cases over HTTP: MLflow's status and error_code, content types included.
TEST_F(InvocationsMlflowRoutesTest, EveryErrorsJsonCaseOverHttp) {
  JsonValue doc = Load("errors.json");
  for (const auto& [model, schema] : doc.Find("schemas")->members()) {
    service_.echo_schemas[model] = SchemaFrom(schema);
  }
  int checked = 0;
  for (const JsonValue& c : doc.Find("cases")->items()) {
    std::string model = Str(c.Find("model")), name = Str(c.Find("name"));
    if (StricterCode(name, Str(c.Find("format")))) continue;  // the codec test covers them
    SCOPED_TRACE(model + " " + name);
    const JsonValue& body = *c.Find("body");
    std::string headers =
        "Content-Type: " + Str(c.Find("content_type")) + "\r\nFerry-Model: " + model + "\r\n";
    testing::RawResponse r =
        Post("/invocations", body.is_string() ? body.as_string() : ToJsonString(body), headers);
    EXPECT_EQ(r.status, c.Find("status")->as_int()) << r.body;
    if (r.status == 400) {
      EXPECT_EQ(ErrorOf(r, "error_code"), Str(c.Find("error_code"))) << r.body;
      EXPECT_NE(ErrorOf(r, "message").find(Str(c.Find("key"))), std::string::npos) << r.body;
    }
    if (r.status == 415) {
      std::string text = Str(c.Find("text"));
      EXPECT_EQ(r.body.substr(0, 30), text.substr(0, 30)) << r.body;
    }
    ++checked;
  }
  EXPECT_GT(checked, 140);
}

// Column values of a decoded request, as doubles or strings, in schema order.
std::vector<std::string> Flatten(const std::vector<Tensor>& tensors) {
  std::vector<std::string> out;
  for (const Tensor& t : tensors) {
    out.push_back(t.name + ":" + std::string(DataTypeName(t.datatype)) + Dims(t));
    if (t.datatype == DataType::kBytes) {
      out.insert(out.end(), t.strings.begin(), t.strings.end());
    } else {
      for (double d : ToDoubles(t)) out.push_back(FormatShortest(d));
    }
  }
  return out;
}

TEST(InvocationsMlflowTest, EveryFixtureGivesTheSameTensorsInEveryFormat) {
  JsonValue formats = Load("formats.json");
  JsonValue cases = Load("cases.json");
  ASSERT_EQ(formats.members().size(), 5u);
  for (const auto& [fixture, entry] : formats.members()) {
    SCOPED_TRACE(fixture);
    ModelSchema schema = SchemaFrom(*entry.Find("schema"));
    const JsonValue& split =
        *cases.Find(fixture)->Find("request_invocations")->Find("dataframe_split");
    const JsonValue& answers = *entry.Find("formats");
    ASSERT_EQ(answers.members().size(), 5u);
    absl::StatusOr<std::vector<Tensor>> reference = DecodeInvocationsJson(
        ToJsonString(*cases.Find(fixture)->Find("request_invocations")), schema);
    ASSERT_TRUE(reference.ok()) << reference.status();
    ASSERT_EQ(reference->size(), schema.inputs.size());
    // The tensors hold the request's cells, column by column in schema order.
    for (size_t j = 0; j < schema.inputs.size(); ++j) {
      const Tensor& t = (*reference)[j];
      EXPECT_EQ(t.name, schema.inputs[j].name);
      EXPECT_EQ(t.datatype, schema.inputs[j].datatype);
      ASSERT_EQ(t.shape,
                (std::vector<int64_t>{static_cast<int64_t>(split.Find("data")->items().size())}));
      for (size_t i = 0; i < split.Find("data")->items().size(); ++i) {
        const JsonValue& cell = split.Find("data")->items()[i].items()[j];
        if (t.datatype == DataType::kBytes) {
          EXPECT_EQ(t.strings[i], cell.as_string());
        } else {
          EXPECT_EQ(ElementAsDouble(t, i), cell.as_double());
        }
      }
    }
    const JsonValue* first_predictions = nullptr;
    for (const auto& [format, c] : answers.members()) {
      SCOPED_TRACE(format);
      absl::StatusOr<std::vector<Tensor>> got = DecodeCase(c, schema);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_EQ(Flatten(*got), Flatten(*reference));
      // MLflow answered every format with the same JSON.
      ASSERT_EQ(c.Find("status")->as_int(), 200);
      if (first_predictions == nullptr) first_predictions = c.Find("predictions");
      EXPECT_EQ(ToJsonString(*c.Find("predictions")), ToJsonString(*first_predictions));
    }
  }
}

// `text` without the spaces Python's json.dumps puts after separators (no strings here).
std::string Compact(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ') out.push_back(c);
  }
  return out;
}

// Each fixture's predictions, as the tensor its output schema declares, encode to MLflow's
// own body byte for byte (but for json.dumps' spaces).
TEST(InvocationsMlflowTest, PredictionsEncodeAsMlflowWritesThem) {
  JsonValue formats = Load("formats.json");
  for (const auto& [fixture, entry] : formats.members()) {
    SCOPED_TRACE(fixture);
    const JsonValue& spec = *entry.Find("outputs")->items()[0].Find("tensor-spec");
    const JsonValue& answer = *entry.Find("formats")->Find("dataframe_split");
    std::vector<double> values;
    std::vector<int64_t> shape = {static_cast<int64_t>(answer.Find("predictions")->items().size())};
    for (const JsonValue& row : answer.Find("predictions")->items()) {
      if (!row.is_array()) values.push_back(row.as_double());
      for (const JsonValue& v : row.items()) values.push_back(v.as_double());
      if (row.is_array() && shape.size() == 1) shape.push_back(row.items().size());
    }
    Tensor t = Str(spec.Find("dtype")) == "int64"
                   ? MakeInt64Tensor("y", shape, std::vector<int64_t>(values.begin(), values.end()))
                   : MakeFp64Tensor("y", shape, values);
    EXPECT_EQ(EncodePredictions({t}), Compact(Str(answer.Find("raw"))));
  }
}

TEST(InvocationsMlflowTest, FloatsAreWrittenAsPythonReprWritesThem) {
  const struct {
    double v;
    const char* python;  // repr(v) in Python 3.11
  } cases[] = {
      {1.0, "1.0"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {-0.5, "-0.5"},
      {123.456, "123.456"},
      {1e-05, "1e-05"},
      {0.0001, "0.0001"},
      {1e16, "1e+16"},
      {1234567890123456.0, "1234567890123456.0"},
      {1.5e16, "1.5e+16"},
      {1e22, "1e+22"},
      {5e-324, "5e-324"},
      {189.82169587342264, "189.82169587342264"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(EncodePredictions({MakeFp64Tensor("y", {1}, {c.v})}),
              std::string("{\"predictions\":[") + c.python + "]}");
  }
  Tensor f;
  f.name = "f";
  f.datatype = DataType::kFp32;
  f.shape = {1};
  f.data.resize(4);
  f.MutableAs<float>()[0] = 0.1f;  // numpy's tolist() widens it: repr 0.10000000149011612
  EXPECT_EQ(EncodePredictions({f}), "{\"predictions\":[0.10000000149011612]}");
}

}  // namespace
}  // namespace ferry::http
