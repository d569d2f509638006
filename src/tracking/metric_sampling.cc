#include "tracking/metric_sampling.h"

#include <algorithm>
#include <set>

namespace ferry::tracking {

std::vector<int64_t> SampleSteps(int64_t start_step, int64_t end_step, int64_t max_results,
                                 const std::vector<int64_t>& sorted_steps) {
  const auto begin = std::lower_bound(sorted_steps.begin(), sorted_steps.end(), start_step);
  const auto end = std::upper_bound(sorted_steps.begin(), sorted_steps.end(), end_step);
  if (begin >= end) return {};
  const int64_t start_idx = begin - sorted_steps.begin();
  const int64_t end_idx = end - sorted_steps.begin();
  const int64_t num_steps = end_idx - start_idx;
  if (num_steps <= max_results) return std::vector<int64_t>(begin, end);
  // Python's true division and int(): a correctly rounded double, truncated toward zero.
  const double interval = static_cast<double>(num_steps) / static_cast<double>(max_results);
  std::set<int64_t> sampled;
  for (int64_t i = 0; i < max_results; ++i) {
    const int64_t idx = start_idx + static_cast<int64_t>(static_cast<double>(i) * interval);
    // MLflow compares the absolute index with the count in range, so a range that does not
    // start at the first step loses its last strides; kept for identical answers.
    if (idx < num_steps) sampled.insert(sorted_steps[idx]);
  }
  sampled.insert(sorted_steps[end_idx - 1]);
  return std::vector<int64_t>(sampled.begin(), sampled.end());
}

std::vector<int64_t> SelectChartSteps(const std::vector<std::vector<int64_t>>& steps_per_run,
                                      std::optional<int64_t> start_step,
                                      std::optional<int64_t> end_step, int64_t max_results) {
  std::set<int64_t> all;
  std::set<int64_t> ends;  // each run's first and last step
  for (const auto& run : steps_per_run) {
    if (run.empty()) continue;
    ends.insert(run.front());
    ends.insert(run.back());
    all.insert(run.begin(), run.end());
  }
  const int64_t start = start_step.value_or(0);
  const int64_t end = end_step.value_or(all.empty() ? 0 : *all.rbegin());
  std::vector<int64_t> sorted(all.begin(), all.end());
  std::vector<int64_t> sampled = SampleSteps(start, end, max_results, sorted);
  std::set<int64_t> out(sampled.begin(), sampled.end());
  for (int64_t s : ends) {
    if (start <= s && s <= end) out.insert(s);
  }
  return std::vector<int64_t>(out.begin(), out.end());
}

}  // namespace ferry::tracking
