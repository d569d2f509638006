// libFuzzer target for the binary profile decoder (monitoring/profile/profile_codec.h), which
// reads untrusted bytes: profile files given to `ferry monitor show` and `drift`, and the
// reference profile inside a package. Properties checked:
//   * every error is kInvalidArgument and names an offset ("profile: offset N: ...");
//   * a decoded profile re-encodes to bytes that decode again and re-encode identically;
//   * every query on it is defined: quantiles lie within [min, max], ranks and the sketch KS
//     statistic within [0, 1], histograms sum to the sketch's n, distinct bounds are ordered;
//   * merging it with itself doubles its counts.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "monitoring/profile/profile_codec.h"
#include "monitoring/profile/profile_summary.h"
#include "monitoring/profile/sketch_ks.h"

namespace {

using ferry::monitoring::ColumnProfile;

void CheckColumn(const std::string& name, const ColumnProfile& c) {
  const ferry::monitoring::ColumnSummary s = ferry::monitoring::Summarize(name, c, 10);
  for (double q : s.quantiles) Check(q >= *s.min && q <= *s.max);
  Check(s.distinct_lower <= s.distinct_upper + 1e-9 && s.distinct >= 0);
  const ferry::monitoring::Histogram h = c.MakeHistogram(7);
  double total = 0;
  for (double v : h.counts) total += v;
  Check(total == static_cast<double>(c.kll().n()));
  const double r = c.kll().Rank(0.0);
  Check(r >= 0.0 && r <= 1.0);
  auto ks = ferry::monitoring::SketchKs(c.kll(), c.kll(), 0.05);
  Check(ks.ok() && ks->statistic == 0.0 && !ks->drift && std::isfinite(ks->threshold));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto profile = ferry::monitoring::DecodeProfile(bytes);
  if (!profile.ok()) {
    Check(profile.status().code() == absl::StatusCode::kInvalidArgument);
    Check(profile.status().message().substr(0, 16) == "profile: offset ");
    return 0;
  }
  const std::string once = ferry::monitoring::EncodeProfile(*profile);
  auto again = ferry::monitoring::DecodeProfile(once);
  Check(again.ok());
  Check(ferry::monitoring::EncodeProfile(*again) == once);
  for (const auto& [name, column] : profile->columns()) CheckColumn(name, column);
  ferry::monitoring::DatasetProfile doubled = *profile;
  Check(doubled.Merge(*profile).ok());
  Check(doubled.rows() == 2 * profile->rows());
  for (size_t i = 0; i < doubled.columns().size(); ++i) {
    Check(doubled.columns()[i].second.count() == 2 * profile->columns()[i].second.count());
  }
  return 0;
}
