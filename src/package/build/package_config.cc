#include "package/build/package_config.h"

#include <cmath>
#include <set>

#include "common/json_writer.h"
#include "package/layout/json_fields.h"
#include "package/layout/oci.h"
#include "package/layout/paths.h"

namespace ferry::package {

using internal::FieldError;
using internal::IndexPath;

namespace {

void OptField(JsonWriter& w, std::string_view key, const std::string& v) {
  if (!v.empty()) w.Field(key, v);
}

void StringArray(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  w.Key(key).BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

void WriteDescriptor(JsonWriter& w, const ModelDescriptor& d) {
  w.Key("descriptor").BeginObject();
  w.Field("name", d.name);
  OptField(w, "version", d.version);
  OptField(w, "createdAt", d.created_at);
  StringArray(w, "authors", d.authors);
  OptField(w, "vendor", d.vendor);
  OptField(w, "family", d.family);
  StringArray(w, "licenses", d.licenses);
  OptField(w, "title", d.title);
  OptField(w, "description", d.description);
  OptField(w, "docURL", d.doc_url);
  OptField(w, "sourceURL", d.source_url);
  OptField(w, "datasetsURL", d.datasets_url);
  OptField(w, "revision", d.revision);
  w.EndObject();
}

void WriteSettings(JsonWriter& w, const ModelSettings& c) {
  w.Key("config").BeginObject();
  OptField(w, "format", c.format);
  OptField(w, "architecture", c.architecture);
  OptField(w, "precision", c.precision);
  OptField(w, "paramSize", c.param_size);
  OptField(w, "quantization", c.quantization);
  w.EndObject();
}

void WriteTensors(JsonWriter& w, std::string_view key, const std::vector<TensorSpec>& specs) {
  w.Key(key).BeginArray();
  for (const TensorSpec& t : specs) {
    w.BeginObject().Field("name", t.name).Field("type", t.type);
    w.Key("shape").BeginArray();
    for (int64_t dim : t.shape) w.Int(dim);
    w.EndArray();
    StringArray(w, "columns", t.columns);
    if (t.allow_nan) w.FieldBool("allowNan", true);
    w.EndObject();
  }
  w.EndArray();
}

void WriteTrainer(JsonWriter& w, const TrainerEntry& t) {
  w.Key("trainer").BeginObject();
  StringArray(w, "command", t.command);
  w.Key("parameters").BeginObject();
  for (const auto& [k, v] : t.parameters) w.Field(k, v);
  w.EndObject();
  w.Key("data").BeginArray();
  for (const DataInput& d : t.data) {
    w.BeginObject().Field("name", d.name).Field("digest", d.digest);
    OptField(w, "uri", d.uri);
    w.EndObject();
  }
  w.EndArray().EndObject();
}

void WriteFerry(JsonWriter& w, const FerryFields& f) {
  w.Key("ferry").BeginObject();
  w.Field("ferryVersion", f.ferry_version);
  if (f.predictor) {
    const PredictorEntry& p = *f.predictor;
    w.Key("predictor").BeginObject().Field("kind", p.kind);
    OptField(w, "family", p.family);
    OptField(w, "flavor", p.flavor);
    OptField(w, "entry", p.entry);
    OptField(w, "backend", p.backend);
    OptField(w, "reason", p.reason);
    w.EndObject();
  }
  if (f.trainer) WriteTrainer(w, *f.trainer);
  w.Key("schema").BeginObject();
  WriteTensors(w, "inputs", f.inputs);
  WriteTensors(w, "outputs", f.outputs);
  w.EndObject();
  w.Key("dependencies").BeginArray();
  for (const Dependency& d : f.dependencies) {
    w.BeginObject().Field("name", d.name).Field("version", d.version).EndObject();
  }
  w.EndArray();
  w.Key("metrics").BeginObject();
  for (const auto& [k, v] : f.metrics) w.FieldDouble(k, v);
  w.EndObject();
  w.Key("params").BeginObject();
  for (const auto& [k, v] : f.params) w.Field(k, v);
  w.EndObject();
  OptField(w, "sourceRunId", f.source_run_id);
  OptField(w, "codeCommit", f.code_commit);
  w.Key("referenceProfile");
  if (f.reference_profile) {
    w.String(*f.reference_profile);
  } else {
    w.Null();
  }
  w.EndObject();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "YYYY-MM-DDTHH:MM:SS" + optional fraction + "Z" or "+HH:MM"/"-HH:MM".
bool IsRfc3339(std::string_view s) {
  static constexpr std::string_view kPattern = "dddd-dd-ddTdd:dd:dd";
  if (s.size() < kPattern.size() + 1) return false;
  for (size_t i = 0; i < kPattern.size(); ++i) {
    if (kPattern[i] == 'd' ? !IsDigit(s[i]) : s[i] != kPattern[i]) return false;
  }
  size_t i = kPattern.size();
  if (s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i == start) return false;
  }
  std::string_view zone = s.substr(i);
  if (zone == "Z") return true;
  return zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && IsDigit(zone[1]) &&
         IsDigit(zone[2]) && zone[3] == ':' && IsDigit(zone[4]) && IsDigit(zone[5]);
}

// Exact versions only: "1.2.3", "2.0.0rc1", "0.1.0+cpu"; not ">=1", "1.*", "^2", "~1".
bool IsExactVersion(std::string_view v) {
  if (v.empty() || !IsDigit(v.front())) return false;
  for (char c : v) {
    bool ok = IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
              c == '-' || c == '+' || c == '_';
    if (!ok) return false;
  }
  return true;
}

absl::Status ValidateDescriptor(const ModelDescriptor& d) {
  if (d.name.empty()) return FieldError("descriptor.name", "must not be empty");
  if (!d.created_at.empty() && !IsRfc3339(d.created_at)) {
    return FieldError("descriptor.createdAt", "expected an RFC 3339 time (2025-01-01T00:00:00Z)");
  }
  return absl::OkStatus();
}

absl::Status ValidatePredictor(const PredictorEntry& p) {
  static const std::set<std::string_view> kKinds = {"builtin", "command", "pyfunc"};
  if (!kKinds.count(p.kind)) {
    return FieldError("ferry.predictor.kind", "expected \"builtin\", \"command\" or \"pyfunc\"");
  }
  if (p.kind == "builtin" && p.family.empty()) {
    return FieldError("ferry.predictor.family", "required for kind \"builtin\"");
  }
  if (p.kind != "builtin" || !p.entry.empty()) {
    RETURN_IF_ERROR(ValidateRelativePath(p.entry, "ferry.predictor.entry"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTrainer(const TrainerEntry& t) {
  if (t.command.empty()) return FieldError("ferry.trainer.command", "must not be empty");
  for (size_t i = 0; i < t.data.size(); ++i) {
    const std::string path = IndexPath("ferry.trainer.data", i);
    if (t.data[i].name.empty()) return FieldError(path + ".name", "must not be empty");
    RETURN_IF_ERROR(ValidateDigest(t.data[i].digest, path + ".digest"));
  }
  return absl::OkStatus();
}

absl::Status ValidateTensors(const std::vector<TensorSpec>& specs, std::string_view field) {
  std::set<std::string_view> names;
  for (size_t i = 0; i < specs.size(); ++i) {
    const std::string path = IndexPath(field, i);
    const TensorSpec& t = specs[i];
    if (t.name.empty()) return FieldError(path + ".name", "must not be empty");
    if (!names.insert(t.name).second)
      return FieldError(path + ".name", "duplicate \"" + t.name + "\"");
    if (!IsKnownTensorType(t.type)) {
      return FieldError(path + ".type", "unknown type \"" + t.type + "\"");
    }
    for (size_t j = 0; j < t.shape.size(); ++j) {
      if (t.shape[j] < -1) return FieldError(IndexPath(path + ".shape", j), "expected -1 or more");
    }
    const bool columns_fit =
        t.columns.empty() ||
        (!t.shape.empty() &&
         (t.shape.back() == -1 || t.shape.back() == static_cast<int64_t>(t.columns.size())));
    if (!columns_fit) {
      return FieldError(path + ".columns", "expected as many names as the last dimension of shape");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateFerry(const FerryFields& f) {
  if (f.predictor) RETURN_IF_ERROR(ValidatePredictor(*f.predictor));
  if (f.trainer) RETURN_IF_ERROR(ValidateTrainer(*f.trainer));
  RETURN_IF_ERROR(ValidateTensors(f.inputs, "ferry.schema.inputs"));
  RETURN_IF_ERROR(ValidateTensors(f.outputs, "ferry.schema.outputs"));
  for (size_t i = 0; i < f.dependencies.size(); ++i) {
    const std::string path = IndexPath("ferry.dependencies", i);
    const Dependency& d = f.dependencies[i];
    if (d.name.empty()) return FieldError(path + ".name", "must not be empty");
    if (!IsExactVersion(d.version)) {
      return FieldError(path + ".version",
                        "expected an exact version (e.g. 1.2.3), got \"" + d.version + "\"");
    }
  }
  for (const auto& [name, value] : f.metrics) {
    if (!std::isfinite(value)) return FieldError("ferry.metrics." + name, "must be finite");
  }
  if (f.reference_profile) {
    RETURN_IF_ERROR(ValidateDigest(*f.reference_profile, "ferry.referenceProfile"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsKnownTensorType(std::string_view type) {
  static const std::set<std::string_view> kTypes = {
      "bool",    "int8",    "int16",   "int32",   "int64",    "uint8",   "uint16", "uint32",
      "uint64",  "float16", "float32", "float64", "bfloat16", "string",  "bytes",  "boolean",
      "integer", "long",    "float",   "double",  "binary",   "datetime"};
  return kTypes.count(type) > 0;
}

std::string SerializeConfig(const PackageConfig& c) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  WriteDescriptor(w, c.descriptor);
  WriteSettings(w, c.config);
  w.Key("modelfs").BeginObject().Field("type", "layers");
  w.Key("diffIds").BeginArray();
  for (const std::string& d : c.diff_ids) w.String(d);
  w.EndArray().EndObject();
  WriteFerry(w, c.ferry);
  w.EndObject();
  return out;
}

absl::Status ValidateConfig(const PackageConfig& c) {
  RETURN_IF_ERROR(ValidateDescriptor(c.descriptor));
  for (size_t i = 0; i < c.diff_ids.size(); ++i) {
    RETURN_IF_ERROR(ValidateDigest(c.diff_ids[i], IndexPath("modelfs.diffIds", i)));
  }
  return ValidateFerry(c.ferry);
}

}  // namespace ferry::package
