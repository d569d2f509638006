// Property tests over seeded samples: identical samples never drift, whatever the test; a
// mean shift of 0.5 sigma on 10,000 rows always does under the automatic choice.

#include <gtest/gtest.h>

#include "monitoring/drift/drift_engine.h"
#include "monitoring/drift/testing/frames.h"

namespace ferry::monitoring {
namespace {

using testing::Lcg;
using testing::MakeFrame;
using testing::Normal;
using testing::NumColumn;
using testing::TextColumn;

std::vector<std::string> Categories(uint32_t seed, size_t n, int k) {
  std::vector<double> u = Lcg(seed, n);
  std::vector<std::string> out;
  for (double v : u) out.push_back("c" + std::to_string(static_cast<int>(v * k)));
  return out;
}

TEST(DriftPropertyTest, IdenticalSamplesNeverDrift) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    for (size_t n : {5u, 50u, 999u, 1001u, 3000u}) {
      Frame f =
          MakeFrame({NumColumn("x", Normal(seed, n)), TextColumn("c", Categories(seed + 100, n, 4)),
                     TextColumn("b", Categories(seed + 200, n, 2))});
      for (const char* name : {"", "ks", "chisquare", "chi2_homogeneity", "wasserstein",
                               "jensenshannon", "psi", "kl_div", "hellinger", "linf"}) {
        DriftOptions opts;
        if (*name != '\0') {
          opts.stattest = *ParseStatTest(name);
          if (opts.stattest == StatTest::kKs || opts.stattest == StatTest::kWasserstein) {
            opts.columns = {"x"};
          }
        }
        absl::StatusOr<DatasetDrift> d = ComputeDrift(f, f, opts);
        ASSERT_TRUE(d.ok()) << d.status() << " " << name;
        EXPECT_EQ(d->number_of_drifted_columns, 0u) << "seed " << seed << " n " << n << " " << name;
      }
    }
  }
}

TEST(DriftPropertyTest, HalfSigmaShiftOnTenThousandRowsAlwaysDrifts) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    Frame ref = MakeFrame({NumColumn("x", Normal(seed, 10000))});
    Frame cur = MakeFrame({NumColumn("x", Normal(seed + 1000, 10000, 0.5))});
    for (bool strict : {false, true}) {
      DriftOptions opts;
      opts.strict = strict;
      absl::StatusOr<DatasetDrift> d = ComputeDrift(ref, cur, opts);
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(d->columns[0].stattest, StatTest::kWasserstein);
      EXPECT_TRUE(d->dataset_drift) << "seed " << seed << " W=" << d->columns[0].statistic;
      // KS on the same data agrees.
      opts.stattest = StatTest::kKs;
      d = ComputeDrift(ref, cur, opts);
      ASSERT_TRUE(d.ok());
      EXPECT_TRUE(d->columns[0].drift_detected) << "seed " << seed;
    }
  }
}

}  // namespace
}  // namespace ferry::monitoring
