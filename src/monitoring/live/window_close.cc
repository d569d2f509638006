// Closing a window: comparing it with the reference (or baseline), bias, quality verdicts
// and the alerts they feed. Part of DeploymentMonitorImpl (monitor_impl.h).

#include <cstdio>
#include <string>
#include <utility>

#include "monitoring/drift/profile_drift.h"
#include "monitoring/live/monitor_impl.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kMaxDescribed = 5;

// One column of a window against its reference (or baseline), by drift/'s profile comparison.
LiveColumnDrift CompareColumn(const std::string& name, const ColumnProfile* reference,
                              const ColumnProfile& current, const LiveOptions& options) {
  ProfileCompareSettings settings;
  settings.max_categories = options.max_categories;
  settings.alpha = options.alpha;
  settings.distance_threshold = options.distance_threshold;
  LiveColumnDrift out;
  out.name = name;
  out.count = current.count();
  out.missing = current.missing();
  absl::StatusOr<ProfileColumnComparison> c =
      CompareProfileColumn(name, reference, current, settings);
  if (!c.ok()) {  // only a text/number clash the window's conform step prevents
    out.status = "no_current_values";
    return out;
  }
  const ColumnDrift& d = c->drift;
  out.column_type = std::string(DriftColumnTypeName(d.type));
  out.stattest = std::string(GetStatTestInfo(d.stattest).name);
  out.statistic = d.statistic;
  out.threshold = d.threshold;
  out.drift_detected = d.drift_detected;
  if (c->status == ProfileColumnStatus::kNoReferenceValues) out.status = "no_reference_values";
  if (c->status == ProfileColumnStatus::kNoCurrentValues) out.status = "no_current_values";
  return out;
}

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

std::vector<Finding> Drifted(const std::vector<LiveColumnDrift>& columns) {
  std::vector<Finding> out;
  for (const LiveColumnDrift& c : columns) {
    if (c.drift_detected) out.push_back(Finding{c.name, c.stattest, c.statistic});
  }
  return out;
}

size_t Tested(const std::vector<LiveColumnDrift>& columns) {
  size_t n = 0;
  for (const LiveColumnDrift& c : columns) n += c.status == "ok";
  return n;
}

// "2 of 5 input columns drifted (age: sketch_ks 0.31 > 0.12; city: jensenshannon 0.2 >= 0.1)"
std::string Describe(const std::vector<LiveColumnDrift>& columns, const char* what) {
  std::string out = std::to_string(Drifted(columns).size()) + " of " +
                    std::to_string(Tested(columns)) + " " + what + " columns drifted";
  std::string list;
  size_t listed = 0;
  for (const LiveColumnDrift& c : columns) {
    if (!c.drift_detected) continue;
    if (listed++ == kMaxDescribed) {
      list += "; ...";
      break;
    }
    if (!list.empty()) list += "; ";
    list += c.name + ": " + c.stattest + " " + Num(c.statistic) +
            (c.stattest == "sketch_ks" ? " > " : " >= ") + Num(c.threshold);
  }
  return list.empty() ? out : out + " (" + list + ")";
}

}  // namespace

void DeploymentMonitorImpl::Close(int64_t end_ms) {
  FlushBatch();
  ClosedWindow w;
  WindowResult& r = w.result;
  r.index = open_.index;
  r.start_ms = open_.start_ms;
  r.end_ms = end_ms;
  r.rows = open_.rows;
  r.empty = open_.rows == 0;
  r.unknown_columns = open_.unknown.size();
  r.unbuffered_rows = open_.unbuffered;
  w.buffer = std::move(open_.buffer);
  if (!r.empty) {
    CompareWindow(&r);
    ObserveDrift(r);
    if (w.buffer) {
      RefreshQuality(&w);
      UpdateBias(&r, *w.buffer);
      if (r.bias && r.bias->segments.size() >= 2) {
        std::vector<Finding> findings;
        for (const BiasGap& g : r.bias->gaps) {
          if (g.is_difference && g.value && *g.value > options_.bias_threshold) {
            findings.push_back(Finding{g.name, "bias_gap", *g.value});
          }
        }
        std::string detail = std::to_string(findings.size()) + " gap(s) between segments of '" +
                             options_.segment_column + "' above " + Num(options_.bias_threshold);
        for (const Finding& f : findings) detail += "; " + f.column + " " + Num(f.statistic);
        Emit(bias_.Observe(deployment_, r.index, !findings.empty(), findings, detail));
      }
    }
  }
  changed_.insert(r.index);
  history_.push_back(std::move(w));
  while (history_.size() > options_.history_windows) history_.pop_front();
  // Bounded whether or not anyone takes them: evicted windows are no longer reported.
  changed_.erase(changed_.begin(), changed_.lower_bound(history_.front().result.index));
  DecideQuality();
}

