#include "http/handlers/mlflow/registry_json.h"

#include "http/handlers/mlflow/tracking_json.h"

namespace ferry::http {
namespace {

void OptionalField(JsonWriter& w, std::string_view key, const std::string& value) {
  if (!value.empty()) w.Field(key, value);
}

}  // namespace

void WriteModelVersion(JsonWriter& w, const ModelVersion& v) {
  w.BeginObject()
      .Field("name", v.name)
      .Field("version", std::to_string(v.version))
      .Field("creation_timestamp", v.creation_timestamp)
      .Field("last_updated_timestamp", v.last_updated_timestamp);
  OptionalField(w, "user_id", v.user_id);
  w.Field("current_stage", ModelStageName(v.current_stage));
  OptionalField(w, "description", v.description);
  w.Field("source", v.source);
  OptionalField(w, "run_id", v.run_id);
  w.Field("status", ModelVersionStatusName(v.status));
  OptionalField(w, "status_message", v.status_message);
  WriteKeyValues(w, "tags", v.tags);
  OptionalField(w, "run_link", v.run_link);
  if (!v.aliases.empty()) {
    w.Key("aliases").BeginArray();
    for (const std::string& a : v.aliases) w.String(a);
    w.EndArray();
  }
  w.EndObject();
}

void WriteModelVersions(JsonWriter& w, std::string_view field,
                        const std::vector<ModelVersion>& versions) {
  if (versions.empty()) return;
  w.Key(field).BeginArray();
  for (const ModelVersion& v : versions) WriteModelVersion(w, v);
  w.EndArray();
}

void WriteRegisteredModel(JsonWriter& w, const RegisteredModel& m) {
  w.BeginObject()
      .Field("name", m.name)
      .Field("creation_timestamp", m.creation_timestamp)
      .Field("last_updated_timestamp", m.last_updated_timestamp);
  OptionalField(w, "user_id", m.user_id);
  OptionalField(w, "description", m.description);
  WriteModelVersions(w, "latest_versions", m.latest_versions);
  WriteKeyValues(w, "tags", m.tags);
  if (!m.aliases.empty()) {
    w.Key("aliases").BeginArray();
    for (const RegisteredModelAlias& a : m.aliases) {
      w.BeginObject().Field("alias", a.alias).Field("version", std::to_string(a.version));
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

}  // namespace ferry::http
