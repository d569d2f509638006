#include "pipeline/trigger/run_coalescer.h"

#include <utility>

namespace ferry::pipeline {

const char* TriggerKindName(TriggerKind kind) {
  switch (kind) {
    case TriggerKind::kManual:
      return "manual";
    case TriggerKind::kSchedule:
      return "schedule";
    case TriggerKind::kNewData:
      return "new_data";
    case TriggerKind::kAlert:
      return "alert";
    case TriggerKind::kRegistryEvent:
      return "registry_event";
  }
  return "manual";
}

bool RunCoalescer::CooledDown(const RunRequest& request, int64_t now_unix) const {
  if (!last_start_ || cooldown_seconds_ <= 0) return true;
  if (request.first.kind == TriggerKind::kManual) return true;
  for (const TriggerEvent& e : request.folded) {
    if (e.kind == TriggerKind::kManual) return true;
  }
  return now_unix - *last_start_ >= cooldown_seconds_;
}

RunRequest RunCoalescer::Start(RunRequest request, int64_t now_unix) {
  active_ = true;
  last_start_ = now_unix;
  return request;
}

std::optional<RunRequest> RunCoalescer::Fire(const TriggerEvent& event) {
  if (pending_) {
    pending_->folded.push_back(event);
    ++folded_total_;
    return Poll(event.at_unix);
  }
  RunRequest request{event, {}};
  if (!active_ && CooledDown(request, event.at_unix))
    return Start(std::move(request), event.at_unix);
  pending_ = std::move(request);
  return std::nullopt;
}

std::optional<RunRequest> RunCoalescer::Finished(int64_t now_unix) {
  active_ = false;
  return Poll(now_unix);
}

std::optional<RunRequest> RunCoalescer::Poll(int64_t now_unix) {
  if (active_ || !pending_ || !CooledDown(*pending_, now_unix)) return std::nullopt;
  RunRequest request = std::move(*pending_);
  pending_.reset();
  return Start(std::move(request), now_unix);
}

}  // namespace ferry::pipeline
