#include "app/monitoring/live_monitoring.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "app/monitoring/reference_profile.h"
#include "common/logging.h"
#include "monitoring/live/live_json.h"
#include "serving/prediction_frames.h"

namespace ferry::app {
namespace {

// How often the worker wakes without records: to close time windows and to notice new
// deployments or versions.
int64_t TickMillis(const cli::LiveMonitorConfig& c) {
  if (c.window_seconds <= 0) return 1000;
  return std::clamp<int64_t>(c.window_seconds * 1000 / 4, 50, 1000);
}

}  // namespace

LiveMonitoring::LiveMonitoring(const cli::LiveMonitorConfig& config, Clock& clock, Random& random,
                               size_t queue_size)
    : config_(config), clock_(clock), random_(random), queue_size_(queue_size) {}

LiveMonitoring::~LiveMonitoring() { Stop(); }

void LiveMonitoring::Start(serving::ModelManager& manager) {
  manager_ = &manager;
  worker_ = std::thread([this] { Loop(); });
}

void LiveMonitoring::Stop() {
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    stop_ = true;
  }
  queue_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void LiveMonitoring::Flush() {
  std::unique_lock<std::mutex> lock(queue_mu_);
  const uint64_t target = queued_;
  idle_cv_.wait(lock, [&] { return processed_ >= target || stop_; });
}

bool LiveMonitoring::Sampled() {
  if (config_.sample_rate >= 1) return true;
  if (config_.sample_rate <= 0) return false;
  const double u = static_cast<double>(random_.Next64() >> 11) * 0x1.0p-53;
  return u < config_.sample_rate;
}

void LiveMonitoring::OnPrediction(serving::PredictionRecord record) {
  if (record.role != "primary" && record.role != "direct" && record.role != "canary") {
    skipped_role_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (!Sampled()) return;
  {
    std::lock_guard<std::mutex> lock(queue_mu_);
    if (queue_.size() >= queue_size_ || stop_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(record));
    ++queued_;
  }
  queue_cv_.notify_one();
}

void LiveMonitoring::Loop() {
  // Background work: below the event loops, so a saturated server answers first and the
  // records it has no CPU left for are dropped (counted), not the requests slowed.
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
  const auto tick = std::chrono::milliseconds(TickMillis(config_));
  for (;;) {
    Refresh();
    std::deque<serving::PredictionRecord> batch;
    bool stopping = false;
    {
      std::unique_lock<std::mutex> lock(queue_mu_);
      queue_cv_.wait_for(lock, tick, [&] { return stop_ || !queue_.empty(); });
      batch.swap(queue_);
      stopping = stop_;
    }
    for (const serving::PredictionRecord& r : batch) Process(r);
    TickAll(clock_.NowMillis());
    {
      std::lock_guard<std::mutex> lock(queue_mu_);
      processed_ += batch.size();
    }
    idle_cv_.notify_all();
    if (stopping) return;
  }
}

void LiveMonitoring::Process(const serving::PredictionRecord& record) {
  EntryPtr e = Current(record.deployment);
  if (!e || !e->monitor) return;
  const bool primary = e->version == record.model_version;
  if (!primary && record.role != "canary") return;  // a primary swapped out meanwhile
  serving::LoadedVersionPtr v;
  if (auto d = manager_->Find(record.deployment)) v = d->Find(record.model_version);
  if (!v) return;
  const absl::Status converted =
      serving::PredictionToFrames(v->schema(), record.inputs, record.outputs, scratch_);
  std::vector<Changes> changes;
  std::unique_lock<std::mutex> lock(mu_);
  if (!converted.ok()) {
    if (e->skipped++ == 0) {
      LogWarn("monitoring_skipped",
              {{"deployment", record.deployment}, {"error", std::string(converted.message())}});
    }
    return;
  }
  e->arms->Add(record.model_version, record.request_id, scratch_.predictions,
               e->monitor->options().prediction_column);
  if (!primary) return;
  absl::Status added =
      e->monitor->Add(clock_.NowMillis(), record.request_id, scratch_.inputs, scratch_.predictions);
  if (added.ok()) {
    ++e->records;
  } else {
    ++e->skipped;
  }
  changes.push_back(TakeChanges(record.deployment, *e));
  Publish(lock, std::move(changes));
}

void LiveMonitoring::Refresh() {
  const std::vector<std::string> names = manager_->Names();  // sorted
  for (const std::string& name : names) Current(name);       // new or swapped
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (std::binary_search(names.begin(), names.end(), it->first)) {
      ++it;
    } else {
      LogInfo("monitoring_deployment_removed", {{"deployment", it->first}});
      it = entries_.erase(it);  // the monitor goes with the last holder of the entry
    }
  }
}

LiveMonitoring::EntryPtr LiveMonitoring::Current(const std::string& deployment) {
  serving::DeploymentPtr d = manager_->Find(deployment);
  serving::LoadedVersionPtr primary = d ? d->primary() : nullptr;
  if (!primary) return nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(deployment);
    if (it != entries_.end() && it->second->version == primary->version()) return it->second;
  }
  EntryPtr e = MakeEntry(deployment, *primary);  // reads the package: outside the lock
  std::lock_guard<std::mutex> lock(mu_);
  entries_[deployment] = e;
  return e;
}

