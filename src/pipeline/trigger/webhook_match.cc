#include "pipeline/trigger/webhook_match.h"

#include <algorithm>

#include "common/json.h"
#include "common/strings.h"

namespace ferry::pipeline {
namespace {

constexpr char kAlertFiring[] = "monitoring_alert.firing";

// A field of `data` as text: strings as they are, integers in decimal, else "".
std::string Text(const JsonValue& data, const char* key) {
  const JsonValue* v = data.Find(key);
  if (v == nullptr) return "";
  if (v->is_string()) return v->as_string();
  if (v->is_integer()) return std::to_string(v->as_int());
  return "";
}

std::string AlertDetail(const JsonValue& data) {
  std::string detail = StrCat("monitoring_alert: ", Text(data, "kind"), " on ",
                              Text(data, "deployment"), " (window ", Text(data, "last_window"));
  const JsonValue* columns = data.Find("columns");
  if (columns != nullptr && columns->is_array() && !columns->items().empty()) {
    std::string list;
    for (const JsonValue& c : columns->items()) {
      if (c.is_string()) list += (list.empty() ? "" : ",") + c.as_string();
    }
    detail += ", columns " + list;
  }
  return detail + ")";
}

std::string RegistryDetail(const std::string& event, const JsonValue& data) {
  std::string detail = StrCat("registry: ", event, " ", Text(data, "name"));
  if (!Text(data, "alias").empty()) detail += " @" + Text(data, "alias");
  if (!Text(data, "version").empty()) detail += " v" + Text(data, "version");
  if (!Text(data, "key").empty()) detail += " " + Text(data, "key");
  if (!Text(data, "stage").empty()) detail += " -> " + Text(data, "stage");
  return detail;
}

bool Matches(const TriggerSpec& t, const std::string& event, const JsonValue& data) {
  if (t.kind == TriggerKind::kAlert) {
    return event == kAlertFiring && Text(data, "deployment") == t.deployment &&
           AlertTypeMatches(t.alert_type, Text(data, "kind"));
  }
  if (t.kind == TriggerKind::kRegistryEvent) {
    return event == t.event && (t.model.empty() || Text(data, "name") == t.model);
  }
  return false;
}

}  // namespace

std::vector<std::string> WebhookEventsFor(const std::vector<TriggerSpec>& triggers) {
  std::vector<std::string> events;
  for (const TriggerSpec& t : triggers) {
    if (t.kind == TriggerKind::kAlert) events.push_back(kAlertFiring);
    if (t.kind == TriggerKind::kRegistryEvent) events.push_back(t.event);
  }
  std::sort(events.begin(), events.end());
  events.erase(std::unique(events.begin(), events.end()), events.end());
  return events;
}

absl::StatusOr<std::optional<TriggerEvent>> MatchWebhook(const std::vector<TriggerSpec>& triggers,
                                                         std::string_view body, int64_t now_unix) {
  absl::StatusOr<JsonValue> parsed = ParseJson(body);
  if (!parsed.ok() || !parsed->is_object()) {
    return absl::InvalidArgumentError("expected a webhook delivery (a JSON object)");
  }
  const std::string entity = Text(*parsed, "entity");
  const std::string action = Text(*parsed, "action");
  const JsonValue* data = parsed->Find("data");
  if (entity.empty() || action.empty() || data == nullptr || !data->is_object()) {
    return absl::InvalidArgumentError("expected a webhook delivery with entity, action and data");
  }
  const std::string event = entity + "." + action;
  for (const TriggerSpec& t : triggers) {
    if (!Matches(t, event, *data)) continue;
    if (t.kind == TriggerKind::kAlert) {
      return TriggerEvent{TriggerKind::kAlert, AlertDetail(*data), now_unix};
    }
    return TriggerEvent{TriggerKind::kRegistryEvent, RegistryDetail(event, *data), now_unix};
  }
  return std::optional<TriggerEvent>();
}

}  // namespace ferry::pipeline
