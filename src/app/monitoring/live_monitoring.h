#pragma once
// Live monitoring of the served deployments (docs/MONITORING.md, "Live monitoring in the
// server"): a PredictionObserver that samples predictions into a bounded queue (never blocking
// the request path; drops counted when full), and one worker thread that turns each record
// into input and prediction rows (serving::PredictionToFrames) and feeds the deployment's
// monitoring::DeploymentMonitor. The worker also closes time windows (Tick), creates a monitor
// when a deployment appears or its primary version changes (the reference profile read from
// that version's package), and hands alert events to the log and to the alert sink (webhooks
// in `ferry server`).
//
// Monitored: records of the primary version (roles "primary" and "direct"); a canary's
// records only count for the per-version quality from labels (monitoring::ArmQuality, so a
// canary is judged on ground truth beside its champion); shadow records are skipped. --monitor auto
// monitors deployments whose package has a reference profile; on monitors every deployment (the
// first window is then the baseline).
//
// With a HistoryStore (SetHistoryStore), each closed or relabelled window and each alert
// transition is recorded when it happens, and a deployment's monitor takes up its history when
// it is made (after a restart: same windows, same alerts, numbering goes on). A deployment
// that is no longer served loses its monitor (the history stays in the store).
//
// Implements the HTTP endpoints' MonitoringApi and renders the /metrics gauges. Memory per
// deployment is bounded by the queue size, the monitor's options and kMaxAlertHistory.
// Thread-safe.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "cli/server/monitor_flags.h"
#include "common/clock.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/monitoring/monitoring_api.h"
#include "monitoring/live/arm_quality.h"
#include "monitoring/live/deployment_monitor.h"
#include "monitoring/live/history.h"
#include "serving/model_manager.h"
#include "serving/prediction_frames.h"
#include "serving/prediction_observer.h"

namespace ferry::app {

using AlertSink = std::function<void(const monitoring::AlertEvent&)>;

class LiveMonitoring : public serving::PredictionObserver, public http::MonitoringApi {
 public:
  static constexpr size_t kQueueSize = 8192;
  static constexpr size_t kMaxAlertHistory = 100;
  static constexpr size_t kMaxGaugeColumns = 50;
  static constexpr int kWorkerNice = 10;  // the worker thread's nice value

  LiveMonitoring(const cli::LiveMonitorConfig& config, Clock& clock, Random& random,
                 size_t queue_size = kQueueSize);
  ~LiveMonitoring() override;  // processes what is queued, then stops the worker

  // Where the deployments' versions are found; starts the worker. Call once, before traffic;
  // `manager` must outlive this object (or Stop must be called before it goes).
  void Start(serving::ModelManager& manager);
  void Stop();
  // Also called with every alert event (after the log line). Call before Start.
  void SetAlertSink(AlertSink sink) { sink_ = std::move(sink); }
  // Where windows and alerts are recorded and read back. Call before Start.
  void SetHistoryStore(std::unique_ptr<monitoring::HistoryStore> store) {
    store_ = std::move(store);
  }
  // What the store keeps: as many windows as a monitor keeps, kMaxAlertHistory alerts.
  static monitoring::HistoryBounds HistoryBounds();
  // Brings the monitors in line with the served deployments: makes those missing (or whose
  // primary version changed), frees those of deployments no longer served. The worker calls
  // it on each wake; tests call it to not wait for one.
  void Refresh();
  // Waits until every record queued so far has been processed (tests, the e2e hooks).
  void Flush();

  // PredictionObserver
  void OnPrediction(serving::PredictionRecord record) override;

  // MonitoringApi
  std::string DeploymentsJson() override;
  absl::StatusOr<std::string> WindowsJson(std::string_view deployment, int max_results) override;
  absl::StatusOr<std::string> AlertsJson(std::string_view deployment) override;
  // Waits for the records queued before it (their predictions must be in their windows):
  // call it off the event loops (the labels route runs it on a BlockingWorker).
  absl::StatusOr<http::LabelCounts> AddLabels(std::string_view deployment,
                                              std::vector<http::PostedLabel> labels) override;