LiveMonitoring::EntryPtr LiveMonitoring::MakeEntry(const std::string& deployment,
                                                   const serving::LoadedVersion& version) {
  auto e = std::make_shared<Entry>();
  e->model = version.ref().name;
  e->version = version.version();
  std::optional<monitoring::DatasetProfile> reference;
  if (config_.mode != cli::MonitorMode::kOff) {
    auto loaded = LoadReferenceProfile(version.ref().source);
    if (loaded.ok()) {
      reference = *std::move(loaded);
    } else {
      LogWarn("monitoring_reference_unreadable",
              {{"deployment", deployment}, {"error", std::string(loaded.status().message())}});
    }
  }
  e->reference = reference.has_value();
  if (config_.mode == cli::MonitorMode::kOff) {
    e->not_monitored = "monitoring is off (--monitor off)";
  } else if (!e->reference && config_.mode == cli::MonitorMode::kAuto) {
    e->not_monitored =
        "the package has no reference profile (build it with --reference-data, or serve "
        "with --monitor on to compare with the first window)";
  } else {
    auto monitor = monitoring::DeploymentMonitor::Create(deployment, std::move(reference),
                                                         OptionsFor(version.schema()));
    if (monitor.ok()) {
      e->monitor = *std::move(monitor);
      const monitoring::LiveOptions& o = e->monitor->options();
      e->arms = std::make_unique<monitoring::ArmQuality>(o.max_pending_labels, o.task);
    } else {
      e->not_monitored = std::string(monitor.status().message());
    }
  }
  if (e->monitor) RestoreHistory(deployment, *e);
  LogInfo("monitoring_deployment", {{"deployment", deployment},
                                    {"version", e->version},
                                    {"reference", e->reference ? "true" : "false"},
                                    {"monitored", e->monitor ? "true" : "false"},
                                    {"reason", e->not_monitored}});
  return e;
}

monitoring::LiveOptions LiveMonitoring::OptionsFor(const ModelSchema& schema) const {
  monitoring::LiveOptions o;
  o.window_rows = static_cast<uint64_t>(config_.window_rows);
  o.window_ms = config_.window_seconds * 1000;
  o.alert_after = config_.alert_after;
  o.clear_after = config_.clear_after;
  o.segment_column = config_.segment;
  o.columns = serving::SchemaInputColumns(schema);
  if (o.columns.size() > o.max_columns) o.columns.resize(o.max_columns);
  if (!schema.outputs.empty()) o.prediction_column = schema.outputs[0].name;
  for (const TensorSpec& out : schema.outputs) {
    // Binary classifiers' probabilities: the second class is the positive one.
    if (out.shape.size() == 2 && out.columns.size() == 2) {
      o.score_column = out.name + "_" + out.columns[1];
      o.positive = out.columns[1];
      break;
    }
  }
  return o;
}

