#include "monitoring/live/deployment_monitor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "common/strings.h"
#include "monitoring/live/monitor_impl.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kMaxPendingAlerts = 1000;
// Rows conformed before they are added to the window's profiles.
constexpr size_t kProfileBatch = 256;

}  // namespace

DeploymentMonitorImpl::DeploymentMonitorImpl(std::string deployment,
                                             std::optional<DatasetProfile> reference,
                                             LiveOptions options)
    : deployment_(std::move(deployment)),
      options_(std::move(options)),
      reference_(std::move(reference)),
      pending_(options_.max_pending_labels),
      data_drift_("data_drift", options_.alert_after, options_.clear_after),
      prediction_drift_("prediction_drift", options_.alert_after, options_.clear_after),
      quality_("quality", options_.alert_after, options_.clear_after),
      bias_("bias", options_.alert_after, options_.clear_after) {
  if (options_.reference_quality) quality_baseline_ = options_.reference_quality;
}

void DeploymentMonitorImpl::InitSchemas(const Frame& inputs, const Frame& predictions) {
  auto typed_by = [](const std::optional<DatasetProfile>& profile) {
    return [&profile](const std::string& name) -> std::optional<ProfileColumnType> {
      if (!profile) return std::nullopt;
      const ColumnProfile* c = profile->Find(name);
      if (c == nullptr) return std::nullopt;
      return c->type();
    };
  };
  std::vector<std::string> names = options_.columns;
  if (names.empty() && reference_) {
    for (const auto& [name, column] : reference_->columns()) {
      if (predictions.Find(name) == nullptr) names.push_back(name);
    }
  }
  input_schema_ = MakeSchema(names, inputs, options_.max_columns, typed_by(reference_));
  prediction_schema_ = MakeSchema(options_.prediction_columns, predictions, options_.max_columns,
                                  typed_by(reference_));
  const Column* primary = PrimaryPrediction(predictions, options_.prediction_column);
  numeric_prediction_ = primary == nullptr || primary->numeric;
  has_score_ = !options_.score_column.empty() && predictions.Find(options_.score_column);
  batch_inputs_ = EmptyConformed(input_schema_);
  batch_predictions_ = EmptyConformed(prediction_schema_);
  schemas_ready_ = true;
}

void DeploymentMonitorImpl::OpenNext(int64_t start_ms) {
  const uint64_t next = open_.index + 1;
  open_ = OpenWindow();
  open_.index = next;
  open_.started = true;
  open_.start_ms = start_ms;
  open_.inputs = DatasetProfile(options_.profile);
  open_.predictions = DatasetProfile(options_.profile);
}

void DeploymentMonitorImpl::Tick(int64_t now_ms) {
  if (!open_.started) {
    open_.started = true;
    open_.start_ms = now_ms;
    open_.inputs = DatasetProfile(options_.profile);
    open_.predictions = DatasetProfile(options_.profile);
    return;
  }
  const int64_t w = options_.window_ms;
  if (w <= 0 || now_ms - open_.start_ms < w) return;
  const int64_t end = open_.start_ms + w;
  Close(end);
  // A gap of several windows without traffic or ticks: the next window starts at the last
  // window boundary before now.
  OpenNext(end + ((now_ms - end) / w) * w);
}

absl::Status DeploymentMonitorImpl::Add(int64_t now_ms, const std::string& request_id,
                                        const Frame& inputs, const Frame& predictions) {
  const size_t rows = inputs.columns.empty() ? predictions.rows() : inputs.rows();
  if (!FrameIsRectangular(inputs, rows) || !FrameIsRectangular(predictions, rows)) {
    rejected_rows_ += rows;
    return absl::InvalidArgumentError("monitoring: the inputs and predictions of request '" +
                                      request_id + "' have columns of different lengths");
  }
  Tick(now_ms);
  if (rows == 0) return absl::OkStatus();
  if (!schemas_ready_) InitSchemas(inputs, predictions);
  pending_.BeginRequest(request_id);
  size_t begin = 0;
  while (begin < rows) {
    size_t take = rows - begin;
    if (options_.window_rows > 0) {
      take = std::min<uint64_t>(take, options_.window_rows - open_.rows);
    }
    AddRows(inputs, predictions, begin, begin + take);
    begin += take;
    if (options_.window_rows > 0 && open_.rows >= options_.window_rows) {
      Close(now_ms);
      OpenNext(now_ms);
    }
  }
  rows_total_ += rows;
  return absl::OkStatus();
}

