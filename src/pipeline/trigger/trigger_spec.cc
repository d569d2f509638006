#include "pipeline/trigger/trigger_spec.h"

#include "common/strings.h"

namespace ferry::pipeline {

bool IsAlertType(std::string_view type) {
  for (const char* t : kAlertTypes) {
    if (type == t) return true;
  }
  return false;
}

bool AlertTypeMatches(std::string_view type, std::string_view kind) {
  if (type == "any") return true;
  if (type == "drift") return kind == "data_drift" || kind == "prediction_drift";
  return type == kind;
}

std::string DescribeTrigger(const TriggerSpec& t) {
  switch (t.kind) {
    case TriggerKind::kSchedule:
      return StrCat("schedule ", t.schedule, " (UTC)");
    case TriggerKind::kNewData:
      return StrCat("data ", t.path, " (every ", t.poll_seconds, "s)");
    case TriggerKind::kAlert:
      return StrCat("alert ", t.alert_type, " on ", t.deployment);
    case TriggerKind::kRegistryEvent:
      return StrCat("registry ", t.event, t.model.empty() ? "" : " of ", t.model);
    case TriggerKind::kManual:
      break;
  }
  return "manual";
}

}  // namespace ferry::pipeline
