#pragma once
// Parsers for MLflow's search filter and order_by grammar (mlflow/utils/search_utils.py).
// Errors are kInvalidArgument with MLflow-style messages that name the offending token and
// its character position, e.g. "Invalid clause(s) in filter string: 'OR' at position 12".
// Positions are 0-based byte offsets into the filter (or into the order_by item).
//
// Grammar: `<identifier> <op> <value>` comparisons joined by AND (any case). OR, NOT (other
// than NOT IN), parentheses outside an IN list and a leading or trailing AND are "Invalid
// clause(s)". Identifiers are `<entity>.<key>` or a bare attribute key; the key is everything
// after the first '.', and any part may be quoted with backticks or double quotes
// (metrics.`my metric`, tags."my.tag", tags.mlflow.runName). Entity prefixes are
// case-sensitive; keywords and operators are not.
//
// Results: Comparison::key and OrderBy::key are canonical (`created` -> start_time,
// `run name` -> run_name). String values are the text between the outer quotes, verbatim
// (MLflow does not unescape '' or \'). Numeric values set is_number and number, and keep the
// literal as written in SearchValue::text (e.g. for exact integer timestamps). IN / NOT IN
// values fill SearchValue::list.
//
// Thread-safe: the functions are pure.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "core/search/search.h"

namespace ferry {

// Limits on every filter (documented in docs/API.md): longer filters, or more comparisons
// joined by AND, are kInvalidArgument (SQL engines refuse deep expression trees).
inline constexpr size_t kMaxFilterBytes = 64 * 1024;
inline constexpr size_t kMaxFilterClauses = 100;

// `metrics.acc > 0.9 AND params.lr = '0.1' AND attributes.run_id IN ('a', 'b')` -> AND-list.
// Empty or all-whitespace filter -> empty list.
// Entities: metric/metrics, param/params/parameter/parameters, tag/tags,
// attribute/attributes/attr/run, dataset/datasets; no prefix means attribute.
// Attribute keys: run_id, run_name (`run name`, `Run name`, `Run Name`), status, user_id,
// artifact_uri (strings); start_time (`created`, `Created`), end_time (numbers).
// Dataset keys: name, digest, context.
// Operators: metrics and numeric attributes = != > >= < <= with a number; params, tags and
// string attributes = != LIKE ILIKE with a quoted string; run_id also IN / NOT IN; dataset
// keys = != LIKE ILIKE IN NOT IN. List items are quoted strings.
absl::StatusOr<std::vector<Comparison>> ParseRunFilter(std::string_view filter);

// Each item "metrics.acc DESC" / "attributes.start_time" / "`weird key` ASC"; the direction
// is case-insensitive and defaults to ascending. Same entities and attribute keys as the
// filter except datasets and the `run name` aliases (as in MLflow). The same field twice
// (after alias resolution, whatever the direction) is an error.
absl::StatusOr<std::vector<OrderBy>> ParseRunOrderBy(const std::vector<std::string>& order_by);

// Experiments: entity prefixes attribute, tag and tags only (as MLflow). Filter attributes
// name (= != LIKE ILIKE), creation_time and last_update_time (numeric operators); order_by
// attributes name, experiment_id, creation_time, last_update_time (tags cannot order).
absl::StatusOr<std::vector<Comparison>> ParseExperimentFilter(std::string_view filter);
absl::StatusOr<std::vector<OrderBy>> ParseExperimentOrderBy(
    const std::vector<std::string>& order_by);

// Registered models (MLflow's SearchModelUtils): entity prefixes attribute, tag and tags. Filter
// attribute name (= != LIKE ILIKE) and tags.<k>; order_by name, creation_timestamp,
// last_updated_timestamp and `timestamp` (= last_updated_timestamp).
absl::StatusOr<std::vector<Comparison>> ParseRegisteredModelFilter(std::string_view filter);
absl::StatusOr<std::vector<OrderBy>> ParseRegisteredModelOrderBy(
    const std::vector<std::string>& order_by);

// Model versions: filter name, run_id, source_path (= != LIKE ILIKE IN NOT IN),
// version_number (numeric operators) and tags.<k>; order_by name, version_number,
// creation_timestamp, last_updated_timestamp and `timestamp`.
absl::StatusOr<std::vector<Comparison>> ParseModelVersionFilter(std::string_view filter);
absl::StatusOr<std::vector<OrderBy>> ParseModelVersionOrderBy(
    const std::vector<std::string>& order_by);

}  // namespace ferry
