// Parsing of the package config blob and of the partial config in ferry-package.json.
#include "common/json.h"
#include "package/build/package_config.h"
#include "package/layout/json_fields.h"

namespace ferry::package {

using internal::CheckObject;
using internal::FieldError;
using internal::FieldPath;
using internal::IndexPath;

namespace {

// Sets `out` from the string member `key` when present.
absl::Status Str(const JsonValue& obj, std::string_view key, std::string_view path,
                 std::string& out) {
  ASSIGN_OR_RETURN(auto v, internal::OptionalString(obj, key, path));
  if (v) out = *v;
  return absl::OkStatus();
}

absl::Status StrList(const JsonValue& obj, std::string_view key, std::string_view path,
                     std::vector<std::string>& out) {
  if (obj.Find(key) == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(out, internal::OptionalStringArray(obj, key, path));
  return absl::OkStatus();
}

// The object member `key`, nullptr when absent; an error when not an object.
absl::StatusOr<const JsonValue*> Section(const JsonValue& obj, std::string_view key,
                                         std::string_view path) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr || v->is_null()) return nullptr;
  RETURN_IF_ERROR(CheckObject(*v, FieldPath(path, key)));
  return v;
}

// The array member `key`, nullptr when absent; an error when not an array.
absl::StatusOr<const JsonValue*> ArrayMember(const JsonValue& obj, std::string_view key,
                                             std::string_view path) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) return nullptr;
  if (!v->is_array()) {
    return FieldError(FieldPath(path, key), std::string("expected an array, got ") + v->TypeName());
  }
  return v;
}

absl::Status ParseDescriptor(const JsonValue& v, ModelDescriptor& d) {
  const char* p = "descriptor";
  RETURN_IF_ERROR(Str(v, "name", p, d.name));
  RETURN_IF_ERROR(Str(v, "version", p, d.version));
  RETURN_IF_ERROR(Str(v, "createdAt", p, d.created_at));
  RETURN_IF_ERROR(StrList(v, "authors", p, d.authors));
  RETURN_IF_ERROR(Str(v, "vendor", p, d.vendor));
  RETURN_IF_ERROR(Str(v, "family", p, d.family));
  RETURN_IF_ERROR(StrList(v, "licenses", p, d.licenses));
  RETURN_IF_ERROR(Str(v, "title", p, d.title));
  RETURN_IF_ERROR(Str(v, "description", p, d.description));
  RETURN_IF_ERROR(Str(v, "docURL", p, d.doc_url));
  RETURN_IF_ERROR(Str(v, "sourceURL", p, d.source_url));
  RETURN_IF_ERROR(Str(v, "datasetsURL", p, d.datasets_url));
  return Str(v, "revision", p, d.revision);
}

absl::Status ParseSettings(const JsonValue& v, ModelSettings& c) {
  const char* p = "config";
  RETURN_IF_ERROR(Str(v, "format", p, c.format));
  RETURN_IF_ERROR(Str(v, "architecture", p, c.architecture));
  RETURN_IF_ERROR(Str(v, "precision", p, c.precision));
  RETURN_IF_ERROR(Str(v, "paramSize", p, c.param_size));
  return Str(v, "quantization", p, c.quantization);
}

absl::StatusOr<PredictorEntry> ParsePredictor(const JsonValue& v) {
  const char* p = "ferry.predictor";
  PredictorEntry e;
  ASSIGN_OR_RETURN(e.kind, internal::RequiredString(v, "kind", p));
  RETURN_IF_ERROR(Str(v, "family", p, e.family));
  RETURN_IF_ERROR(Str(v, "flavor", p, e.flavor));
  RETURN_IF_ERROR(Str(v, "entry", p, e.entry));
  RETURN_IF_ERROR(Str(v, "backend", p, e.backend));
  RETURN_IF_ERROR(Str(v, "reason", p, e.reason));
  return e;
}

