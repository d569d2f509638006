#pragma once
// Drift from profiles alone (no raw reference kept): each column of a current profile against
// the same column of a reference profile. Numerical columns: KS on the two KLL sketches with
// DataSketches' rule, both sketches' rank errors added to the critical distance (sketch_ks,
// profile/sketch_ks.h). Categorical columns: the Jensen-Shannon distance (natural log) of the
// value counts the frequent items hold. The dataset verdict is Evidently's (share of drifted
// columns), so the result is the DatasetDrift that ComputeDrift returns. Used by `ferry
// monitor drift/report` with a profile or package reference, and by live monitoring. Pure.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "monitoring/drift/drift_engine.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {

// How one column pair is compared.
struct ProfileCompareSettings {
  size_t max_categories = 10;       // integral numeric columns with at most this many values: cat
  double alpha = 0.05;              // sketch_ks significance level, in (0, 1)
  double distance_threshold = 0.1;  // the binned distances' threshold (drift when >=)
  std::optional<StatTest> test;     // instead of sketch_ks (num) / jensenshannon (cat)
};

enum class ProfileColumnStatus { kOk, kNoReferenceValues, kNoCurrentValues };

struct ProfileColumnComparison {
  // name, type, stattest, statistic (KS D or the distance), p_value (always null), threshold
  // (sketch_ks: the critical distance), drift_detected; counts are the values compared.
  ColumnDrift drift;
  ProfileColumnStatus status = ProfileColumnStatus::kOk;  // not kOk: no verdict
};

// Text columns, and numeric columns whose present values are all whole numbers with at most
// `max_categories` distinct values (counted exactly by the frequent-items sketch).
bool IsCategoricalProfile(const ColumnProfile& reference, size_t max_categories);

// The tests that apply to sketches: sketch_ks (numbers), and jensenshannon, psi, kl_div,
// hellinger, linf (value counts, or for numerical columns bins at the reference's deciles).
bool AppliesToProfiles(StatTest test);

// `reference` may be null (status kNoReferenceValues). kInvalidArgument when `settings.test`
// does not apply to the column (sketch_ks on text, a test that needs raw values) or alpha is
// out of (0, 1). Every number of the result is finite.
absl::StatusOr<ProfileColumnComparison> CompareProfileColumn(
    const std::string& name, const ColumnProfile* reference, const ColumnProfile& current,
    const ProfileCompareSettings& settings);

// kInvalidArgument naming the flag-level option when DriftOptions asks for what sketches
// cannot give: a stattest that needs raw values (ks, chisquare, chi2_homogeneity, z,
// wasserstein), a threshold <= 0. `strict` has no effect (sketch_ks already uses one rule).
absl::Status CheckProfileDriftOptions(const DriftOptions& options);

// Column selection, errors and verdicts as ComputeDrift: --columns order or the reference's,
// a column missing from the current profile is an error naming it, untested columns (no
// values on a side, free text columns with more distinct values than half their rows) go to
// `skipped`. `options.threshold` is alpha for sketch_ks columns and the distance threshold
// for the others.
absl::StatusOr<DatasetDrift> ComputeProfileDrift(const DatasetProfile& reference,
                                                 const DatasetProfile& current,
                                                 const DriftOptions& options);

}  // namespace ferry::monitoring
