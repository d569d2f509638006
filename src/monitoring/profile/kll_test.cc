#include "monitoring/profile/kll.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "monitoring/profile/byte_io.h"

namespace ferry::monitoring {
namespace {

std::vector<double> Normal(size_t n, uint64_t seed, double mean = 0.0) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> dist(mean, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(gen);
  return v;
}

std::vector<double> Uniform(size_t n, uint64_t seed) {
  std::mt19937_64 gen(seed);
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  std::vector<double> v(n);
  for (double& x : v) x = dist(gen);
  return v;
}

// The largest |sketch rank - true rank| over 1,000 evenly spaced true quantiles.
double MaxRankError(const KllSketch& sketch, std::vector<double> data) {
  std::sort(data.begin(), data.end());
  const KllSortedView view = sketch.View();
  double worst = 0.0;
  for (int i = 1; i < 1000; ++i) {
    const size_t idx = data.size() * i / 1000;
    const double x = data[idx];
    const double true_rank =
        static_cast<double>(std::upper_bound(data.begin(), data.end(), x) - data.begin()) /
        static_cast<double>(data.size());
    worst = std::max(worst, std::fabs(view.Rank(x) - true_rank));
    // Quantile queries: the returned item's true rank is near q.
    const double q = static_cast<double>(i) / 1000.0;
    const double item = view.Quantile(q);
    const double item_rank =
        static_cast<double>(std::upper_bound(data.begin(), data.end(), item) - data.begin()) /
        static_cast<double>(data.size());
    worst = std::max(worst, std::fabs(item_rank - q));
  }
  return worst;
}

TEST(KllTest, NormalizedRankErrorMatchesDataSketchesFit) {
  // monitoring_vectors.json "kll_normalized_rank_error".
  struct Case {
    uint16_t k;
    double single, pmf;
  };
  const Case cases[] = {
      {8, 0.3040167342, 0.3440104759},         {100, 0.02608386139, 0.03175824192},
      {128, 0.02051783959, 0.02516084882},     {200, 0.01329475746, 0.01651561909},
      {256, 0.01045779599, 0.0130846977},      {1024, 0.002716797293, 0.00353867358},
      {4096, 0.0007057880589, 0.0009570118465}};
  for (const Case& c : cases) {
    EXPECT_NEAR(KllSketch::NormalizedRankError(c.k, false), c.single, c.single * 1e-9) << c.k;
    EXPECT_NEAR(KllSketch::NormalizedRankError(c.k, true), c.pmf, c.pmf * 1e-9) << c.k;
  }
  EXPECT_DOUBLE_EQ(KllSketch(1024).NormalizedRankError(false),
                   KllSketch::NormalizedRankError(1024, false));
}

TEST(KllTest, UniformMillionWithinRankError) {
  const std::vector<double> data = Uniform(1000000, 1);
  KllSketch sketch;
  sketch.UpdateBatch(data);
  EXPECT_EQ(sketch.n(), 1000000u);
  EXPECT_LT(sketch.num_retained(), 4000u);
  EXPECT_LE(MaxRankError(sketch, data), sketch.NormalizedRankError(false));
  EXPECT_EQ(sketch.min(), *std::min_element(data.begin(), data.end()));
  EXPECT_EQ(sketch.max(), *std::max_element(data.begin(), data.end()));
  EXPECT_EQ(sketch.Quantile(0.0), sketch.min());
}

TEST(KllTest, NormalMillionWithinRankErrorForSeveralK) {
  const std::vector<double> data = Normal(1000000, 2);
  for (uint16_t k : {200, 1024}) {
    KllSketch sketch(k, 7);
    sketch.UpdateBatch(data);
    EXPECT_LE(MaxRankError(sketch, data), sketch.NormalizedRankError(false)) << k;
  }
}

TEST(KllTest, OneAtATimeWithinRankErrorAndBatchesAgreeOnSmallData) {
  const std::vector<double> data = Uniform(1000000, 6);
  KllSketch single(1024, 3);
  for (double v : data) single.Update(v);
  EXPECT_LE(MaxRankError(single, data), single.NormalizedRankError(false));
  // Below capacity both paths keep every value: the same exact answers.
  KllSketch a(1024), b(1024);
  for (size_t i = 0; i < 1000; ++i) a.Update(data[i]);
  b.UpdateBatch(std::span<const double>(data).subspan(0, 1000));
  EXPECT_EQ(b.num_retained(), 1000u);
  for (double q : {0.0, 0.1, 0.5, 0.9, 1.0}) EXPECT_EQ(a.Quantile(q), b.Quantile(q));
}

TEST(KllTest, BatchesSkipNonFiniteAndKeepMinMax) {
  std::vector<double> data = Normal(20000, 8);
  data[5] = std::numeric_limits<double>::quiet_NaN();
  data[9] = std::numeric_limits<double>::infinity();
  KllSketch s(64);
  s.UpdateBatch(data);
  EXPECT_EQ(s.n(), 19998u);
  double lo = 1e300, hi = -1e300;
  for (double v : data) {
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  EXPECT_EQ(s.min(), lo);
  EXPECT_EQ(s.max(), hi);
  EXPECT_EQ(s.View().cumulative.back(), s.n());
}

TEST(KllTest, MergedSketchesWithinRankError) {
  const std::vector<double> data = Normal(1000000, 3);
  KllSketch merged(1024, 1);
  for (int part = 0; part < 4; ++part) {
    KllSketch piece(1024, 100 + part);
    piece.UpdateBatch(std::span<const double>(data).subspan(part * 250000, 250000));
    merged.Merge(piece);
  }
  EXPECT_EQ(merged.n(), data.size());
  EXPECT_LE(MaxRankError(merged, data), merged.NormalizedRankError(false));
}

TEST(KllTest, MergeKeepsSmallerKError) {
  KllSketch a(1024), b(200);
  a.Update(1.0);
  b.Update(2.0);
  a.Merge(b);
  EXPECT_EQ(a.min_k(), 200);
  EXPECT_DOUBLE_EQ(a.NormalizedRankError(false), KllSketch::NormalizedRankError(200, false));
}

TEST(KllTest, ExactBelowCapacity) {
  KllSketch sketch(200);
  for (int i = 1; i <= 100; ++i) sketch.Update(i);
  EXPECT_EQ(sketch.num_retained(), 100u);
  EXPECT_EQ(sketch.Quantile(0.5), 50);
  EXPECT_EQ(sketch.Quantile(0.51), 51);
  EXPECT_DOUBLE_EQ(sketch.Rank(25), 0.25);
  EXPECT_DOUBLE_EQ(sketch.Rank(0), 0.0);
  const double splits[] = {10, 50};
  const std::vector<double> cdf = sketch.Cdf(splits);
  ASSERT_EQ(cdf.size(), 3u);
  EXPECT_DOUBLE_EQ(cdf[0], 0.1);
  EXPECT_DOUBLE_EQ(cdf[1], 0.5);
  EXPECT_DOUBLE_EQ(cdf[2], 1.0);
  const std::vector<double> pmf = sketch.Pmf(splits);
  EXPECT_DOUBLE_EQ(pmf[0], 0.1);
  EXPECT_DOUBLE_EQ(pmf[1], 0.4);
  EXPECT_DOUBLE_EQ(pmf[2], 0.5);
}

TEST(KllTest, IgnoresNonFiniteAndDefinesEmpty) {
  KllSketch sketch;
  sketch.Update(std::numeric_limits<double>::quiet_NaN());
  sketch.Update(std::numeric_limits<double>::infinity());
  sketch.Update(-std::numeric_limits<double>::infinity());
  EXPECT_TRUE(sketch.empty());
  EXPECT_TRUE(std::isnan(sketch.Quantile(0.5)));
  EXPECT_EQ(sketch.Rank(1.0), 0.0);
  const double split[] = {0.0};
  EXPECT_EQ(sketch.Cdf(split), (std::vector<double>{0.0, 0.0}));
}

TEST(KllTest, SameSeedSameBytesOtherSeedOtherBytes) {
  const std::vector<double> data = Normal(100000, 4);
  auto encode = [&](uint64_t seed) {
    KllSketch s(1024, seed);
    s.UpdateBatch(data);
    ByteWriter w;
    s.EncodeTo(w);
    return w.Take();
  };
  EXPECT_EQ(encode(1), encode(1));
  EXPECT_NE(encode(1), encode(2));
}

TEST(KllTest, EncodeDecodeRoundTrip) {
  KllSketch s(256, 9);
  s.UpdateBatch(Normal(50000, 5));
  ByteWriter w;
  s.EncodeTo(w);
  const std::string bytes = w.Take();
  ByteReader r(bytes);
  auto back = KllSketch::DecodeFrom(r);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(r.remaining(), 0u);
  EXPECT_EQ(back->n(), s.n());
  EXPECT_EQ(back->num_retained(), s.num_retained());
  EXPECT_EQ(back->Quantile(0.3), s.Quantile(0.3));
  // Decoded sketches keep working: the same further updates give the same bytes.
  s.Update(0.5);
  back->Update(0.5);
  ByteWriter a, b;
  s.EncodeTo(a);
  back->EncodeTo(b);
  EXPECT_EQ(a.Take(), b.Take());
}

}  // namespace
}  // namespace ferry::monitoring