void DeploymentMonitorImpl::AddRows(const Frame& inputs, const Frame& predictions, size_t begin,
                                    size_t end) {
  const size_t max_unknown = options_.max_columns;
  input_plan_.Resolve(inputs, input_schema_, max_unknown);
  prediction_plan_.Resolve(predictions, prediction_schema_, max_unknown);
  for (const ConformPlan* plan : {&input_plan_, &prediction_plan_}) {
    for (const std::string& name : plan->unknown()) {
      if (open_.unknown.size() >= max_unknown) break;
      open_.unknown.insert(name);
    }
  }
  AppendConformed(inputs, input_schema_, input_plan_, begin, end, &batch_inputs_);
  AppendConformed(predictions, prediction_schema_, prediction_plan_, begin, end,
                  &batch_predictions_);
  batch_rows_ += end - begin;
  if (batch_rows_ >= kProfileBatch) FlushBatch();
  if (!open_.buffer) {
    size_t capacity = options_.max_window_rows;
    if (options_.window_rows > 0) capacity = std::min<uint64_t>(capacity, options_.window_rows);
    open_.buffer = std::make_unique<WindowRows>(capacity, numeric_prediction_);
  }
  const Column* primary = PrimaryPrediction(predictions, options_.prediction_column);
  const Column* score =
      options_.score_column.empty() ? nullptr : predictions.Find(options_.score_column);
  const Column* segment = nullptr;
  if (!options_.segment_column.empty()) {
    segment = inputs.Find(options_.segment_column);
    if (segment == nullptr) segment = predictions.Find(options_.segment_column);
  }
  for (size_t row = begin; row < end; ++row) {
    // The text of a prediction is only kept for text predictions (no formatting otherwise).
    std::optional<uint32_t> slot = open_.buffer->Append(
        CellNumber(primary, row), numeric_prediction_ ? std::string() : CellText(primary, row),
        CellNumber(score, row), CellText(segment, row));
    if (!slot) ++open_.unbuffered;
    pending_.AddRow(PendingRow{open_.index, slot.value_or(PendingRow::kUnbuffered), false});
  }
  open_.rows += end - begin;
}

void DeploymentMonitorImpl::FlushBatch() {
  if (batch_rows_ == 0) return;
  (void)open_.inputs.AddFrame(batch_inputs_);  // conformed: no type conflict
  (void)open_.predictions.AddFrame(batch_predictions_);
  ClearColumns(&batch_inputs_);
  ClearColumns(&batch_predictions_);
  batch_rows_ = 0;
}

ClosedWindow* DeploymentMonitorImpl::FindMutable(uint64_t index) {
  if (history_.empty() || index < history_.front().result.index) return nullptr;
  const uint64_t offset = index - history_.front().result.index;
  return offset < history_.size() ? &history_[offset] : nullptr;
}

const ClosedWindow* DeploymentMonitorImpl::FindWindow(uint64_t index) const {
  return const_cast<DeploymentMonitorImpl*>(this)->FindMutable(index);
}

LabelCounts DeploymentMonitorImpl::AddLabels(const std::vector<Label>& labels) {
  LabelCounts counts;
  std::set<uint64_t> touched;
  for (const Label& label : labels) {
    PendingRow* p = pending_.Find(label.request_id, label.row);
    if (p == nullptr) {
      ++counts.unknown_request_id;
      continue;
    }
    if (p->labelled) {
      ++counts.duplicate;
      continue;
    }
    WindowRows* rows = nullptr;
    if (p->window == open_.index && open_.started) {
      rows = open_.buffer.get();
    } else if (ClosedWindow* w = FindMutable(p->window)) {
      rows = w->buffer.get();
    } else {
      p->labelled = true;
      ++counts.late;
      continue;
    }
    p->labelled = true;
    if (p->buffer_row == PendingRow::kUnbuffered || rows == nullptr) {
      ++counts.unbuffered;
      continue;
    }
    rows->SetLabel(p->buffer_row, label.value);
    ++counts.matched;
    touched.insert(p->window);
  }
  for (uint64_t index : touched) {
    ClosedWindow* w = FindMutable(index);
    if (w == nullptr || !w->buffer) continue;
    changed_.insert(index);
    RefreshQuality(w);
    UpdateBias(&w->result, *w->buffer);
  }
  DecideQuality();
  label_totals_.matched += counts.matched;
  label_totals_.unknown_request_id += counts.unknown_request_id;
  label_totals_.duplicate += counts.duplicate;
  label_totals_.late += counts.late;
  label_totals_.unbuffered += counts.unbuffered;
  return counts;
}

void DeploymentMonitorImpl::Emit(std::optional<AlertEvent> event) {
  if (!event) return;
  alerts_.push_back(*std::move(event));
  while (alerts_.size() > kMaxPendingAlerts) alerts_.pop_front();
}

std::vector<AlertEvent> DeploymentMonitorImpl::TakeAlerts() {
  std::vector<AlertEvent> out(std::make_move_iterator(alerts_.begin()),
                              std::make_move_iterator(alerts_.end()));
  alerts_.clear();
  return out;
}

