#pragma once
// Judges a canary: a challenger takes a share of the traffic next to the champion for a
// watch window; from what each arm served, decide to keep watching, promote the challenger
// (move the alias; the server hot-swaps) or roll it back, and say why in one sentence.
//
// Roll back as soon as the challenger has served `min_requests` and is clearly worse:
//   * its error rate exceeds the champion's by more than `max_error_rate_increase`, or
//   * its p99 latency exceeds `max_latency_ratio` x the champion's (and by at least
//     `latency_slack_ms`, so microsecond noise on fast models does not count), or
//   * its quality (when labels arrived for both) is lower by more than `max_quality_drop`
//     (higher is better), or it crossed a drift/quality alert of its own.
// When the window has passed: promote if none of the above holds and the challenger served at
// least `min_requests`; roll back when it served fewer (there is no evidence it is good).
// Pure computation: the caller collects the figures and acts on the verdict.

#include <cstdint>
#include <optional>
#include <string>

namespace ferry::pipeline {

struct CanaryPolicy {
  int percent = 10;             // the challenger's share of requests, 1..100
  int64_t window_seconds = 60;  // how long to watch before promoting
  int64_t min_requests = 100;   // challenger requests needed for any verdict but "watch"
  double max_error_rate_increase = 0.01;
  double max_latency_ratio = 1.5;
  double latency_slack_ms = 1.0;
  std::optional<double> max_quality_drop;  // unset: quality not judged
};

struct ArmStats {
  int64_t requests = 0;
  int64_t errors = 0;  // 5xx answers and failed predictions
  double p99_ms = 0;
  std::optional<double> quality;  // e.g. accuracy or HR@20 from late labels
  bool alert_firing = false;      // a monitoring alert on this arm
};

enum class CanaryVerdict { kWatch, kPromote, kRollback };
const char* CanaryVerdictName(CanaryVerdict verdict);  // "watch", "promote", "rollback"

struct CanaryDecision {
  CanaryVerdict verdict = CanaryVerdict::kWatch;
  std::string reason;
};

// The policy's own mistakes (percent out of 1..100, negative figures); empty when sound.
std::string CheckCanaryPolicy(const CanaryPolicy& policy);

CanaryDecision JudgeCanary(const CanaryPolicy& policy, const ArmStats& champion,
                           const ArmStats& challenger, int64_t elapsed_seconds);

}  // namespace ferry::pipeline
