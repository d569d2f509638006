#include "monitoring/drift/bias.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>

#include "common/strings.h"
#include "core/eval_metrics.h"
#include "monitoring/drift/column_data.h"

namespace ferry::monitoring {
namespace {

constexpr std::string_view kMissingSegment = "(missing)";

bool Missing(const Column& c, size_t row) {
  return c.numeric ? !std::isfinite(c.numbers[row]) : c.strings[row].empty();
}

std::string Cell(const Column& c, size_t row) {
  return c.numeric ? FormatShortest(c.numbers[row]) : c.strings[row];
}

// Whether the cell equals `value`, numerically for numeric columns.
bool Equals(const Column& c, size_t row, const std::string& value) {
  if (!c.numeric) return c.strings[row] == value;
  char* end = nullptr;
  double v = std::strtod(value.c_str(), &end);
  return end != value.c_str() && *end == '\0' && c.numbers[row] == v;
}

absl::StatusOr<const Column*> Find(const Frame& data, const std::string& name, const char* role) {
  const Column* c = data.Find(name);
  if (c == nullptr) {
    return absl::InvalidArgumentError(std::string(role) + " column '" + name +
                                      "' is not in the data");
  }
  return c;
}

bool BinaryZeroOne(const Column& c) {
  if (!c.numeric) return false;
  return std::all_of(c.numbers.begin(), c.numbers.end(),
                     [](double v) { return std::isnan(v) || v == 0 || v == 1; });
}

struct Columns {
  const Column* segment;
  const Column* prediction;
  const Column* label;  // may be null
};

void ClassificationSegment(const Columns& c, const std::vector<size_t>& rows,
                           const std::string& positive, SegmentBias* out) {
  size_t predicted_positive = 0, label_positive = 0, true_positive = 0;
  std::map<std::string, int64_t> classes;
  std::vector<int64_t> y_true, y_pred;
  for (size_t row : rows) {
    bool pred_pos = Equals(*c.prediction, row, positive);
    predicted_positive += pred_pos;
    if (c.label == nullptr || Missing(*c.label, row)) continue;
    bool label_pos = Equals(*c.label, row, positive);
    label_positive += label_pos;
    true_positive += label_pos && pred_pos;
    auto cls = [&](std::string v) {
      return classes.emplace(std::move(v), static_cast<int64_t>(classes.size())).first->second;
    };
    // Positive rows share one class whatever their spelling ("1" and "1.0").
    y_true.push_back(label_pos ? cls(positive) : cls(Cell(*c.label, row)));
    y_pred.push_back(pred_pos ? cls(positive) : cls(Cell(*c.prediction, row)));
  }
  out->positive_rate = static_cast<double>(predicted_positive) / static_cast<double>(rows.size());
  out->labelled = y_true.size();
  if (!y_true.empty()) out->accuracy = Accuracy(y_true, y_pred);
  if (label_positive > 0) {
    out->recall = static_cast<double>(true_positive) / static_cast<double>(label_positive);
  }
}

void RegressionSegment(const Columns& c, const std::vector<size_t>& rows, SegmentBias* out) {
  std::vector<double> y_true, y_pred;
  double sum = 0;
  for (size_t row : rows) {
    sum += c.prediction->numbers[row];
    if (c.label == nullptr || Missing(*c.label, row)) continue;
    y_true.push_back(c.label->numbers[row]);
    y_pred.push_back(c.prediction->numbers[row]);
  }
  out->prediction_mean = sum / static_cast<double>(rows.size());
  out->labelled = y_true.size();
  if (!y_true.empty()) {
    out->rmse = Rmse(y_true, y_pred);
    out->mae = Mae(y_true, y_pred);
  }
}

// max - min (and min / max) over the segments where `get` has a value.
template <typename Get>
void AddGap(const std::vector<SegmentBias>& segments, const std::string& name, Get get,
            std::vector<BiasGap>* gaps, const std::string& ratio_name = "") {
  std::vector<double> values;
  for (const SegmentBias& s : segments) {
    if (std::optional<double> v = get(s)) values.push_back(*v);
  }
  BiasGap diff{name, std::nullopt, true};
  BiasGap ratio{ratio_name, std::nullopt, false};
  if (!values.empty()) {
    auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    diff.value = *hi - *lo;
    ratio.value = *hi > 0 ? *lo / *hi : 1.0;
  }
  gaps->push_back(diff);
  if (!ratio_name.empty()) gaps->push_back(ratio);
}

void AddGaps(BiasReport* r, bool labelled) {
  const auto& s = r->segments;
  if (r->classification) {
    AddGap(
        s, "demographic_parity_difference",
        [](const SegmentBias& b) { return std::optional<double>(b.positive_rate); }, &r->gaps,
        "demographic_parity_ratio");
    if (labelled) {
      AddGap(
          s, "equal_opportunity_difference", [](const SegmentBias& b) { return b.recall; },
          &r->gaps);
      AddGap(
          s, "accuracy_difference", [](const SegmentBias& b) { return b.accuracy; }, &r->gaps);
    }
    return;
  }
  AddGap(
      s, "prediction_mean_difference",
      [](const SegmentBias& b) { return std::optional<double>(b.prediction_mean); }, &r->gaps);
  if (labelled) {
    AddGap(
        s, "rmse_difference", [](const SegmentBias& b) { return b.rmse; }, &r->gaps);
    AddGap(
        s, "mae_difference", [](const SegmentBias& b) { return b.mae; }, &r->gaps);
  }
}

absl::Status DecideTask(const Columns& c, const BiasOptions& options, BiasReport* r) {
  r->positive = options.positive;
  if (!options.positive.empty()) return absl::OkStatus();
  if (BinaryZeroOne(*c.prediction)) {
    r->positive = "1";
    return absl::OkStatus();
  }
  if (!c.prediction->numeric) {
    return absl::InvalidArgumentError("prediction column '" + options.prediction +
                                      "' holds classes: name the positive one with --positive");
  }
  r->classification = false;
  if (c.label != nullptr && !c.label->numeric) {
    return absl::InvalidArgumentError("label column '" + options.label +
                                      "' holds text but the prediction is numerical "
                                      "(regression); for classification give --positive");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BiasReport> ComputeBias(const Frame& data, const BiasOptions& options) {
  Columns c{};
  ASSIGN_OR_RETURN(c.segment, Find(data, options.segment, "segment"));
  ASSIGN_OR_RETURN(c.prediction, Find(data, options.prediction, "prediction"));
  if (!options.label.empty()) {
    ASSIGN_OR_RETURN(c.label, Find(data, options.label, "label"));
  }
  BiasReport report;
  RETURN_IF_ERROR(DecideTask(c, options, &report));
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t row = 0; row < data.rows(); ++row) {
    if (Missing(*c.prediction, row)) {
      ++report.dropped_rows;
      continue;
    }
    groups[Missing(*c.segment, row) ? std::string(kMissingSegment) : Cell(*c.segment, row)]
        .push_back(row);
  }
  if (groups.empty()) {
    return absl::InvalidArgumentError("prediction column '" + options.prediction +
                                      "' has no values");
  }
  for (const auto& [name, rows] : groups) {
    SegmentBias s;
    s.segment = name;
    s.count = rows.size();
    if (report.classification) {
      ClassificationSegment(c, rows, report.positive, &s);
    } else {
      RegressionSegment(c, rows, &s);
    }
    report.segments.push_back(std::move(s));
  }
  AddGaps(&report, c.label != nullptr);
  return report;
}

std::vector<std::string> GapsOver(const BiasReport& report, double threshold) {
  std::vector<std::string> out;
  for (const BiasGap& g : report.gaps) {
    if (g.is_difference && g.value && *g.value > threshold) out.push_back(g.name);
  }
  return out;
}

}  // namespace ferry::monitoring
