#pragma once
// Parsers for MLflow's search filter and order_by grammar (mlflow/utils/search_utils.py).
// Errors are kInvalidArgument with MLflow-style messages that name the offending token and
// its character position, e.g. "Invalid clause(s) in filter string: 'OR' at position 12".

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/search.h"

namespace ferry {

// `metrics.acc > 0.9 AND params.lr = '0.1' AND attributes.status IN ('FINISHED')` -> AND-list.
// Empty or all-whitespace filter -> empty list.
absl::StatusOr<std::vector<Comparison>> ParseRunFilter(std::string_view filter);
// Each item "metrics.acc DESC" / "attributes.start_time" / "`weird key` ASC".
absl::StatusOr<std::vector<OrderBy>> ParseRunOrderBy(const std::vector<std::string>& order_by);

// Experiments: attributes name, creation_time, last_update_time (and experiment_id for
// order_by) plus tags.<k>.
absl::StatusOr<std::vector<Comparison>> ParseExperimentFilter(std::string_view filter);
absl::StatusOr<std::vector<OrderBy>> ParseExperimentOrderBy(
    const std::vector<std::string>& order_by);

}  // namespace ferry
