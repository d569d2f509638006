#include "monitoring/drift/drift_engine.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "monitoring/drift/column_selection.h"
#include "monitoring/drift/stattest_run.h"

namespace ferry::monitoring {
namespace {

constexpr size_t kSmallReference = 1000;  // Evidently: n_ref <= 1000 uses p-value tests
constexpr size_t kFewValues = 5;          // numerical columns with <= 5 values count as cat
constexpr size_t kBinaryValues = 2;

absl::Status CheckOptions(const DriftOptions& options) {
  if (options.threshold && !(*options.threshold >= 0 && std::isfinite(*options.threshold))) {
    return absl::InvalidArgumentError("threshold must be a finite number >= 0");
  }
  if (!(options.drift_share > 0 && options.drift_share <= 1)) {
    return absl::InvalidArgumentError("drift share must be in (0, 1]");
  }
  return absl::OkStatus();
}

// The columns to test: --columns in its order, else the reference's.

// Aligns the two sides' value kinds: a text reference column compares the current values as
// text; a numerical reference column cannot be compared with text.
absl::Status AlignKinds(DriftColumnType type, CleanValues* ref, CleanValues* cur) {
  if (ref->numeric == cur->numeric) return absl::OkStatus();
  if (type == DriftColumnType::kNum) {
    return absl::InvalidArgumentError("numerical in the reference but text in the current data");
  }
  *ref = AsText(*ref);
  *cur = AsText(*cur);
  return absl::OkStatus();
}

StatTest ChooseTest(const std::string& name, DriftColumnType type, const CleanValues& ref,
                    const CleanValues& cur, const DriftOptions& options) {
  if (auto it = options.column_tests.find(name); it != options.column_tests.end()) {
    return it->second;
  }
  if (options.stattest) return *options.stattest;
  return DefaultStatTest(type, ref.size(), DistinctCount(ref, cur), options.strict);
}

std::string EmptyReason(const char* side, size_t dropped) {
  return std::string("no valid values in the ") + side + " data (" + std::to_string(dropped) +
         " missing or infinite)";
}

// Tests one column; nullopt with `skipped` filled when it is not tested.
absl::StatusOr<std::optional<ColumnDrift>> TestColumn(const std::string& name,
                                                      const Column& ref_column,
                                                      const Column& cur_column,
                                                      const DriftOptions& options,
                                                      SkippedColumn* skipped) {
  CleanValues ref = CleanColumn(ref_column), cur = CleanColumn(cur_column);
  skipped->name = name;
  if (ref.size() == 0) skipped->reason = EmptyReason("reference", ref.dropped);
  if (cur.size() == 0 && ref.size() != 0) skipped->reason = EmptyReason("current", cur.dropped);
  if (!skipped->reason.empty()) return std::optional<ColumnDrift>();
  DriftColumnType type = InferColumnType(ref);
  bool forced = options.column_tests.count(name) != 0 || options.stattest.has_value();
  if (type == DriftColumnType::kText && !forced) {
    skipped->reason = "text column (more distinct values than half its rows)";
    return std::optional<ColumnDrift>();
  }
  if (type == DriftColumnType::kText) type = DriftColumnType::kCat;
  if (absl::Status s = AlignKinds(type, &ref, &cur); !s.ok()) {
    return ColumnError(name, StatusMessage(s));
  }
  ColumnDrift out;
  out.name = name;
  out.type = type;
  out.stattest = ChooseTest(name, type, ref, cur, options);
  absl::StatusOr<TestOutcome> outcome = RunStatTest(out.stattest, type, ref, cur, options.strict);
  if (!outcome.ok()) return ColumnError(name, StatusMessage(outcome.status()));
  out.statistic = outcome->statistic;
  out.p_value = outcome->p_value;
  out.threshold = options.threshold.value_or(GetStatTestInfo(out.stattest).default_threshold);
  out.drift_detected = IsDrift(out.stattest, out.score(), out.threshold, options.strict);
  out.reference_count = ref.size();
  out.current_count = cur.size();
  return std::optional<ColumnDrift>(std::move(out));
}

}  // namespace

StatTest DefaultStatTest(DriftColumnType type, size_t n_reference, size_t n_distinct, bool strict) {
  bool few_values = type != DriftColumnType::kNum || n_distinct <= kFewValues;
  if (n_reference > kSmallReference) {
    return few_values ? StatTest::kJensenShannon : StatTest::kWasserstein;
  }
  if (!few_values) return StatTest::kKs;
  if (n_distinct <= kBinaryValues) return StatTest::kZ;
  return strict ? StatTest::kChi2Homogeneity : StatTest::kChiSquare;
}

absl::StatusOr<DatasetDrift> ComputeDrift(const Frame& reference, const Frame& current,
                                          const DriftOptions& options) {
  RETURN_IF_ERROR(CheckOptions(options));
  std::vector<std::string> ref_names;
  for (const Column& c : reference.columns) ref_names.push_back(c.name);
  ASSIGN_OR_RETURN(
      std::vector<std::string> names,
      SelectColumns(
          ref_names, [&](const std::string& n) { return reference.Find(n) != nullptr; },
          [&](const std::string& n) { return current.Find(n) != nullptr; }, options,
          "reference data"));
  DatasetDrift out;
  out.drift_share_threshold = options.drift_share;
  for (const std::string& name : names) {
    SkippedColumn skipped;
    ASSIGN_OR_RETURN(
        std::optional<ColumnDrift> column,
        TestColumn(name, *reference.Find(name), *current.Find(name), options, &skipped));
    if (!column) {
      out.skipped.push_back(std::move(skipped));
      continue;
    }
    if (column->drift_detected) ++out.number_of_drifted_columns;
    out.columns.push_back(std::move(*column));
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
