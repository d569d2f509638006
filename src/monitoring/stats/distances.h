#pragma once
// Distances between two distributions, as Evidently (and scipy) compute them: PSI, KL,
// Jensen-Shannon, Hellinger, L-infinity on binned data, and the exact Wasserstein-1 on
// raw samples. Maths: reference monitoring.md sections 7.4-7.5.
//
// Binned inputs are counts or proportions over the same bins (same order); each side is
// normalised by its own total inside. Negative, NaN and infinite entries count as 0. If
// the spans differ in length the shorter is padded with zeros. If either side has total
// 0 (no data) or there are no bins, every binned distance returns 0: "no evidence of a
// difference", never NaN; callers that must tell an empty window apart check counts.
// Every function is pure and thread-safe.

#include <numbers>
#include <span>
#include <vector>

namespace ferry::monitoring {

// Population stability index sum (r_i - c_i) ln(r_i / c_i) over proportions after
// Evidently's zero filling (ZeroFill, applied to each side separately, without
// renormalising). >= 0 and symmetric.
double Psi(std::span<const double> ref, std::span<const double> cur);

// Kullback-Leibler divergence KL(ref || cur) in nats, as Evidently's kl_div:
// scipy.stats.entropy(ZeroFill(r), ZeroFill(c)), which renormalises after filling.
double KlDivergence(std::span<const double> ref, std::span<const double> cur);

// Jensen-Shannon distance sqrt(JSD) as scipy.spatial.distance.jensenshannon, no zero
// filling; natural log by default (Evidently), so the maximum is sqrt(ln 2) = 0.8326;
// base 2 gives a distance in [0, 1]. A base <= 0 or == 1 is treated as e.
double JensenShannonDistance(std::span<const double> p, std::span<const double> q,
                             double base = std::numbers::e);

// Hellinger distance ||sqrt(p) - sqrt(q)||_2 / sqrt(2), in [0, 1], no zero filling.
double Hellinger(std::span<const double> p, std::span<const double> q);

// L-infinity distance max_i |p_i - q_i| (TFDV), in [0, 1].
double LInfinity(std::span<const double> p, std::span<const double> q);

// Exact Wasserstein-1 distance between the empirical distributions of two samples
// (scipy.stats.wasserstein_distance, unweighted). Sorts both (radix sort). Samples must
// not contain infinities (the distance would be infinite or undefined); NaN values are
// dropped. Returns 0 if either sample is empty.
double Wasserstein1(std::vector<double> u, std::vector<double> v);

// As Wasserstein1 for samples already sorted ascending (not checked), without NaN. The CDF
// difference is the exact integer (c_u * n_v - c_v * n_u) / (n_u * n_v); the sum uses
// Kahan-Neumaier compensation.
double Wasserstein1Sorted(std::span<const double> u, std::span<const double> v);

// Population (ddof 0) standard deviation, two-pass; 0 for fewer than one value.
double PopulationStd(std::span<const double> values);

// Evidently's `wasserstein` statistic: W1(ref, cur) / max(PopulationStd(ref), 0.001).
// Same input rules as Wasserstein1; 0 if either sample is empty.
double WassersteinNormalised(std::vector<double> ref, std::vector<double> cur);
// As WassersteinNormalised for sorted samples.
double WassersteinNormalisedSorted(std::span<const double> ref_sorted,
                                   std::span<const double> cur_sorted);

}  // namespace ferry::monitoring
