#include "monitoring/live/arm_quality.h"

#include <cmath>

#include "common/strings.h"
#include "monitoring/live/frame_conform.h"

namespace ferry::monitoring {
namespace {

bool Whole(double v) { return std::isfinite(v) && v == std::floor(v); }

}  // namespace

std::optional<double> ArmQualityFigures::quality() const {
  if (classification) return accuracy;
  if (rmse) return -*rmse;
  return std::nullopt;
}

uint32_t ArmQuality::ArmOf(const std::string& version) {
  for (size_t i = 0; i < arms_.size(); ++i) {
    if (arms_[i].version == version) return static_cast<uint32_t>(i);
  }
  arms_.push_back(Totals{version});
  return static_cast<uint32_t>(arms_.size() - 1);
}

void ArmQuality::Add(const std::string& version, const std::string& request_id,
                     const Frame& predictions, const std::string& prediction_column) {
  const Column* primary = PrimaryPrediction(predictions, prediction_column);
  if (primary == nullptr) return;
  const uint32_t arm = ArmOf(version);
  pending_.BeginRequest(request_id);
  for (size_t row = 0; row < primary->size(); ++row) {
    pending_.AddRow(Row{arm, false, CellNumber(primary, row), CellText(primary, row)});
  }
}

std::map<std::string, uint64_t> ArmQuality::AddLabels(const std::vector<Label>& labels) {
  std::map<std::string, uint64_t> matched;
  for (const Label& label : labels) {
    Row* row = pending_.Find(label.request_id, label.row);
    if (row == nullptr || row->labelled || row->text.empty()) continue;
    row->labelled = true;
    Totals& t = arms_[row->arm];
    ++matched[t.version];
    ++t.labelled;
    const bool numeric_label = std::holds_alternative<double>(label.value);
    const double number = numeric_label ? std::get<double>(label.value) : std::nan("");
    const std::string text =
        numeric_label ? FormatShortest(number) : std::get<std::string>(label.value);
    if (text == row->text) ++t.correct;
    if (std::isfinite(number) && std::isfinite(row->number)) {
      ++t.numeric;
      t.squared_error += (number - row->number) * (number - row->number);
      t.whole = t.whole && Whole(number) && Whole(row->number);
    } else {
      t.text = true;
    }
  }
  return matched;
}

std::map<std::string, ArmQualityFigures> ArmQuality::Figures() const {
  std::map<std::string, ArmQualityFigures> out;
  for (const Totals& t : arms_) {
    ArmQualityFigures f;
    f.labelled = t.labelled;
    f.classification =
        task_ == LiveTask::kAuto ? (t.text || t.whole) : task_ == LiveTask::kClassification;
    if (f.classification && t.labelled > 0) {
      f.accuracy = static_cast<double>(t.correct) / static_cast<double>(t.labelled);
    } else if (!f.classification && t.numeric > 0) {
      f.rmse = std::sqrt(t.squared_error / static_cast<double>(t.numeric));
    }
    out[t.version] = f;
  }
  return out;
}

}  // namespace ferry::monitoring