void LiveMonitoring::TickAll(int64_t now_ms) {
  std::vector<Changes> changes;
  std::unique_lock<std::mutex> lock(mu_);
  for (auto& [name, e] : entries_) {
    if (!e->monitor) continue;
    e->monitor->Tick(now_ms);
    Changes c = TakeChanges(name, *e);
    if (!c.windows.empty() || !c.alerts.empty()) changes.push_back(std::move(c));
  }
  Publish(lock, std::move(changes));
}

monitoring::HistoryBounds LiveMonitoring::HistoryBounds() {
  return monitoring::HistoryBounds{monitoring::LiveOptions().history_windows, kMaxAlertHistory};
}

LiveMonitoring::Changes LiveMonitoring::TakeChanges(const std::string& deployment, Entry& e) {
  Changes c;
  c.deployment = deployment;
  c.version = e.version;
  c.windows = e.monitor->TakeChangedWindows();
  c.alerts = e.monitor->TakeAlerts();
  for (const monitoring::AlertEvent& a : c.alerts) {
    e.alert_events.push_back(monitoring::AlertEventJson(a));
    if (e.alert_events.size() > kMaxAlertHistory) e.alert_events.pop_front();
  }
  return c;
}

void LiveMonitoring::Publish(std::unique_lock<std::mutex>& lock, std::vector<Changes> changes) {
  bool any = false;
  for (const Changes& c : changes) any = any || !c.windows.empty() || !c.alerts.empty();
  if (!any) return;
  std::unique_lock<std::mutex> persist(persist_mu_, std::defer_lock);
  if (store_) persist.lock();  // before mu_ is released: the store sees the monitors' order
  lock.unlock();
  for (const Changes& c : changes) {
    if (!store_) break;
    const absl::Status s = store_->Append(c.deployment, c.version, c.windows, c.alerts);
    if (!s.ok() && store_failures_.fetch_add(1) == 0) {
      LogWarn("monitoring_history_unwritable",
              {{"deployment", c.deployment}, {"error", std::string(s.message())}});
    }
  }
  if (persist.owns_lock()) persist.unlock();
  for (const Changes& c : changes) Dispatch(c.alerts);
}

void LiveMonitoring::RestoreHistory(const std::string& deployment, Entry& e) {
  if (!store_) return;
  absl::StatusOr<monitoring::MonitorHistory> h = store_->Load(deployment, e.version);
  if (!h.ok()) {
    LogWarn("monitoring_history_unreadable",
            {{"deployment", deployment}, {"error", std::string(h.status().message())}});
    return;
  }
  if (h->skipped_lines > 0) {
    LogWarn("monitoring_history_skipped",
            {{"deployment", deployment}, {"lines", std::to_string(h->skipped_lines)}});
  }
  e.monitor->Restore(*h);
  for (const monitoring::AlertEvent& a : h->alerts) {
    e.alert_events.push_back(monitoring::AlertEventJson(a));
    if (e.alert_events.size() > kMaxAlertHistory) e.alert_events.pop_front();
  }
  if (!h->windows.empty() || !h->alerts.empty()) {
    LogInfo("monitoring_history_restored", {{"deployment", deployment},
                                            {"windows", std::to_string(h->windows.size())},
                                            {"alerts", std::to_string(h->alerts.size())}});
  }
}

void LiveMonitoring::Dispatch(const std::vector<monitoring::AlertEvent>& events) {
  for (const monitoring::AlertEvent& a : events) {
    std::string columns;
    for (const std::string& c : a.columns) columns += (columns.empty() ? "" : ",") + c;
    LogWarn("monitoring_alert", {{"deployment", a.deployment},
                                 {"kind", a.kind},
                                 {"state", a.state},
                                 {"columns", columns},
                                 {"first_window", std::to_string(a.first_window)},
                                 {"last_window", std::to_string(a.last_window)},
                                 {"message", a.message}});
    if (sink_) sink_(a);
  }
}

}  // namespace ferry::app
