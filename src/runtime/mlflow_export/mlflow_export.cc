#include "runtime/mlflow_export/mlflow_export.h"

#include <ctime>

#include "common/clock.h"
#include "common/fs.h"
#include "common/json_writer.h"

namespace ferry::runtime::mlflow_export {
namespace {

// numpy's dtype name for a Ferry datatype, as MLflow's tensor specs spell it.
std::string_view NumpyDtype(DataType t) {
  switch (t) {
    case DataType::kBool:
      return "bool";
    case DataType::kUint8:
      return "uint8";
    case DataType::kUint16:
      return "uint16";
    case DataType::kUint32:
      return "uint32";
    case DataType::kUint64:
      return "uint64";
    case DataType::kInt8:
      return "int8";
    case DataType::kInt16:
      return "int16";
    case DataType::kInt32:
      return "int32";
    case DataType::kInt64:
      return "int64";
    case DataType::kFp16:
      return "float16";
    case DataType::kFp32:
      return "float32";
    case DataType::kFp64:
      return "float64";
    case DataType::kBytes:
    case DataType::kBf16:
      return "object";  // numpy has no bfloat16
  }
  return "object";
}

void TensorSpecJson(JsonWriter& w, const TensorSpec& t, bool named) {
  w.BeginObject().Field("type", "tensor");
  if (named) w.Field("name", t.name);
  w.Key("tensor-spec").BeginObject().Field("dtype", NumpyDtype(t.datatype)).Key("shape");
  w.BeginArray();
  for (int64_t d : t.shape) w.Int(d);
  w.EndArray().EndObject().EndObject();
}

bool Tabular(const TensorSpec& t) {
  return t.shape.size() == 2 && !t.columns.empty() &&
         t.columns.size() == static_cast<size_t>(t.shape[1]);
}

// A YAML single-quoted scalar: quotes doubled, nothing else escaped.
std::string YamlQuoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S.000000", &tm);
  return buf;
}

}  // namespace

std::string SignatureInputsJson(const ModelSchema& schema) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (const TensorSpec& t : schema.inputs) {
    if (!Tabular(t)) {
      TensorSpecJson(w, t, schema.inputs.size() > 1);
      continue;
    }
    for (const std::string& c : t.columns) {
      w.BeginObject().Field("type", "double").Field("name", c).FieldBool("required", true);
      w.EndObject();
    }
  }
  w.EndArray();
  return out;
}

std::string SignatureOutputsJson(const ModelSchema& schema) {
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  if (!schema.outputs.empty()) {
    const TensorSpec& t = schema.outputs.front();
    if (t.datatype == DataType::kBytes) {
      w.BeginObject().Field("type", "string").FieldBool("required", true).EndObject();
    } else {
      TensorSpecJson(w, t, false);
    }
  }
  w.EndArray();
  return out;
}

std::string SignatureParamsJson(const ModelSchema& schema) {
  for (const TensorSpec& t : schema.outputs) {
    if (t.name != "probabilities") continue;
    std::string out;
    JsonWriter w(&out);
    w.BeginArray().BeginObject().Field("name", "predict_method").Field("type", "string");
    w.Field("default", "predict").Key("shape").Null().EndObject().EndArray();
    return out;
  }
  return "";
}

std::string MlmodelText(const ModelSchema& schema, const PyfuncExport& e) {
  std::string s = "# Written by Ferry: an MLflow model directory (mlflow.pyfunc.load_model).\n";
  s += "flavors:\n  python_function:\n    code: code\n";
  s += "    data: " + e.data + "\n";
  s += "    loader_module: " + e.loader_module + "\n";
  s += "mlflow_version: 2.12.2\n";
  s += "model_uuid: " + NewUuidHex(SystemRandom()) + "\n";
  s += "signature:\n";
  s += "  inputs: " + YamlQuoted(SignatureInputsJson(schema)) + "\n";
  s += "  outputs: " + YamlQuoted(SignatureOutputsJson(schema)) + "\n";
  const std::string params = SignatureParamsJson(schema);
  s += "  params: " + (params.empty() ? std::string("null") : YamlQuoted(params)) + "\n";
  s += "utc_time_created: '" + UtcNow() + "'\n";
  return s;
}

absl::Status WriteMlflowModel(const std::string& dir, const ModelSchema& schema,
                              const PyfuncExport& e) {
  const std::string code = JoinPath(dir, "code");
  RETURN_IF_ERROR(MakeDirs(code));
  for (const CodeFile& f : e.code) {
    RETURN_IF_ERROR(WriteFileAtomic(JoinPath(code, f.name), f.source));
  }
  std::string requirements;
  for (const std::string& r : e.requirements) requirements += r + "\n";
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(dir, "requirements.txt"), requirements));
  return WriteFileAtomic(JoinPath(dir, "MLmodel"), MlmodelText(schema, e));
}

}  // namespace ferry::runtime::mlflow_export
