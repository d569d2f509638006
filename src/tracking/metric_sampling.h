#pragma once
// Which steps of a metric MLflow's charts get: metrics/get-history-bulk-interval picks steps,
// not points, striding evenly over the steps that exist and keeping each run's first and last
// step. The same arithmetic as MLflow 2.12.2 (handlers.py, _get_sampled_steps_from_steps and
// _get_sampled_steps), so Ferry answers with the same points. Pure functions.

#include <cstdint>
#include <optional>
#include <vector>

namespace ferry::tracking {

// Up to `max_results` + 1 steps of `sorted_steps` (ascending, distinct) within
// [start_step, end_step]: every step when there are no more than `max_results` of them, else
// the steps at indexes start + int(i * n / max_results) for i < max_results (those below n,
// the count in range, as MLflow compares them) plus the last step in range. Ascending and
// distinct. `max_results` must be >= 1.
std::vector<int64_t> SampleSteps(int64_t start_step, int64_t end_step, int64_t max_results,
                                 const std::vector<int64_t>& sorted_steps);

// The steps to fetch for runs whose distinct steps are `steps_per_run` (each ascending): the
// union of every run's steps sampled by SampleSteps over [start, end], plus each run's smallest
// and largest step when inside the range. Without a range it is [0, largest step seen] (0 if
// none). Ascending and distinct.
std::vector<int64_t> SelectChartSteps(const std::vector<std::vector<int64_t>>& steps_per_run,
                                      std::optional<int64_t> start_step,
                                      std::optional<int64_t> end_step, int64_t max_results);

}  // namespace ferry::tracking