std::vector<WindowResult> DeploymentMonitorImpl::TakeChangedWindows() {
  std::vector<WindowResult> out;
  for (uint64_t index : changed_) {
    if (const ClosedWindow* w = FindWindow(index)) out.push_back(w->result);
  }
  changed_.clear();
  return out;
}

std::optional<WindowQuality> DeploymentMonitorImpl::LatestQuality() const {
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (it->result.quality.labelled > 0) return it->result.quality;
  }
  return std::nullopt;
}

void DeploymentMonitorImpl::Restore(const MonitorHistory& history) {
  if (open_.started || rows_total_ > 0 || !history_.empty() || history.windows.empty()) return;
  const size_t keep = std::min(history.windows.size(), options_.history_windows);
  for (size_t i = history.windows.size() - keep; i < history.windows.size(); ++i) {
    ClosedWindow w;
    w.result = history.windows[i];
    w.quality_decided = true;  // final: the labels of its rows cannot be matched any more
    w.degraded = w.result.quality.degraded;
    if (!options_.reference_quality && w.result.quality.baseline) {
      quality_baseline_ = w.result.quality.baseline;
    }
    history_.push_back(std::move(w));
  }
  open_.index = history_.back().result.index + 1;
  for (AlertTracker* t : {&data_drift_, &prediction_drift_, &quality_, &bias_}) {
    for (auto it = history.alerts.rbegin(); it != history.alerts.rend(); ++it) {
      if (it->kind != t->kind()) continue;
      std::vector<Finding> findings;
      for (size_t i = 0; i < it->columns.size(); ++i) {
        findings.push_back(Finding{it->columns[i], i < it->stattests.size() ? it->stattests[i] : "",
                                   i < it->statistics.size() ? it->statistics[i] : 0});
      }
      t->Restore(it->state == "firing", it->first_window, findings);
      break;
    }
  }
}

MonitorState DeploymentMonitorImpl::State() const {
  MonitorState s;
  s.windows_closed = open_.index;
  s.open_window_rows = open_.rows;
  for (auto it = history_.rbegin(); it != history_.rend(); ++it) {
    if (!it->result.empty) {
      s.last = it->result;
      break;
    }
  }
  s.data_drift_firing = data_drift_.firing();
  s.prediction_drift_firing = prediction_drift_.firing();
  s.quality_firing = quality_.firing();
  s.bias_firing = bias_.firing();
  s.pending_labels = pending_.size();
  s.labels = label_totals_;
  s.rows_total = rows_total_;
  s.rejected_rows = rejected_rows_;
  return s;
}

// ---- DeploymentMonitor ----

absl::StatusOr<std::unique_ptr<DeploymentMonitor>> DeploymentMonitor::Create(
    std::string deployment, std::optional<DatasetProfile> reference, LiveOptions options) {
  if (absl::Status s = ValidateLiveOptions(options); !s.ok()) return s;
  return std::unique_ptr<DeploymentMonitor>(
      new DeploymentMonitor(std::make_unique<DeploymentMonitorImpl>(
          std::move(deployment), std::move(reference), std::move(options))));
}

DeploymentMonitor::DeploymentMonitor(std::unique_ptr<DeploymentMonitorImpl> impl)
    : impl_(std::move(impl)) {}
DeploymentMonitor::~DeploymentMonitor() = default;

absl::Status DeploymentMonitor::Add(int64_t now_ms, const std::string& request_id,
                                    const Frame& inputs, const Frame& predictions) {
  return impl_->Add(now_ms, request_id, inputs, predictions);
}
void DeploymentMonitor::Tick(int64_t now_ms) { impl_->Tick(now_ms); }
LabelCounts DeploymentMonitor::AddLabels(const std::vector<Label>& labels) {
  return impl_->AddLabels(labels);
}
std::vector<AlertEvent> DeploymentMonitor::TakeAlerts() { return impl_->TakeAlerts(); }
std::vector<WindowResult> DeploymentMonitor::TakeChangedWindows() {
  return impl_->TakeChangedWindows();
}
void DeploymentMonitor::Restore(const MonitorHistory& history) { impl_->Restore(history); }
std::optional<WindowQuality> DeploymentMonitor::LatestQuality() const {
  return impl_->LatestQuality();
}

std::vector<WindowResult> DeploymentMonitor::Windows() const {
  std::vector<WindowResult> out;
  out.reserve(impl_->history_.size());
  for (const ClosedWindow& w : impl_->history_) out.push_back(w.result);
  return out;
}

std::optional<WindowResult> DeploymentMonitor::Window(uint64_t index) const {
  const ClosedWindow* w = impl_->FindWindow(index);
  if (w == nullptr) return std::nullopt;
  return w->result;
}

MonitorState DeploymentMonitor::current_state() const { return impl_->State(); }
const std::string& DeploymentMonitor::deployment() const { return impl_->deployment_; }
const LiveOptions& DeploymentMonitor::options() const { return impl_->options_; }

}  // namespace ferry::monitoring
