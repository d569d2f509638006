#pragma once
// Chi-squared tests (homogeneity as scipy.stats.chi2_contingency, Evidently's goodness
// of fit), the two-proportion z-test, and the regularised incomplete gamma functions
// behind their p-values. Maths: reference monitoring.md section 7.3.
//
// Every function is pure and thread-safe and never returns NaN for finite, non-negative
// counts.

#include <span>

namespace ferry::monitoring {

// A test statistic, its p-value and the degrees of freedom it was judged with.
struct TestResult {
  double statistic = 0;
  double p_value = 1;
  double df = 0;
};

// Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a) for a > 0, x >= 0
// (power series below a + 1, Lentz continued fraction above; for a >= 10 the prefix
// x^a e^-x / Gamma(a) is taken in Stirling form, free of the cancellation between a ln x
// and lgamma(a) that costs digits at large a).
// Returns 0 for x <= 0, and 1 for x = +inf. a <= 0 returns 1 (a degenerate distribution
// at 0).
double GammaP(double a, double x);
// Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly (no
// cancellation in the tail).
double GammaQ(double a, double x);

// Survival function of the chi-squared distribution with df degrees of freedom:
// Q(df/2, x/2). Returns 1 for x <= 0 and 0 for x = +inf; df <= 0 returns 1 for x <= 0
// and 0 otherwise.
double ChiSquaredSf(double x, double df);

// Chi-squared test of homogeneity on the 2xK table whose rows are the reference and the
// current counts (same category order, same length; extra entries of the longer span
// count as 0). Categories with zero total are dropped; df = K' - 1 over the remaining
// K'. With `yates` (scipy's default) the Yates continuity correction is applied when
// df == 1. Degenerate tables (a row total of 0, or fewer than two categories) give
// {0, 1, df}: no evidence of a difference.
TestResult ChiSquaredHomogeneity(std::span<const double> ref_counts,
                                 std::span<const double> cur_counts, bool yates = true);

// Evidently's `chisquare`: scipy.stats.chisquare(f_obs = cur, f_exp = ref * n_cur/n_ref),
// a goodness-of-fit test that treats the reference as exact, df = K - 1 over all K
// categories given. A category with ref = 0 < cur gives an infinite statistic and p 0
// (categories with ref = cur = 0 contribute 0). An empty side (total 0) or K < 2 gives
// {0, 1, max(K-1, 0)}.
TestResult ChiSquaredGoodnessOfFit(std::span<const double> ref_counts,
                                   std::span<const double> cur_counts);

// Pooled two-proportion z-test: z = (p1 - p2) / sqrt(P(1-P)(1/n1 + 1/n2)), p =
// erfc(|z|/sqrt 2) (no underflow, unlike Evidently's 2*(1 - Phi(|z|))). `statistic` is
// the signed z, df is 0. Degenerate cases: n1 <= 0 or n2 <= 0, or pooled P in {0, 1}
// (both samples all successes or all failures) give z 0, p 1.
TestResult ZTestProportions(double successes1, double n1, double successes2, double n2);

// Two-sided normal tail p = erfc(|z| / sqrt 2); 1 for NaN.
double NormalTwoSidedP(double z);

}  // namespace ferry::monitoring
