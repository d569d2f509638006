#include "registry/webhook_events.h"

#include <ctime>

#include "common/json_writer.h"

namespace ferry::registry {
namespace {

struct EventSpec {
  RegistryEventType type;
  const char* entity;
  const char* action;
};

constexpr EventSpec kEvents[] = {
    {RegistryEventType::kRegisteredModelCreated, "registered_model", "created"},
    {RegistryEventType::kRegisteredModelTagSet, "registered_model_tag", "set"},
    {RegistryEventType::kModelVersionCreated, "model_version", "created"},
    {RegistryEventType::kModelVersionTagSet, "model_version_tag", "set"},
    {RegistryEventType::kModelVersionTagDeleted, "model_version_tag", "deleted"},
    {RegistryEventType::kModelVersionAliasSet, "model_version_alias", "created"},
    {RegistryEventType::kModelVersionAliasDeleted, "model_version_alias", "deleted"},
    {RegistryEventType::kModelVersionStageChanged, "model_version", "stage_changed"},
    {RegistryEventType::kMonitoringAlertFiring, "monitoring_alert", "firing"},
    {RegistryEventType::kMonitoringAlertResolved, "monitoring_alert", "resolved"},
};

const EventSpec& SpecOf(RegistryEventType type) {
  for (const EventSpec& s : kEvents) {
    if (s.type == type) return s;
  }
  return kEvents[0];
}

// "2026-01-02T03:04:05.678000+00:00", the form of Python's datetime.isoformat() in UTC.
std::string IsoTimestamp(int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03d000+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void WriteTags(JsonWriter& w, const std::vector<KeyValue>& tags) {
  w.Key("tags").BeginObject();
  for (const KeyValue& t : tags) w.Field(t.key, t.value);
  w.EndObject();
}

void WriteDescription(JsonWriter& w, const std::string& description) {
  w.Key("description");
  if (description.empty()) {
    w.Null();
  } else {
    w.String(description);
  }
}

void WriteData(JsonWriter& w, const RegistryEvent& e) {
  if (e.type == RegistryEventType::kMonitoringAlertFiring ||
      e.type == RegistryEventType::kMonitoringAlertResolved) {
    w.Raw(e.data_json.empty() ? "{}" : e.data_json);
    return;
  }
  std::string version = std::to_string(e.version);
  w.BeginObject().Field("name", e.model_name);
  switch (e.type) {
    case RegistryEventType::kRegisteredModelCreated:
      WriteTags(w, e.tags);
      WriteDescription(w, e.description);
      break;
    case RegistryEventType::kRegisteredModelTagSet:
      w.Field("key", e.tag_key).Field("value", e.tag_value);
      break;
    case RegistryEventType::kModelVersionCreated:
      w.Field("version", version).Field("source", e.source).Key("run_id");
      if (e.run_id.empty()) {
        w.Null();
      } else {
        w.String(e.run_id);
      }
      WriteTags(w, e.tags);
      WriteDescription(w, e.description);
      break;
    case RegistryEventType::kModelVersionTagSet:
      w.Field("version", version).Field("key", e.tag_key).Field("value", e.tag_value);
      break;
    case RegistryEventType::kModelVersionTagDeleted:
      w.Field("version", version).Field("key", e.tag_key);
      break;
    case RegistryEventType::kModelVersionAliasSet:
      w.Field("alias", e.alias).Field("version", version);
      break;
    case RegistryEventType::kModelVersionAliasDeleted:
      w.Field("alias", e.alias);
      break;
    case RegistryEventType::kModelVersionStageChanged:
      w.Field("version", version).Field("stage", e.stage);
      break;
    case RegistryEventType::kMonitoringAlertFiring:
    case RegistryEventType::kMonitoringAlertResolved:
      break;  // written above
  }
  w.EndObject();
}

}  // namespace

std::string WebhookEventName(RegistryEventType type) {
  const EventSpec& s = SpecOf(type);
  return std::string(s.entity) + "." + s.action;
}

const std::vector<std::string>& KnownWebhookEvents() {
  static const std::vector<std::string>* names = [] {
    auto* out = new std::vector<std::string>;
    for (const EventSpec& s : kEvents) out->push_back(std::string(s.entity) + "." + s.action);
    return out;
  }();
  return *names;
}

bool IsKnownWebhookEvent(std::string_view name) {
  for (const std::string& known : KnownWebhookEvents()) {
    if (known == name) return true;
  }
  return false;
}

std::string WebhookPayload(const RegistryEvent& e) {
  const EventSpec& s = SpecOf(e.type);
  std::string body;
  JsonWriter w(&body);
  w.BeginObject()
      .Field("entity", s.entity)
      .Field("action", s.action)
      .Field("timestamp", IsoTimestamp(e.timestamp_ms))
      .Key("data");
  WriteData(w, e);
  w.EndObject();
  return body;
}

}  // namespace ferry::registry
