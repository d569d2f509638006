// pipeline.yaml's `triggers:` list: each entry one of
//   - schedule: "*/5 * * * *"
//   - data: PATH            (with an optional `poll: 10s`)
//   - alert: {deployment: NAME, type: drift|data_drift|prediction_drift|quality|bias|any}
//   - registry: {event: ENTITY.ACTION, model: NAME}
// checked where it is written (the cron text, the alert type, the event name); that alert and
// registry triggers have a tracking server is checked after parsing (spec_check.cc).

#include <optional>

#include "common/strings.h"
#include "pipeline/spec_yaml.h"
#include "pipeline/trigger/cron.h"
#include "registry/webhook_events.h"

namespace ferry::pipeline::internal {
namespace {

constexpr char kExpectedEntry[] =
    "expected one of schedule, data, alert or registry (see docs/PIPELINES.md, Triggers)";

void ParseSchedule(TriggerSpec& t, const YAML::Node& value, const std::string& field) {
  t.kind = TriggerKind::kSchedule;
  t.schedule = Scalar(value, field);
  absl::StatusOr<CronSchedule> cron = CronSchedule::Parse(t.schedule);
  if (!cron.ok()) Fail(value, field, std::string(cron.status().message()));
}

void ParseData(TriggerSpec& t, const YAML::Node& value, const std::string& field) {
  t.kind = TriggerKind::kNewData;
  t.path = Scalar(value, field);
  std::string p = t.path;
  while (StartsWith(p, "./")) p = p.substr(2);
  if (p.empty() || p == "." || p == ".ferry" || StartsWith(p, ".ferry/")) {
    Fail(value, field,
         "expected a data file or directory other than the pipeline's directory and its "
         ".ferry state (runs write there), got " +
             Shown(value));
  }
}

void ParseAlert(TriggerSpec& t, const YAML::Node& value, const std::string& field) {
  t.kind = TriggerKind::kAlert;
  ForEachEntry(value, field, {"deployment", "type"},
               [&](const std::string& key, const YAML::Node& v, const YAML::Node&) {
                 if (key == "deployment") t.deployment = Scalar(v, field + ".deployment");
                 if (key != "type") return;
                 t.alert_type = Scalar(v, field + ".type");
                 if (!IsAlertType(t.alert_type)) {
                   Fail(v, field + ".type",
                        "expected drift, data_drift, prediction_drift, quality, bias or any, got " +
                            Shown(v));
                 }
               });
  if (t.deployment.empty()) Fail(value, field, "missing 'deployment' (the deployment's name)");
}

void ParseRegistry(TriggerSpec& t, const YAML::Node& value, const std::string& field) {
  t.kind = TriggerKind::kRegistryEvent;
  ForEachEntry(value, field, {"event", "model"},
               [&](const std::string& key, const YAML::Node& v, const YAML::Node&) {
                 if (key == "model") t.model = Scalar(v, field + ".model");
                 if (key != "event") return;
                 t.event = Scalar(v, field + ".event");
                 if (StartsWith(t.event, "monitoring_alert.")) {
                   Fail(v, field + ".event", "monitoring alerts are an 'alert' trigger");
                 }
                 if (!registry::IsKnownWebhookEvent(t.event)) {
                   Fail(v, field + ".event",
                        "unknown event " + Shown(v) +
                            "; expected a registry webhook event such as model_version.created "
                            "or model_version_alias.created");
                 }
               });
  if (t.event.empty()) Fail(value, field, "missing 'event' (e.g. model_version.created)");
}

TriggerSpec ParseTrigger(const YAML::Node& node, const std::string& field) {
  TriggerSpec t;
  const Location where = At(node);
  t.line = where.line;
  t.column = where.column;
  if (!node.IsMap()) Fail(node, field, std::string(kExpectedEntry) + ", got " + Shown(node));
  int kinds = 0;
  std::optional<YAML::Node> poll;
  ForEachEntry(node, field, {"schedule", "data", "poll", "alert", "registry"},
               [&](const std::string& key, const YAML::Node& value, const YAML::Node& key_node) {
                 if (key == "poll") {
                   poll = value;
                   return;
                 }
                 if (++kinds > 1)
                   Fail(key_node, field, std::string("one kind per entry: ") + kExpectedEntry);
                 const std::string f = field + "." + key;
                 if (key == "schedule") ParseSchedule(t, value, f);
                 if (key == "data") ParseData(t, value, f);
                 if (key == "alert") ParseAlert(t, value, f);
                 if (key == "registry") ParseRegistry(t, value, f);
               });
  if (kinds == 0) Fail(node, field, kExpectedEntry);
  if (poll) {
    if (t.kind != TriggerKind::kNewData) Fail(*poll, field + ".poll", "only data triggers poll");
    t.poll_seconds = Duration(*poll, field + ".poll");
    if (t.poll_seconds < 1) Fail(*poll, field + ".poll", "expected at least 1s");
  }
  return t;
}

}  // namespace

std::vector<TriggerSpec> ParseTriggers(const YAML::Node& node) {
  if (!node.IsSequence()) {
    Fail(node, "triggers",
         "expected a list (- schedule: ..., - data: ..., ...), got " + Shown(node));
  }
  std::vector<TriggerSpec> out;
  for (const auto& item : node) {
    out.push_back(ParseTrigger(item, "triggers[" + std::to_string(out.size()) + "]"));
  }
  return out;
}

}  // namespace ferry::pipeline::internal
