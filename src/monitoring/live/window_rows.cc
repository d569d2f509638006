#include "monitoring/live/window_rows.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "common/strings.h"
#include "core/eval_metrics.h"
#include "core/frame.h"

namespace ferry::monitoring {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ParseNumber(const std::string& s) {
  if (s.empty()) return kNaN;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return (end != s.c_str() && *end == '\0') ? v : kNaN;
}

bool Whole(double v) { return std::isfinite(v) && v == std::floor(v); }

std::optional<double> Finite(double v) {
  if (std::isfinite(v)) return v;
  return std::nullopt;
}

std::string Positive(const LiveOptions& o) { return o.positive.empty() ? "1" : o.positive; }

}  // namespace

std::optional<uint32_t> WindowRows::Append(double prediction, const std::string& prediction_text,
                                           double score, const std::string& segment) {
  if (segment_.size() >= capacity_ || segment_.size() >= UINT32_MAX - 1) return std::nullopt;
  if (numeric_) {
    prediction_.push_back(prediction);
    label_.push_back(kNaN);
  } else {
    prediction_text_.push_back(prediction_text);
    label_text_.emplace_back();
  }
  score_.push_back(score);
  segment_.push_back(segment);
  has_label_.push_back(0);
  return static_cast<uint32_t>(segment_.size() - 1);
}

bool WindowRows::SetLabel(uint32_t row, const std::variant<double, std::string>& label) {
  if (row >= has_label_.size() || has_label_[row]) return false;
  has_label_[row] = 1;
  ++labelled_;
  if (numeric_) {
    label_[row] = std::holds_alternative<double>(label) ? std::get<double>(label)
                                                        : ParseNumber(std::get<std::string>(label));
  } else {
    label_text_[row] = std::holds_alternative<std::string>(label)
                           ? std::get<std::string>(label)
                           : FormatShortest(std::get<double>(label));
  }
  return true;
}

bool WindowRows::IsClassification(LiveTask task) const {
  if (task != LiveTask::kAuto) return task == LiveTask::kClassification;
  if (!numeric_) return true;
  for (size_t i = 0; i < prediction_.size(); ++i) {
    if (std::isfinite(prediction_[i]) && !Whole(prediction_[i])) return false;
    if (has_label_[i] && std::isfinite(label_[i]) && !Whole(label_[i])) return false;
  }
  return true;
}

WindowQuality WindowRows::Quality(const LiveOptions& options, bool has_score) const {
  WindowQuality q;
  q.classification = IsClassification(options.task);
  q.labelled = labelled_;
  const std::string positive = Positive(options);
  std::map<std::string, int64_t> classes;
  auto cls = [&](const std::string& v) {
    return classes.emplace(v, static_cast<int64_t>(classes.size())).first->second;
  };
  std::vector<int64_t> y_true, y_pred, y_bin;
  std::vector<double> t, p, scores;
  for (size_t i = 0; i < has_label_.size(); ++i) {
    if (!has_label_[i]) continue;
    const std::string label = numeric_ ? FormatShortest(label_[i]) : label_text_[i];
    const std::string pred = numeric_ ? FormatShortest(prediction_[i]) : prediction_text_[i];
    if (numeric_ ? !(std::isfinite(label_[i]) && std::isfinite(prediction_[i]))
                 : (label.empty() || pred.empty())) {
      continue;
    }
    if (q.classification) {
      y_true.push_back(cls(label));
      y_pred.push_back(cls(pred));
      if (has_score && std::isfinite(score_[i])) {
        y_bin.push_back(label == positive || (numeric_ && label_[i] == ParseNumber(positive)));
        scores.push_back(score_[i]);
      }
    } else {
      t.push_back(label_[i]);
      p.push_back(prediction_[i]);
    }
  }
  if (q.classification && !y_true.empty()) {
    q.accuracy = Finite(Accuracy(y_true, y_pred));
    if (!scores.empty()) q.roc_auc = Finite(RocAuc(y_bin, scores));
  } else if (!q.classification && !t.empty()) {
    q.rmse = Finite(Rmse(t, p));
    q.mae = Finite(Mae(t, p));
  }
  return q;
}

std::optional<BiasReport> WindowRows::Bias(const LiveOptions& options, bool classification) const {
  if (options.segment_column.empty() || segment_.empty()) return std::nullopt;
  Frame f;
  f.columns.push_back(Column{"segment", false, {}, segment_});
  Column pred{"prediction", numeric_, prediction_, prediction_text_};
  f.columns.push_back(std::move(pred));
  BiasOptions b{"segment", "prediction", "", ""};
  if (labelled_ > 0) {
    Column label{"label", numeric_, label_, label_text_};
    f.columns.push_back(std::move(label));
    b.label = "label";
  }
  // Text classes need a named positive class (ComputeBias refuses without one: bias null).
  if (classification && (numeric_ || !options.positive.empty())) b.positive = Positive(options);
  absl::StatusOr<BiasReport> report = ComputeBias(f, b);
  if (!report.ok()) return std::nullopt;
  return *std::move(report);
}

}  // namespace ferry::monitoring