  // Where POST .../labels runs (AddLabels waits for queued records): one thread, 16 waiting.
  http::BlockingWorker& labels_worker() { return labels_worker_; }

  // Prometheus gauges and counters (live_monitoring_metrics.cc).
  void RenderMetrics(std::string* out);

 private:
  struct Entry {
    std::string model;
    std::string version;
    bool reference = false;
    bool sequences = false;     // text inputs are item sequences: monitored by their last item
    std::string not_monitored;  // why there is no monitor ("" when there is one)
    std::unique_ptr<monitoring::DeploymentMonitor> monitor;
    std::unique_ptr<monitoring::ArmQuality> arms;  // with the monitor: quality per version
    std::deque<std::string> alert_events;          // AlertEventJson, latest last, bounded
    uint64_t records = 0;                          // records fed to the monitor
    uint64_t skipped = 0;                          // records that could not be turned into rows
  };
  using EntryPtr = std::shared_ptr<Entry>;
  // What a monitor changed, for the store and the alert sink.
  struct Changes {
    std::string deployment;
    std::string version;
    std::vector<monitoring::WindowResult> windows;
    std::vector<monitoring::AlertEvent> alerts;
  };

  bool Sampled();
  void Loop();
  void Process(const serving::PredictionRecord& record);
  // The entry of `deployment` for its current primary version, made (outside the lock) when
  // missing or stale; null when the deployment has no primary.
  EntryPtr Current(const std::string& deployment);
  EntryPtr MakeEntry(const std::string& deployment, const serving::LoadedVersion& version);
  monitoring::LiveOptions OptionsFor(const ModelSchema& schema) const;
  void TickAll(int64_t now_ms);
  // The monitor's changed windows and alert events (remembered in the entry's history).
  Changes TakeChanges(const std::string& deployment, Entry& e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records the changes in the store (in the order taken: `lock` on mu_ is handed over to
  // persist_mu_ and released), then logs each alert event and hands it to the sink.
  void Publish(std::unique_lock<std::mutex>& lock, std::vector<Changes> changes);
  // Takes up the history of the entry's deployment from the store.
  void RestoreHistory(const std::string& deployment, Entry& e);
  void Dispatch(const std::vector<monitoring::AlertEvent>& events);
  absl::StatusOr<EntryPtr> Monitored(std::string_view deployment)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const cli::LiveMonitorConfig config_;
  Clock& clock_;
  Random& random_;
  const size_t queue_size_;
  AlertSink sink_;
  std::unique_ptr<monitoring::HistoryStore> store_;
  std::mutex persist_mu_;                    // orders the store's writes; after mu_
  std::atomic<uint64_t> store_failures_{0};  // appends the store refused (logged once)
  serving::ModelManager* manager_ = nullptr;
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> skipped_role_{0};
  serving::PredictionFrames scratch_;  // the worker thread's, reused record after record

  std::mutex mu_;  // the entries and the monitors inside them
  std::map<std::string, EntryPtr, std::less<>> entries_ ABSL_GUARDED_BY(mu_);

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::condition_variable idle_cv_;
  std::deque<serving::PredictionRecord> queue_ ABSL_GUARDED_BY(queue_mu_);
  uint64_t queued_ ABSL_GUARDED_BY(queue_mu_) = 0;     // records ever queued
  uint64_t processed_ ABSL_GUARDED_BY(queue_mu_) = 0;  // records ever processed
  bool stop_ ABSL_GUARDED_BY(queue_mu_) = false;
  std::thread worker_;
  // Last: destroyed first, its running labels jobs finished while the rest still exists.
  http::BlockingWorker labels_worker_{"monitoring labels", 1, 16};
};

}  // namespace ferry::app
