#include "monitoring/drift/profile_drift.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "monitoring/drift/column_selection.h"
#include "monitoring/drift/profile_bins.h"
#include "monitoring/drift/stattest_run.h"
#include "monitoring/profile/sketch_ks.h"

namespace ferry::monitoring {
namespace {

double Finite(double v, double fallback) { return std::isfinite(v) ? v : fallback; }

// The masses of both sides over the reference's deciles (numerical columns), or the value
// counts as proportions (categorical ones); aligned.
BinPair ProfileBins(DriftColumnType type, const ColumnProfile& ref, const ColumnProfile& cur) {
  if (type == DriftColumnType::kNum) {
    std::vector<double> splits = DecileSplits(ref.kll());
    return BinPair{ref.kll().Pmf(splits), cur.kll().Pmf(splits)};
  }
  LabelledCounts counts = ProfileValueCounts(ref, cur);
  return BinPair{Proportions(counts.reference), Proportions(counts.current)};
}

absl::Status CheckTest(StatTest test, DriftColumnType type, const ColumnProfile& ref,
                       const ColumnProfile& cur) {
  const StatTestInfo& info = GetStatTestInfo(test);
  if (!AppliesToProfiles(test)) {
    return absl::InvalidArgumentError("stattest '" + std::string(info.name) +
                                      "' needs the raw reference values, not a profile");
  }
  if (type == DriftColumnType::kNum && cur.type() == ProfileColumnType::kText) {
    return absl::InvalidArgumentError("numerical in the reference but text in the current data");
  }
  if (test == StatTest::kSketchKs &&
      (ref.type() == ProfileColumnType::kText || cur.type() == ProfileColumnType::kText)) {
    return absl::InvalidArgumentError(
        "stattest 'sketch_ks' needs numerical values, the column "
        "holds text");
  }
  return absl::OkStatus();
}

void RunSketchKs(const ColumnProfile& ref, const ColumnProfile& cur, double alpha,
                 ProfileColumnComparison* out) {
  absl::StatusOr<SketchKsResult> ks = SketchKs(ref.kll(), cur.kll(), alpha);
  if (!ks.ok() || !ks->comparable) {
    out->status = ref.kll().empty() ? ProfileColumnStatus::kNoReferenceValues
                                    : ProfileColumnStatus::kNoCurrentValues;
    return;
  }
  out->drift.statistic = Finite(ks->statistic, 0.0);
  out->drift.threshold = Finite(ks->threshold, 1.0);
  out->drift.drift_detected = ks->drift;
}

// Free text in Evidently's sense: more distinct values than half the present values
// (counted exactly by the frequent items while they never purged, else HyperLogLog's
// estimate).
bool IsFreeText(const ColumnProfile& ref) {
  if (ref.type() != ProfileColumnType::kText) return false;
  const FrequentItems& items = ref.items();
  const double distinct = items.maximum_error() == 0 ? static_cast<double>(items.num_active())
                                                     : std::round(ref.hll().Estimate());
  return distinct > 0.5 * static_cast<double>(PresentValues(ref));
}

std::string SkipReason(ProfileColumnStatus status, const DatasetProfile& reference,
                       const DatasetProfile& current, const std::string& name) {
  const bool ref_side = status == ProfileColumnStatus::kNoReferenceValues;
  const ColumnProfile* p = (ref_side ? reference : current).Find(name);
  const uint64_t missing = p == nullptr ? 0 : p->count() - ValidValues(*p);
  return std::string("no valid values in the ") + (ref_side ? "reference" : "current") + " data (" +
         std::to_string(missing) + " missing or infinite)";
}

ProfileCompareSettings SettingsFor(const std::string& name, const DriftOptions& options) {
  ProfileCompareSettings s;
  if (options.threshold) s.alpha = s.distance_threshold = *options.threshold;
  if (auto it = options.column_tests.find(name); it != options.column_tests.end()) {
    s.test = it->second;
  } else if (options.stattest) {
    s.test = *options.stattest;
  }
  return s;
}

}  // namespace

bool IsCategoricalProfile(const ColumnProfile& reference, size_t max_categories) {
  if (reference.type() == ProfileColumnType::kText) return true;
  const TypeCounts& t = reference.types();
  if (t.integral == 0 || t.fractional != 0) return false;
  const FrequentItems& items = reference.items();
  return items.maximum_error() == 0 && items.num_active() <= max_categories;
}

bool AppliesToProfiles(StatTest test) {
  const StatTestInfo& info = GetStatTestInfo(test);
  return info.profile_only || info.binned;
}

absl::StatusOr<ProfileColumnComparison> CompareProfileColumn(
    const std::string& name, const ColumnProfile* reference, const ColumnProfile& current,
    const ProfileCompareSettings& settings) {
  ProfileColumnComparison out;
  ColumnDrift& d = out.drift;
  d.name = name;
  const bool categorical = reference != nullptr
                               ? IsCategoricalProfile(*reference, settings.max_categories)
                               : current.type() == ProfileColumnType::kText;
  d.type = categorical ? DriftColumnType::kCat : DriftColumnType::kNum;
  d.stattest = settings.test.value_or(categorical ? StatTest::kJensenShannon : StatTest::kSketchKs);
  const bool sketch = d.stattest == StatTest::kSketchKs;
  d.threshold = sketch ? 1.0 : settings.distance_threshold;
  if (sketch && !(settings.alpha > 0 && settings.alpha < 1)) {
    return absl::InvalidArgumentError("sketch_ks needs a threshold (alpha) in (0, 1)");
  }
  // sketch_ks and numerical bins read the KLL sketch (finite numbers); value counts read every
  // present value.
  const bool numbers = sketch || !categorical;
  if (reference != nullptr) RETURN_IF_ERROR(CheckTest(d.stattest, d.type, *reference, current));
  if (reference == nullptr || PresentNumbers(*reference, numbers) == 0) {
    out.status = ProfileColumnStatus::kNoReferenceValues;
    return out;
  }
  d.reference_count = PresentNumbers(*reference, numbers);
  d.current_count = PresentNumbers(current, numbers);
  if (d.current_count == 0) {
    out.status = ProfileColumnStatus::kNoCurrentValues;
    return out;
  }
  if (sketch) {
    RunSketchKs(*reference, current, settings.alpha, &out);
    return out;
  }
  BinPair bins = ProfileBins(d.type, *reference, current);
  d.statistic = Finite(BinnedDistance(d.stattest, bins.reference, bins.current), 0.0);
  d.drift_detected = IsDrift(d.stattest, d.statistic, d.threshold, false);
  return out;
}

absl::Status CheckProfileDriftOptions(const DriftOptions& options) {
  auto check = [](StatTest test, const std::string& flag) -> absl::Status {
    if (AppliesToProfiles(test)) return absl::OkStatus();
    return absl::InvalidArgumentError(
        flag + ": stattest '" + std::string(GetStatTestInfo(test).name) +
        "' needs the raw reference values; with a profile reference use sketch_ks, "
        "jensenshannon, psi, kl_div, hellinger or linf");
  };
  if (options.stattest) RETURN_IF_ERROR(check(*options.stattest, "--stattest"));
  for (const auto& [column, test] : options.column_tests) {
    RETURN_IF_ERROR(check(test, "--stattest-column " + column));
  }
  if (options.threshold && !(*options.threshold > 0 && std::isfinite(*options.threshold))) {
    return absl::InvalidArgumentError("--threshold must be > 0 with a profile reference");
  }
  if (!(options.drift_share > 0 && options.drift_share <= 1)) {
    return absl::InvalidArgumentError("drift share must be in (0, 1]");
  }
  return absl::OkStatus();
}

absl::StatusOr<DatasetDrift> ComputeProfileDrift(const DatasetProfile& reference,
                                                 const DatasetProfile& current,
                                                 const DriftOptions& options) {
  RETURN_IF_ERROR(CheckProfileDriftOptions(options));
  std::vector<std::string> ref_names;
  for (const auto& [name, column] : reference.columns()) ref_names.push_back(name);
  ASSIGN_OR_RETURN(
      std::vector<std::string> names,
      SelectColumns(
          ref_names, [&](const std::string& n) { return reference.Find(n) != nullptr; },
          [&](const std::string& n) { return current.Find(n) != nullptr; }, options,
          "reference profile"));
  DatasetDrift out;
  out.drift_share_threshold = options.drift_share;
  for (const std::string& name : names) {
    const ColumnProfile& ref = *reference.Find(name);
    ProfileCompareSettings settings = SettingsFor(name, options);
    if (!settings.test && IsFreeText(ref)) {
      out.skipped.push_back({name, "text column (more distinct values than half its rows)"});
      continue;
    }
    absl::StatusOr<ProfileColumnComparison> c =
        CompareProfileColumn(name, &ref, *current.Find(name), settings);
    if (!c.ok()) return ColumnError(name, StatusMessage(c.status()));
    if (c->status != ProfileColumnStatus::kOk) {
      out.skipped.push_back({name, SkipReason(c->status, reference, current, name)});
      continue;
    }
    if (c->drift.drift_detected) ++out.number_of_drifted_columns;
    out.columns.push_back(std::move(c->drift));
  }
  out.number_of_columns = out.columns.size();
  if (out.number_of_columns > 0) {
    out.drift_share = static_cast<double>(out.number_of_drifted_columns) /
                      static_cast<double>(out.number_of_columns);
  }
  out.dataset_drift = out.number_of_columns > 0 && out.drift_share >= options.drift_share;
  return out;
}

}  // namespace ferry::monitoring
