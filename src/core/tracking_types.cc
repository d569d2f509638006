#include "core/tracking_types.h"

namespace ferry {

const char* LifecycleStageName(LifecycleStage s) {
  return s == LifecycleStage::kActive ? "active" : "deleted";
}

const char* RunStatusName(RunStatus s) {
  switch (s) {
    case RunStatus::kRunning:
      return "RUNNING";
    case RunStatus::kScheduled:
      return "SCHEDULED";
    case RunStatus::kFinished:
      return "FINISHED";
    case RunStatus::kFailed:
      return "FAILED";
    case RunStatus::kKilled:
      return "KILLED";
  }
  return "RUNNING";
}

std::optional<RunStatus> ParseRunStatus(const std::string& s) {
  static const RunStatus kAll[] = {RunStatus::kRunning, RunStatus::kScheduled, RunStatus::kFinished,
                                   RunStatus::kFailed, RunStatus::kKilled};
  for (RunStatus r : kAll) {
    if (s == RunStatusName(r)) return r;
  }
  return std::nullopt;
}

std::optional<ViewType> ParseViewType(const std::string& s) {
  if (s == "ACTIVE_ONLY" || s == "1") return ViewType::kActiveOnly;
  if (s == "DELETED_ONLY" || s == "2") return ViewType::kDeletedOnly;
  if (s == "ALL" || s == "3") return ViewType::kAll;
  return std::nullopt;
}

}  // namespace ferry
