#pragma once
// Column-by-column data drift between a reference and a current Frame, Evidently-compatible
// by default (reference monitoring.md section 1): column typing, automatic test choice,
// default thresholds and verdict rules, and the dataset verdict by share of drifted columns.
// `strict` applies the corrections listed in docs/MONITORING.md ("Drift", strict mode).
// Pure: no I/O.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/frame.h"
#include "monitoring/drift/column_data.h"
#include "monitoring/drift/stattest.h"

namespace ferry::monitoring {

struct DriftOptions {
  std::vector<std::string> columns;              // empty: every reference column
  std::optional<StatTest> stattest;              // one test for every column
  std::map<std::string, StatTest> column_tests;  // per column; wins over `stattest`
  std::optional<double> threshold;               // instead of each test's default
  double drift_share = 0.5;                      // dataset drift when share >= this
  bool strict = false;
};

struct ColumnDrift {
  std::string name;
  DriftColumnType type = DriftColumnType::kNum;
  StatTest stattest = StatTest::kKs;
  double statistic = 0;           // test statistic, or the distance; always finite
  std::optional<double> p_value;  // tests with a p-value only
  double threshold = 0;
  bool drift_detected = false;
  size_t reference_count = 0;  // valid values compared (after dropping missing and +-inf)
  size_t current_count = 0;

  // The value compared with the threshold: the p-value, or the distance.
  double score() const { return p_value ? *p_value : statistic; }
};

// A column that was not tested, with the reason ("text column", "no valid values ...").
struct SkippedColumn {
  std::string name;
  std::string reason;
};

struct DatasetDrift {
  bool dataset_drift = false;
  double drift_share = 0;  // number_of_drifted_columns / number_of_columns (0 when none)
  double drift_share_threshold = 0.5;
  size_t number_of_columns = 0;  // tested columns
  size_t number_of_drifted_columns = 0;
  std::vector<ColumnDrift> columns;  // in reference (or --columns) order
  std::vector<SkippedColumn> skipped;
};

// Errors (kInvalidArgument, naming the column): a requested column absent from the
// reference, a reference column absent from the current data, a numerical reference column
// whose current values are text, a test that does not apply to the column (ks or wasserstein
// on text values, z on more than two categories), a threshold or drift share out of range.
absl::StatusOr<DatasetDrift> ComputeDrift(const Frame& reference, const Frame& current,
                                          const DriftOptions& options);

// Evidently's automatic choice (reference 1.1) for a column of `type` with `n_reference`
// valid reference values and `n_distinct` distinct values over both sides. Strict mode picks
// chi2_homogeneity where Evidently picks chisquare.
StatTest DefaultStatTest(DriftColumnType type, size_t n_reference, size_t n_distinct, bool strict);

}  // namespace ferry::monitoring
