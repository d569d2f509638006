#pragma once
// Building blocks of the KS distributions shared between ks*.cc and kolmogorov*.cc;
// private to monitoring/stats.

#include <cstdint>

namespace ferry::monitoring::internal {

// P(D_{n,n} >= h/n) for two samples of equal size n (scipy's
// _compute_prob_outside_square), Horner-style without cancellation.
double ProbOutsideSquare(int64_t n, int64_t h);

// P(D_{m,n} >= h/lcm) for m != n by Hodges' inside method in Viehmann's normalised form
// (scipy's _compute_outer_prob_inside_method). O(max(m,n) * band) time, O(min) memory.
double ProbOutsideInside(int64_t m, int64_t n, int64_t h);

// Kolmogorov one-sample CDF P(D_n <= x) by the Durbin matrix method as Marsaglia, Tsang
// and Wang evaluate it.
double KolmogorovCdfDurbin(int64_t n, double x);

// Kolmogorov one-sample CDF P(D_n <= x) by Pomeranz's recursion.
double KolmogorovCdfPomeranz(int64_t n, double x);

// Pelz-Good asymptotic approximation of P(D_n <= x).
double KolmogorovCdfPelzGood(int64_t n, double x);

}  // namespace ferry::monitoring::internal