absl::StatusOr<TrainerEntry> ParseTrainer(const JsonValue& v) {
  const char* p = "ferry.trainer";
  TrainerEntry t;
  RETURN_IF_ERROR(StrList(v, "command", p, t.command));
  ASSIGN_OR_RETURN(t.parameters, internal::OptionalStringMap(v, "parameters", p));
  ASSIGN_OR_RETURN(const JsonValue* data, ArrayMember(v, "data", p));
  for (size_t i = 0; data != nullptr && i < data->items().size(); ++i) {
    const std::string path = IndexPath("ferry.trainer.data", i);
    const JsonValue& item = data->items()[i];
    RETURN_IF_ERROR(CheckObject(item, path));
    DataInput in;
    ASSIGN_OR_RETURN(in.name, internal::RequiredString(item, "name", path));
    ASSIGN_OR_RETURN(in.digest, internal::RequiredString(item, "digest", path));
    RETURN_IF_ERROR(Str(item, "uri", path, in.uri));
    t.data.push_back(std::move(in));
  }
  return t;
}

absl::StatusOr<std::vector<int64_t>> ParseShape(const JsonValue& item, const std::string& path) {
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(const JsonValue* dims, ArrayMember(item, "shape", path));
  for (size_t j = 0; dims != nullptr && j < dims->items().size(); ++j) {
    const JsonValue& dim = dims->items()[j];
    if (dim.type() != JsonValue::Type::kInt) {
      return FieldError(IndexPath(path + ".shape", j), "expected an integer");
    }
    shape.push_back(dim.as_int());
  }
  return shape;
}

absl::StatusOr<std::vector<TensorSpec>> ParseTensors(const JsonValue& schema,
                                                     std::string_view key) {
  const std::string field = FieldPath("ferry.schema", key);
  std::vector<TensorSpec> out;
  ASSIGN_OR_RETURN(const JsonValue* arr, ArrayMember(schema, key, "ferry.schema"));
  for (size_t i = 0; arr != nullptr && i < arr->items().size(); ++i) {
    const std::string path = IndexPath(field, i);
    const JsonValue& item = arr->items()[i];
    RETURN_IF_ERROR(CheckObject(item, path));
    TensorSpec t;
    ASSIGN_OR_RETURN(t.name, internal::RequiredString(item, "name", path));
    ASSIGN_OR_RETURN(t.type, internal::RequiredString(item, "type", path));
    ASSIGN_OR_RETURN(t.shape, ParseShape(item, path));
    RETURN_IF_ERROR(StrList(item, "columns", path, t.columns));
    if (const JsonValue* nan = item.Find("allowNan"); nan != nullptr) {
      if (!nan->is_bool()) return FieldError(FieldPath(path, "allowNan"), "expected a boolean");
      t.allow_nan = nan->as_bool();
    }
    out.push_back(std::move(t));
  }
  return out;
}

absl::StatusOr<std::vector<Dependency>> ParseDependencies(const JsonValue& arr) {
  std::vector<Dependency> out;
  for (size_t i = 0; i < arr.items().size(); ++i) {
    const std::string path = IndexPath("ferry.dependencies", i);
    const JsonValue& item = arr.items()[i];
    RETURN_IF_ERROR(CheckObject(item, path));
    Dependency d;
    ASSIGN_OR_RETURN(d.name, internal::RequiredString(item, "name", path));
    ASSIGN_OR_RETURN(d.version, internal::RequiredString(item, "version", path));
    out.push_back(std::move(d));
  }
  return out;
}

absl::Status ParseMetrics(const JsonValue& obj, std::map<std::string, double>& out) {
  for (const auto& [name, value] : obj.members()) {
    if (!value.is_number()) return FieldError("ferry.metrics." + name, "expected a number");
    out[name] = value.as_double();
  }
  return absl::OkStatus();
}

