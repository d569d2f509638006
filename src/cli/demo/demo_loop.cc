// `ferry demo`, second half: traffic before and after the catalogue changes, the drift the
// server measures, the retraining run (gate, register, canary, promotion) with traffic still
// flowing, and the maturity assessment.

#include <fstream>
#include <thread>

#include "cli/demo/demo_monitor.h"
#include "cli/demo/demo_run.h"
#include "cli/init/templates.h"
#include "common/fs.h"
#include "runtime/sessions/session_generator.h"

namespace ferry::cli::demo {
namespace {

using runtime::sessions::SessionGenerator;

constexpr double kBaselineSeconds = 8;   // traffic on the old catalogue before the change
constexpr double kDriftTimeout = 60;     // the alert must come within this
constexpr double kRetrainTimeout = 150;  // the retraining run, canary included
constexpr double kAfterSeconds = 2;      // traffic kept on the promoted version

// The sessions the clients replay: the generator's world, split at its catalogue change.
SessionPool TrafficSessions(uint64_t seed) {
  runtime::sessions::GeneratorParams p;
  p.seed = seed;
  p.events = kEventsAfter;
  p.items = kItems;
  p.drift_at = 0.5;
  std::vector<std::pair<int, std::vector<std::string>>> sessions;
  for (const auto& s : SessionGenerator(p).Generate()) {
    std::vector<std::string> items;
    for (int32_t i : s.items) items.push_back(SessionGenerator::ItemName(i));
    sessions.emplace_back(s.era, std::move(items));
  }
  return MakeSessionPool(sessions);
}

std::string Counts(const TrafficCounts& t) {
  std::string out = std::to_string(t.served) + " served, " + std::to_string(t.failed) + " failed";
  std::string versions;
  for (const auto& [v, n] : t.by_version) {
    versions += (versions.empty() ? "" : ", ") + ("v" + v) + ": " + std::to_string(n);
  }
  return versions.empty() ? out : out + " (" + std::string(kModel) + " " + versions + ")";
}

// New complete lines of a growing log file.
class LogFollower {
 public:
  explicit LogFollower(std::string path) : path_(std::move(path)) {}
  std::vector<std::string> NewLines() {
    std::vector<std::string> out;
    auto text = ReadFile(path_);
    if (!text.ok() || text->size() <= offset_) return out;
    size_t at = offset_;
    for (size_t nl = text->find('\n', at); nl != std::string::npos; nl = text->find('\n', at)) {
      out.push_back(text->substr(at, nl - at));
      at = nl + 1;
    }
    offset_ = at;
    return out;
  }

 private:
  std::string path_;
  size_t offset_ = 0;
};

void Sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
}

absl::Status Interrupted() { return absl::CancelledError("interrupted"); }

// Traffic on the old catalogue until the monitor has a baseline and clean windows.
absl::Status Baseline(DemoContext& c) {
  const double start = c.progress.Seconds();
  double said = start;
  while (c.progress.Seconds() - start < kBaselineSeconds) {
    if (g_interrupted.load()) return Interrupted();
    Sleep(0.25);
    if (c.progress.Seconds() - said >= 2) {
      said = c.progress.Seconds();
      c.progress.Say("traffic", Counts(c.traffic->Counts()));
    }
  }
  auto drift = PollDrift(c.url, kModel);
  if (!drift.ok()) return drift.status();
  if (drift->detected) {
    return absl::InternalError("live monitoring reported drift before the catalogue changed: " +
                               drift->message);
  }
  return absl::OkStatus();
}

// Switches the traffic (and the training data) to the new catalogue; waits for the alert.
absl::Status Drift(DemoContext& c) {
  RETURN_IF_ERROR(Ferry(c, "sessions-after",
                        {"data", "sessions", "-o", c.Path("data/sessions.csv"), "--events",
                         std::to_string(kEventsAfter), "--items", std::to_string(kItems),
                         "--drift-at", "0.5", "--seed", std::to_string(c.options.seed)}));
  c.traffic->SetPhase(Phase::kAfter);
  const double changed = c.progress.Seconds();
  c.progress.Say("drift",
                 "the catalogue changes: half the items replaced, popularity "
                 "re-ranked; data/sessions.csv now holds the new sessions");
  double said = changed;
  while (c.progress.Seconds() - changed < kDriftTimeout) {
    if (g_interrupted.load()) return Interrupted();
    Sleep(0.5);
    auto drift = PollDrift(c.url, kModel);
    if (drift.ok() && drift->detected) {
      c.summary.drift = *drift;
      c.summary.drift.seconds_after_change = c.progress.Seconds() - changed;
      c.progress.Say("monitor", "ALERT " + drift->kind + " on " + kModel + ": " + drift->message);
      return absl::OkStatus();
    }
    if (c.progress.Seconds() - said >= 2) {
      said = c.progress.Seconds();
      c.progress.Say("traffic", Counts(c.traffic->Counts()) + "; waiting for the monitor");
    }
  }
  return absl::DeadlineExceededError("live monitoring reported no drift within " +
                                     std::to_string(static_cast<int>(kDriftTimeout)) +
                                     " s of the change (server log: " + c.Log("server") + ")");
}

// Follows the retraining run to its end with traffic flowing.
absl::Status Retrain(DemoContext& c, Retrainer& retrain) {
  c.progress.Say("pipeline",
                 "run 2, triggered by the drift alert (the server's webhook to the watch): "
                 "retrain on the new sessions, gate, register, canary at 20%, promote");
  LogFollower follow(c.Log("pipeline-2"));
  const double start = c.progress.Seconds();
  double said = start;
  std::optional<int> rc;
  while (!(rc = retrain.Poll())) {
    if (g_interrupted.load()) {
      retrain.Stop();
      return Interrupted();
    }
    if (c.progress.Seconds() - start > kRetrainTimeout) {
      retrain.Stop();
      return absl::DeadlineExceededError("the retraining run took over " +
                                         std::to_string(static_cast<int>(kRetrainTimeout)) + " s");
    }
    Sleep(0.25);
    for (const std::string& line : follow.NewLines()) {
      if (!line.empty() && line[0] == '[') c.progress.Say("pipeline", line);
    }
    if (c.progress.Seconds() - said >= 3) {
      said = c.progress.Seconds();
      c.progress.Say("traffic", Counts(c.traffic->Counts()));
    }
  }
  for (const std::string& line : follow.NewLines()) {
    if (!line.empty() && line[0] == '[') c.progress.Say("pipeline", line);
  }
  c.summary.promotion = *rc == 0 ? "promoted through a canary"
                                 : "the retraining run failed (exit " + std::to_string(*rc) + ", " +
                                       c.Log("pipeline-2") + ")";
  return absl::OkStatus();
}

}  // namespace

