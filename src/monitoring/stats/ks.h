#pragma once
// Two-sample Kolmogorov-Smirnov test matching scipy.stats.ks_2samp (two-sided,
// method='auto'), and the Kolmogorov distributions it needs: the limiting distribution
// (scipy.special.kolmogorov), the exact one-sample distribution (scipy.stats.kstwo) and
// the one-sided Smirnov distribution (scipy.special.smirnov). Maths: reference
// monitoring.md sections 7.1-7.2; vectors: tests/data/monitoring_vectors.json.
//
// Every function is pure and thread-safe. None returns NaN for the inputs documented.

#include <cstdint>
#include <span>
#include <vector>

namespace ferry::monitoring {

struct KsResult {
  double statistic = 0;  // D = max |F1(t) - F2(t)|, computed exactly as h / lcm(n1, n2)
  double p_value = 1;    // two-sided p-value, scipy method='auto'
  bool exact = false;    // true when the exact small-sample distribution was used
};

// Two-sample two-sided KS test. Sorts both samples (radix sort) and calls
// KsTwoSampleSorted. Missing values must be dropped first: NaN has no place in the order,
// and any NaN found is dropped here (the sizes are those of the non-NaN values). +-inf
// are ordinary values. An empty sample gives {0, 1, false}: no evidence of drift.
KsResult KsTwoSample(std::vector<double> x, std::vector<double> y);

// As KsTwoSample, for samples already sorted ascending (not checked) and free of NaN (the
// walk stops at a NaN rather than misbehave, so the result would be meaningless).
KsResult KsTwoSampleSorted(std::span<const double> x, std::span<const double> y);

// The integer form of the statistic: h = max over pooled values of
// |c1 * (n2/g) - c2 * (n1/g)| with c the counts <= t and g = gcd(n1, n2), so that
// D = h / lcm(n1, n2). Inputs sorted ascending, both non-empty.
int64_t KsStatisticTimesLcm(std::span<const double> x, std::span<const double> y);

// Two-sided p-value of D for samples of sizes n1, n2 (scipy method='auto'): exact when
// max(n1, n2) <= 10000 (the n1 == n2 closed form, else Hodges' inside method in
// Viehmann's normalised form), otherwise kstwo.sf(D, round(n1*n2/(n1+n2))). D is
// rounded to the nearest multiple of 1/lcm(n1, n2) first, as scipy does. Returns 1 for
// D <= 0 or a size < 1; the result is clipped to [0, 1].
double KsPValue(int64_t n1, int64_t n2, double d);

// As KsPValue with D = h / lcm(n1, n2) given exactly; `exact` (optional) reports the method.
double KsPValueTimesLcm(int64_t n1, int64_t n2, int64_t h, bool* exact = nullptr);

// Exact two-sided p-value P(D >= h/lcm) whatever the sizes (the 'exact' method; cost
// O(max(n1,n2) * band)). Returns 1 for h <= 0.
double KsExactPValue(int64_t n1, int64_t n2, int64_t h);

// Limiting Kolmogorov survival function Q(lambda) = P(sqrt(n) D_n > lambda), n -> inf
// (scipy.special.kolmogorov, stats.kstwobign.sf). Returns 1 for lambda <= 0.
double KolmogorovSf(double lambda);

// Exact one-sample two-sided survival function P(D_n >= x) (scipy.stats.kstwo.sf), with
// Simard & L'Ecuyer's branch selection: Ruben-Gambino, Durbin matrix, Pomeranz,
// 2*smirnov, Pelz-Good. Returns 1 for x <= 0 and 0 for x >= 1; n must be >= 1
// (n < 1 returns 1).
double KolmogorovExactSf(int64_t n, double x);

// One-sided Smirnov survival function P(D_n+ >= x) (scipy.special.smirnov), the exact
// Birnbaum-Tingey sum evaluated in log space. Returns 1 for x <= 0, 0 for x >= 1.
double SmirnovSf(int64_t n, double x);

// The coefficient sqrt(-0.5 ln(alpha/2)) of the two-sample KS critical distance
// c(alpha) * sqrt((n1+n2)/(n1*n2)) (1.358101516 at alpha = 0.05), as DataSketches uses
// for sketch-vs-sketch tests. alpha must be in (0, 2); outside it returns 0.
double KsCriticalCoefficient(double alpha);

}  // namespace ferry::monitoring