void DeploymentMonitorImpl::CompareWindow(WindowResult* r) {
  const DatasetProfile* ref = reference_ ? &*reference_ : nullptr;
  if (ref == nullptr && baseline_inputs_) ref = &*baseline_inputs_;
  if (ref == nullptr) {
    baseline_inputs_ = std::move(open_.inputs);
    baseline_index_ = r->index;
    r->baseline = true;
  } else {
    r->compared_with = reference_ ? "reference" : "baseline";
    for (const auto& [name, type] : input_schema_) {
      const ColumnProfile* cur = open_.inputs.Find(name);
      if (cur == nullptr) continue;
      r->columns.push_back(CompareColumn(name, ref->Find(name), *cur, options_));
    }
    r->number_of_columns = Tested(r->columns);
    r->number_of_drifted_columns = Drifted(r->columns).size();
    if (r->number_of_columns > 0) {
      r->drift_share = static_cast<double>(r->number_of_drifted_columns) /
                       static_cast<double>(r->number_of_columns);
      r->dataset_drift = r->drift_share >= options_.drift_share;
    }
  }
  const bool first = !baseline_predictions_;
  for (const auto& [name, type] : prediction_schema_) {
    const ColumnProfile* cur = open_.predictions.Find(name);
    if (cur == nullptr) continue;
    const ColumnProfile* base = reference_ ? reference_->Find(name) : nullptr;
    if (base == nullptr && !first) base = baseline_predictions_->Find(name);
    if (base == nullptr && first) continue;
    r->prediction_drift.push_back(CompareColumn(name, base, *cur, options_));
    r->prediction_drift_detected |= r->prediction_drift.back().drift_detected;
  }
  if (first) {
    baseline_predictions_ = std::move(open_.predictions);
    r->baseline = true;
  }
}

void DeploymentMonitorImpl::ObserveDrift(const WindowResult& r) {
  if (r.compared_with != "none" && r.number_of_columns > 0) {
    std::string detail = Describe(r.columns, "input");
    detail += ", drift share " + Num(r.drift_share) + (r.dataset_drift ? " >= " : " < ") +
              Num(options_.drift_share);
    Emit(data_drift_.Observe(deployment_, r.index, r.dataset_drift, Drifted(r.columns), detail));
  }
  if (Tested(r.prediction_drift) > 0) {
    Emit(prediction_drift_.Observe(deployment_, r.index, r.prediction_drift_detected,
                                   Drifted(r.prediction_drift),
                                   Describe(r.prediction_drift, "prediction")));
  }
}

void DeploymentMonitorImpl::UpdateBias(WindowResult* r, const WindowRows& rows) {
  r->bias = rows.Bias(options_, rows.IsClassification(options_.task));
  r->bias_gaps_over.clear();
  if (r->bias) r->bias_gaps_over = GapsOver(*r->bias, options_.bias_threshold);
}

void DeploymentMonitorImpl::RefreshQuality(ClosedWindow* w) {
  if (!w->buffer) return;
  w->result.quality = w->buffer->Quality(options_, has_score_);
  if (w->quality_decided) {
    w->result.quality.baseline = quality_baseline_;
    w->result.quality.degraded = w->degraded;
  }
}

void DeploymentMonitorImpl::DecideQuality() {
  for (ClosedWindow& w : history_) {
    WindowQuality& q = w.result.quality;
    if (w.quality_decided || w.result.empty || q.labelled < options_.min_quality_labels) {
      continue;
    }
    const std::optional<double> metric = q.classification ? q.accuracy : q.rmse;
    if (!metric) continue;
    w.quality_decided = true;
    changed_.insert(w.result.index);
    if (!quality_baseline_) quality_baseline_ = *metric;
    const double b = *quality_baseline_;
    const double tol = options_.quality_tolerance;
    w.degraded = q.classification ? *metric < b * (1 - tol) : *metric > b * (1 + tol);
    q.baseline = b;
    q.degraded = w.degraded;
    const char* name = q.classification ? "accuracy" : "rmse";
    std::string detail = std::string(name) + " " + Num(*metric) + " against a baseline of " +
                         Num(b) + " (tolerance " + Num(tol * 100) + "%, " +
                         std::to_string(q.labelled) + " labels)";
    std::vector<Finding> findings;
    if (w.degraded) findings.push_back(Finding{name, "relative_tolerance", *metric});
    Emit(quality_.Observe(deployment_, w.result.index, w.degraded, findings, detail));
  }
}

}  // namespace ferry::monitoring
