#include "http/handlers/mlflow/tracking_json.h"

#include "http/handlers/request_args.h"

namespace ferry::http {

void WriteKeyValues(JsonWriter& w, std::string_view field, const std::vector<KeyValue>& kvs) {
  if (kvs.empty()) return;
  w.Key(field).BeginArray();
  for (const auto& kv : kvs) {
    w.BeginObject().Field("key", kv.key).Field("value", kv.value).EndObject();
  }
  w.EndArray();
}

void WriteExperiment(JsonWriter& w, const Experiment& e) {
  w.BeginObject()
      .Field("experiment_id", e.experiment_id)
      .Field("name", e.name)
      .Field("artifact_location", e.artifact_location)
      .Field("lifecycle_stage", LifecycleStageName(e.lifecycle_stage))
      .Field("last_update_time", e.last_update_time)
      .Field("creation_time", e.creation_time);
  WriteKeyValues(w, "tags", e.tags);
  w.EndObject();
}

void WriteRunInfo(JsonWriter& w, const RunInfo& info) {
  w.BeginObject()
      .Field("run_id", info.run_id)
      .Field("run_uuid", info.run_id)
      .Field("run_name", info.run_name)
      .Field("experiment_id", info.experiment_id)
      .Field("user_id", info.user_id)
      .Field("status", RunStatusName(info.status))
      .Field("start_time", info.start_time);
  if (info.end_time) w.Field("end_time", *info.end_time);
  w.Field("artifact_uri", info.artifact_uri)
      .Field("lifecycle_stage", LifecycleStageName(info.lifecycle_stage))
      .EndObject();
}

void WriteMetric(JsonWriter& w, const Metric& m) {
  w.BeginObject()
      .Field("key", m.key)
      .FieldDouble("value", m.value)
      .Field("timestamp", m.timestamp)
      .Field("step", m.step)
      .EndObject();
}

static void WriteDatasetInput(JsonWriter& w, const DatasetInput& in) {
  w.BeginObject();
  WriteKeyValues(w, "tags", in.tags);
  const Dataset& d = in.dataset;
  w.Key("dataset").BeginObject().Field("name", d.name).Field("digest", d.digest);
  w.Field("source_type", d.source_type).Field("source", d.source);
  if (d.schema) w.Field("schema", *d.schema);
  if (d.profile) w.Field("profile", *d.profile);
  w.EndObject().EndObject();
}

void WriteRun(JsonWriter& w, const Run& run) {
  w.BeginObject().Key("info");
  WriteRunInfo(w, run.info);
  w.Key("data").BeginObject();
  if (!run.data.metrics.empty()) {
    w.Key("metrics").BeginArray();
    for (const auto& m : run.data.metrics) WriteMetric(w, m);
    w.EndArray();
  }
  WriteKeyValues(w, "params", run.data.params);
  WriteKeyValues(w, "tags", run.data.tags);
  w.EndObject();
  w.Key("inputs").BeginObject();
  if (!run.inputs.empty()) {
    w.Key("dataset_inputs").BeginArray();
    for (const auto& in : run.inputs) WriteDatasetInput(w, in);
    w.EndArray();
  }
  w.EndObject().EndObject();
}

void WriteFileInfos(JsonWriter& w, const std::vector<FileInfo>& files) {
  if (files.empty()) return;
  w.Key("files").BeginArray();
  for (const auto& f : files) {
    w.BeginObject().Field("path", f.path).FieldBool("is_dir", f.is_dir);
    if (f.file_size) w.Field("file_size", *f.file_size);
    w.EndObject();
  }
  w.EndArray();
}

absl::StatusOr<std::vector<KeyValue>> ParseKeyValues(const std::vector<const JsonValue*>& items,
                                                     std::string_view field, bool value_required) {
  std::vector<KeyValue> out;
  out.reserve(items.size());
  for (const JsonValue* item : items) {
    ASSIGN_OR_RETURN(auto key, JsonString(*item, "key"));
    ASSIGN_OR_RETURN(auto value, JsonString(*item, "value"));
    if (!key) return MissingParam(std::string(field) + ".key");
    if (!value && value_required) return MissingParam(std::string(field) + ".value");
    out.push_back({std::move(*key), value.value_or("")});
  }
  return out;
}

absl::StatusOr<Metric> ParseMetric(const JsonValue& obj) {
  Metric m;
  ASSIGN_OR_RETURN(auto key, JsonString(obj, "key"));
  ASSIGN_OR_RETURN(auto value, JsonDouble(obj, "value"));
  ASSIGN_OR_RETURN(auto timestamp, JsonInt64(obj, "timestamp"));
  ASSIGN_OR_RETURN(auto step, JsonInt64(obj, "step"));
  if (!key) return MissingParam("key");
  if (!value) return MissingParam("value");
  if (!timestamp) return MissingParam("timestamp");
  m.key = std::move(*key);
  m.value = *value;
  m.timestamp = *timestamp;
  m.step = step.value_or(0);
  return m;
}

static absl::StatusOr<Dataset> ParseDataset(const JsonValue& obj) {
  Dataset d;
  ASSIGN_OR_RETURN(auto name, JsonString(obj, "name"));
  ASSIGN_OR_RETURN(auto digest, JsonString(obj, "digest"));
  ASSIGN_OR_RETURN(auto source_type, JsonString(obj, "source_type"));
  ASSIGN_OR_RETURN(auto source, JsonString(obj, "source"));
  ASSIGN_OR_RETURN(d.schema, JsonString(obj, "schema"));
  ASSIGN_OR_RETURN(d.profile, JsonString(obj, "profile"));
  if (!name) return MissingParam("dataset.name");
  if (!digest) return MissingParam("dataset.digest");
  if (!source_type) return MissingParam("dataset.source_type");
  if (!source) return MissingParam("dataset.source");
  d.name = std::move(*name);
  d.digest = std::move(*digest);
  d.source_type = std::move(*source_type);
  d.source = std::move(*source);
  return d;
}

absl::StatusOr<std::vector<DatasetInput>> ParseDatasetInputs(
    const std::vector<const JsonValue*>& items) {
  std::vector<DatasetInput> out;
  for (const JsonValue* item : items) {
    const JsonValue* dataset = item->Find("dataset");
    if (dataset == nullptr || dataset->is_null()) return MissingParam("datasets.dataset");
    if (!dataset->is_object()) return InvalidParam("dataset", *dataset);
    DatasetInput in;
    ASSIGN_OR_RETURN(in.dataset, ParseDataset(*dataset));
    const JsonValue* tags = item->Find("tags");
    if (tags != nullptr && !tags->is_null()) {
      if (!tags->is_array()) return InvalidParam("tags", *tags);
      std::vector<const JsonValue*> tag_items;
      for (const auto& t : tags->items()) {
        if (!t.is_object()) return InvalidParam("tags", *tags);
        tag_items.push_back(&t);
      }
      ASSIGN_OR_RETURN(in.tags, ParseKeyValues(tag_items, "tags", true));
    }
    out.push_back(std::move(in));
  }
  return out;
}

}  // namespace ferry::http
