#include "cli/demo/demo_monitor.h"

#include <thread>

#include "cli/demo/demo_process.h"
#include "common/process.h"

namespace ferry::cli::demo {
namespace {

const JsonValue* Member(const JsonValue& j, std::string_view key) {
  return j.is_object() ? j.Find(key) : nullptr;
}

std::string Str(const JsonValue* j) { return j != nullptr && j->is_string() ? j->as_string() : ""; }

double Num(const JsonValue* j) { return j != nullptr && j->is_number() ? j->as_double() : 0.0; }

// The latest "firing" data_drift event of the alerts answer, or null.
const JsonValue* FiringDataDrift(const JsonValue& alerts) {
  const JsonValue* a = Member(alerts, "alerts");
  const JsonValue* active = a != nullptr ? Member(*a, "active") : nullptr;
  bool firing = false;
  if (active != nullptr && active->is_array()) {
    for (const JsonValue& k : active->items()) firing = firing || Str(&k) == "data_drift";
  }
  const JsonValue* events = a != nullptr ? Member(*a, "events") : nullptr;
  if (!firing || events == nullptr || !events->is_array()) return nullptr;
  for (const JsonValue& e : events->items()) {  // latest first
    if (Str(Member(e, "kind")) == "data_drift" && Str(Member(e, "state")) == "firing") return &e;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::string> ServingVersion(const std::string& url, const std::string& model) {
  ASSIGN_OR_RETURN(JsonValue d, GetJson(url, "/api/ferry/v1/deployments/" + model));
  const JsonValue* primary = Member(d, "primary");
  if (primary == nullptr || !primary->is_object()) return std::string();
  return Str(Member(*primary, "version"));
}

DriftReport DriftFromMonitoring(const JsonValue& alerts, const JsonValue& windows) {
  DriftReport r;
  const JsonValue* event = FiringDataDrift(alerts);
  if (event == nullptr) return r;
  r.detected = true;
  r.kind = "data_drift";
  r.message = Str(Member(*event, "message"));
  const JsonValue* last = Member(*event, "last_window");
  r.window = last != nullptr && last->is_integer() ? static_cast<uint64_t>(last->as_int()) : 0;
  const JsonValue* list = Member(windows, "windows");
  if (list == nullptr || !list->is_array()) return r;
  for (const JsonValue& w : list->items()) {
    const JsonValue* index = Member(w, "index");
    if (index == nullptr || !index->is_integer() ||
        static_cast<uint64_t>(index->as_int()) != r.window)
      continue;
    r.drift_share = Num(Member(w, "drift_share"));
    const JsonValue* columns = Member(w, "columns");
    if (columns == nullptr || !columns->is_array()) break;
    for (const JsonValue& c : columns->items()) {
      const JsonValue* drifted = Member(c, "drift_detected");
      if (drifted == nullptr || !drifted->is_bool() || !drifted->as_bool()) continue;
      r.columns.push_back(DriftColumn{Str(Member(c, "name")), Str(Member(c, "stattest")),
                                      Num(Member(c, "statistic")), Num(Member(c, "threshold"))});
    }
    break;
  }
  return r;
}

absl::StatusOr<DriftReport> PollDrift(const std::string& url, const std::string& model) {
  const std::string base = "/api/ferry/v1/monitoring/deployments/" + model;
  ASSIGN_OR_RETURN(JsonValue alerts, GetJson(url, base + "/alerts"));
  if (FiringDataDrift(alerts) == nullptr) return DriftReport{};
  ASSIGN_OR_RETURN(JsonValue windows, GetJson(url, base + "/windows?max_results=20"));
  return DriftFromMonitoring(alerts, windows);
}

Retrainer::~Retrainer() {
  if (pid_ > 0 && !status_) Stop();
}

absl::Status Retrainer::Arm() {
  ASSIGN_OR_RETURN(pid_, SpawnFerry({"pipeline", "watch", "-f", pipeline_, "--once"}, log_));
  for (int i = 0; i < 300; ++i) {  // until its webhook is on the server (30 s)
    if (Poll()) {
      return absl::InternalError("`ferry pipeline watch` exited " + std::to_string(*status_) +
                                 ":\n" + LogTail(log_));
    }
    auto hooks = GetJson(url_, "/api/ferry/v1/webhooks");
    const JsonValue* list = hooks.ok() ? Member(*hooks, "webhooks") : nullptr;
    if (list != nullptr && list->is_array() && !list->items().empty()) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::DeadlineExceededError("`ferry pipeline watch` made no webhook within 30 s:\n" +
                                     LogTail(log_));
}

std::optional<int> Retrainer::Poll() {
  if (status_ || pid_ <= 0) return status_;
  status_ = TryReapProcess(pid_);
  return status_;
}

int Retrainer::Stop() {
  if (pid_ <= 0) return -1;
  if (!status_) status_ = StopChild(pid_);
  return *status_;
}

}  // namespace ferry::cli::demo
