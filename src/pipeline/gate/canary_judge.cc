#include "pipeline/gate/canary_judge.h"

#include <cmath>

#include "common/strings.h"

namespace ferry::pipeline {
namespace {

double ErrorRate(const ArmStats& arm) {
  return arm.requests == 0 ? 0 : static_cast<double>(arm.errors) / arm.requests;
}

std::string Percent(double rate) { return FormatShortest(rate * 100) + "%"; }

// Milliseconds to the microsecond: latencies come from histogram interpolation.
std::string Ms(double ms) { return FormatShortest(std::round(ms * 1000) / 1000); }

// Why the challenger is worse than the champion; empty when it is not.
std::string Worse(const CanaryPolicy& p, const ArmStats& champion, const ArmStats& challenger) {
  const double err_c = ErrorRate(challenger);
  const double err_b = ErrorRate(champion);
  if (err_c - err_b > p.max_error_rate_increase) {
    return StrCat("the challenger's error rate ", Percent(err_c), " (", challenger.errors, " of ",
                  challenger.requests, ") exceeds the champion's ", Percent(err_b),
                  " by more than ", Percent(p.max_error_rate_increase));
  }
  if (challenger.p99_ms > champion.p99_ms * p.max_latency_ratio &&
      challenger.p99_ms - champion.p99_ms >= p.latency_slack_ms) {
    return StrCat("the challenger's p99 latency ", Ms(challenger.p99_ms), " ms is over ",
                  p.max_latency_ratio, "x the champion's ", Ms(champion.p99_ms), " ms");
  }
  if (p.max_quality_drop && challenger.quality && champion.quality &&
      *champion.quality - *challenger.quality > *p.max_quality_drop) {
    return StrCat("the challenger's quality ", *challenger.quality, " is below the champion's ",
                  *champion.quality, " by more than ", *p.max_quality_drop);
  }
  if (challenger.alert_firing) return "a monitoring alert fired on the challenger";
  return "";
}

}  // namespace

const char* CanaryVerdictName(CanaryVerdict verdict) {
  switch (verdict) {
    case CanaryVerdict::kWatch:
      return "watch";
    case CanaryVerdict::kPromote:
      return "promote";
    case CanaryVerdict::kRollback:
      return "rollback";
  }
  return "watch";
}

std::string CheckCanaryPolicy(const CanaryPolicy& p) {
  if (p.percent < 1 || p.percent > 100) {
    return StrCat("canary percent must be between 1 and 100, got ", p.percent);
  }
  if (p.window_seconds < 0) return "canary window must not be negative";
  if (p.min_requests < 1) return "canary min_requests must be at least 1";
  if (p.max_error_rate_increase < 0) return "canary max_error_rate_increase must not be negative";
  if (p.max_latency_ratio < 1) return "canary max_latency_ratio must be at least 1";
  if (p.max_quality_drop && *p.max_quality_drop < 0) {
    return "canary max_quality_drop must not be negative";
  }
  return "";
}

CanaryDecision JudgeCanary(const CanaryPolicy& p, const ArmStats& champion,
                           const ArmStats& challenger, int64_t elapsed_seconds) {
  const bool enough = challenger.requests >= p.min_requests;
  if (enough) {
    std::string worse = Worse(p, champion, challenger);
    if (!worse.empty()) return {CanaryVerdict::kRollback, worse};
  }
  if (elapsed_seconds < p.window_seconds) {
    return {CanaryVerdict::kWatch, StrCat("watching: ", elapsed_seconds, " of ", p.window_seconds,
                                          " s, ", challenger.requests, " challenger requests")};
  }
  if (!enough) {
    return {CanaryVerdict::kRollback,
            StrCat("only ", challenger.requests, " requests reached the challenger in ",
                   elapsed_seconds, " s, fewer than the ", p.min_requests, " needed to judge it")};
  }
  return {CanaryVerdict::kPromote,
          StrCat("the challenger served ", challenger.requests, " requests over ", elapsed_seconds,
                 " s with error rate ", Percent(ErrorRate(challenger)), " and p99 ",
                 Ms(challenger.p99_ms), " ms, within the policy")};
}

}  // namespace ferry::pipeline