absl::Status ParseSchemaAndLists(const JsonValue& v, FerryFields& f) {
  ASSIGN_OR_RETURN(const JsonValue* schema, Section(v, "schema", "ferry"));
  if (schema != nullptr) {
    ASSIGN_OR_RETURN(f.inputs, ParseTensors(*schema, "inputs"));
    ASSIGN_OR_RETURN(f.outputs, ParseTensors(*schema, "outputs"));
  }
  ASSIGN_OR_RETURN(const JsonValue* deps, ArrayMember(v, "dependencies", "ferry"));
  if (deps != nullptr) {
    ASSIGN_OR_RETURN(f.dependencies, ParseDependencies(*deps));
  }
  ASSIGN_OR_RETURN(const JsonValue* metrics, Section(v, "metrics", "ferry"));
  if (metrics != nullptr) RETURN_IF_ERROR(ParseMetrics(*metrics, f.metrics));
  if (v.Find("params") != nullptr) {
    ASSIGN_OR_RETURN(f.params, internal::OptionalStringMap(v, "params", "ferry"));
  }
  return absl::OkStatus();
}

absl::Status ParseFerry(const JsonValue& v, FerryFields& f) {
  const char* p = "ferry";
  RETURN_IF_ERROR(Str(v, "ferryVersion", p, f.ferry_version));
  ASSIGN_OR_RETURN(const JsonValue* predictor, Section(v, "predictor", p));
  if (predictor != nullptr) {
    ASSIGN_OR_RETURN(f.predictor, ParsePredictor(*predictor));
  }
  ASSIGN_OR_RETURN(const JsonValue* trainer, Section(v, "trainer", p));
  if (trainer != nullptr) {
    ASSIGN_OR_RETURN(f.trainer, ParseTrainer(*trainer));
  }
  RETURN_IF_ERROR(ParseSchemaAndLists(v, f));
  RETURN_IF_ERROR(Str(v, "sourceRunId", p, f.source_run_id));
  RETURN_IF_ERROR(Str(v, "codeCommit", p, f.code_commit));
  ASSIGN_OR_RETURN(auto profile, internal::OptionalString(v, "referenceProfile", p));
  if (profile) f.reference_profile = profile;
  return absl::OkStatus();
}

absl::Status ParseModelFs(const JsonValue& doc, PackageConfig& c) {
  ASSIGN_OR_RETURN(const JsonValue* fs, Section(doc, "modelfs", ""));
  if (fs == nullptr) return FieldError("modelfs", "required field is missing");
  ASSIGN_OR_RETURN(std::string type, internal::RequiredString(*fs, "type", "modelfs"));
  if (type != "layers") return FieldError("modelfs.type", "expected \"layers\"");
  if (fs->Find("diffIds") == nullptr)
    return FieldError("modelfs.diffIds", "required field is missing");
  ASSIGN_OR_RETURN(c.diff_ids, internal::OptionalStringArray(*fs, "diffIds", "modelfs"));
  return absl::OkStatus();
}

}  // namespace

absl::Status MergePartialConfig(const JsonValue& doc, PackageConfig& c) {
  RETURN_IF_ERROR(CheckObject(doc, "config"));
  ASSIGN_OR_RETURN(const JsonValue* descriptor, Section(doc, "descriptor", ""));
  if (descriptor != nullptr) RETURN_IF_ERROR(ParseDescriptor(*descriptor, c.descriptor));
  ASSIGN_OR_RETURN(const JsonValue* settings, Section(doc, "config", ""));
  if (settings != nullptr) RETURN_IF_ERROR(ParseSettings(*settings, c.config));
  ASSIGN_OR_RETURN(const JsonValue* ferry, Section(doc, "ferry", ""));
  if (ferry != nullptr) RETURN_IF_ERROR(ParseFerry(*ferry, c.ferry));
  return absl::OkStatus();
}

absl::StatusOr<PackageConfig> ParseConfig(std::string_view bytes) {
  auto doc = ParseJson(bytes);
  if (!doc.ok()) return FieldError("config", StatusMessage(doc.status()));
  PackageConfig c;
  RETURN_IF_ERROR(MergePartialConfig(*doc, c));
  if (doc->Find("descriptor") == nullptr)
    return FieldError("descriptor", "required field is missing");
  RETURN_IF_ERROR(ParseModelFs(*doc, c));
  RETURN_IF_ERROR(ValidateConfig(c));
  return c;
}

}  // namespace ferry::package