absl::Status RunLoop(DemoContext& c) {
  TrafficOptions o;
  o.url = c.url;
  o.model = kModel;
  o.tabular_model = kTabularModel;
  o.seed = c.options.seed;
  auto rows = FeatureRows(init::TabularCsv());
  c.traffic = std::make_unique<Traffic>(o, TrafficSessions(c.options.seed), std::move(rows));
  c.traffic->Start();
  c.progress.Say("traffic",
                 "3 clients replay sessions of the first catalogue (40 per request), "
                 "1 sends rows to " +
                     std::string(kTabularModel));
  Retrainer retrain(c.url, c.Path("pipeline.yaml"), c.Log("pipeline-2"));
  absl::Status s = retrain.Arm();
  if (s.ok()) {
    c.progress.Say("pipeline",
                   "`ferry pipeline watch --once` waits for the drift alert "
                   "(pipeline.yaml: triggers: alert on recsys)");
  }
  if (s.ok()) s = Baseline(c);
  if (s.ok()) s = Drift(c);
  if (s.ok()) s = Retrain(c, retrain);
  if (s.ok()) {
    Sleep(kAfterSeconds);
    auto v = ServingVersion(c.url, kModel);
    c.summary.promoted_version = v.ok() ? *v : "";
    c.progress.Say("serve", std::string(kModel) + " version " + c.summary.promoted_version +
                                " serves @champion");
  }
  c.traffic->Stop();
  const TrafficCounts t = c.traffic->Counts();
  c.summary.requests_served = t.served;
  c.summary.requests_failed = t.failed;
  if (auto it = t.by_version.find(c.summary.promoted_version);
      it != t.by_version.end() && c.summary.promoted_version != c.summary.first_version) {
    c.summary.new_version_requests = it->second;
  }
  c.progress.Say("traffic", "stopped: " + Counts(t));
  for (const std::string& e : t.errors) c.progress.Say("traffic", "failed: " + e);
  return s;
}

absl::Status AssessMaturity(DemoContext& c) {
  RETURN_IF_ERROR(Ferry(c, "maturity", {"maturity", "--server", c.url, "--format", "json", c.dir}));
  // The log holds the JSON (stdout) and nothing else on success.
  ASSIGN_OR_RETURN(std::string text, ReadFile(c.Log("maturity")));
  ASSIGN_OR_RETURN(JsonValue j, ParseJson(text));
  const JsonValue* level = j.is_object() ? j.Find("level") : nullptr;
  if (level == nullptr || !level->is_integer()) {
    return absl::InternalError("`ferry maturity` gave no level: " + text.substr(0, 300));
  }
  c.summary.maturity_level = static_cast<int>(level->as_int());
  const JsonValue* score = j.Find("score");
  const JsonValue* band = j.Find("band");
  if (score != nullptr && score->is_number()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", score->as_double());
    c.summary.maturity_score = buf;
    if (band != nullptr && band->is_string())
      c.summary.maturity_score += " (" + band->as_string() + ")";
  }
  const JsonValue* chars = j.Find("characteristics");
  if (chars != nullptr && chars->is_array()) {
    for (const JsonValue& ch : chars->items()) {
      const JsonValue* met = ch.Find("met");
      const JsonValue* name = ch.Find("name");
      if (met != nullptr && met->is_bool() && !met->as_bool() && name != nullptr) {
        c.summary.maturity_missing.push_back(name->as_string());
      }
    }
  }
  c.progress.Say("maturity", "MLOps level " + std::to_string(c.summary.maturity_level) +
                                 " (ferry maturity --server " + c.url + " " + c.dir + ")");
  return absl::OkStatus();
}

}  // namespace ferry::cli::demo
