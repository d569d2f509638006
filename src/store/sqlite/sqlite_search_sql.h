#pragma once
// Translates parsed search queries (core/search.h) into SQLite SQL with bound parameters.
// Values are never spliced into the SQL text; only fixed fragments, table aliases and column
// names chosen from allow-lists are. Shapes repeat, so the statement cache stays effective.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"
#include "core/search/search.h"
#include "core/search/search_keys.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

using SqlArg = std::variant<int64_t, double, std::string>;

struct SqlQuery {
  std::string sql;
  std::vector<SqlArg> args;  // in the order of the `?` placeholders
};

// Accumulates SQL text and the arguments of its placeholders.
struct SqlPart {
  std::string sql;
  std::vector<SqlArg> args;

  SqlPart& Text(std::string_view s) {
    sql += s;
    return *this;
  }
  SqlPart& Arg(SqlArg a) {
    sql += '?';
    args.push_back(std::move(a));
    return *this;
  }
  void Append(SqlPart&& other) {
    sql += other.sql;
    for (SqlArg& a : other.args) args.push_back(std::move(a));
  }
};

// Building blocks shared by the search builders (runs and experiments here, the registry in
// sqlite_registry_search.cc). `what` names the entity in error messages.
// `column op ?` for = != LIKE ILIKE (ferry_like) and, with `allow_in`, IN / NOT IN over one
// bound JSON array.
absl::Status StringPredicate(std::string_view column, const Comparison& c, bool allow_in,
                             std::string_view what, SqlPart& out);
// `column op ?` for = != < <= > >= with a number (integers bind as INTEGER).
absl::Status NumericPredicate(std::string_view column, const Comparison& c, std::string_view what,
                              SqlPart& out);
// The column of one canonical attribute key in a search's tables.
struct AttributeColumn {
  std::string_view key;
  std::string_view column;
};
// The column behind canonical attribute `key`, which `usage` of `kind` must allow
// (core/search_keys.h); kInvalidArgument with core's message otherwise.
absl::StatusOr<std::string> AttributeColumnFor(SearchKind kind, SearchUsage usage,
                                               std::span<const AttributeColumn> columns,
                                               std::string_view key);
// The column of an order_by item, which must be an attribute `kind` can order by.
absl::StatusOr<std::string> AttributeOrderColumn(SearchKind kind,
                                                 std::span<const AttributeColumn> columns,
                                                 const OrderBy& ob);
// `column op ?` for an attribute comparison, typed as core says the key is: numeric, or a
// string that allows IN / NOT IN when the key does.
absl::Status AttributePredicate(SearchKind kind, std::span<const AttributeColumn> columns,
                                const Comparison& c, SqlPart& out);
// ` AND column IN (...)` / ` AND column NOT IN (...)` for what an AccessScope allows; nothing
// when it is unrestricted. Integer ids (experiments) are compared as integers; a scope id
// that is not one can match nothing. A scope's workspace adds ` AND workspace_column = ?`
// (an empty column: the resource has no workspace).
void ScopeCondition(const AccessScope& scope, std::string_view column, bool integer_ids,
                    SqlPart& where, std::string_view workspace_column = "");
// kInvalidArgument unless max_results >= 1 and offset >= 0.
absl::Status CheckPaging(int64_t max_results, int64_t offset);
// select + where + ORDER BY order + LIMIT max_results + 1 (the look-ahead row) OFFSET offset.
SqlQuery Finish(SqlPart&& select, SqlPart&& where, const std::string& order, int64_t max_results,
                int64_t offset);

// `SELECT r.run_uuid FROM runs r ...` for the ids of one page of runs, plus one extra row
// when another page follows. Semantics (MLflow's SQL store):
//   * metrics.<k> compares the latest value; params./tags./datasets. match if any row of the
//     run matches; a run without the key never matches, also for `!=`. A NaN metric matches
//     only `!=`. LIKE is case-sensitive, ILIKE is not.
//   * ORDER BY each key with real values first, then NaN metrics, then runs lacking the key,
//     in either direction; then start_time DESC, run_uuid ASC.
// kInvalidArgument for an operator or key the entity does not support, or a value of the
// wrong type. Callers handle an empty experiment id list (no SQL needed).
absl::StatusOr<SqlQuery> BuildRunSearchSql(const RunSearchQuery& q,
                                           const std::vector<int64_t>& experiment_ids);

// `SELECT e.experiment_id FROM experiments e ...`, likewise. Filters: name, creation_time,
// last_update_time, tags.<k>; order by name, experiment_id, creation_time, last_update_time
// (default creation_time DESC), then experiment_id ASC.
absl::StatusOr<SqlQuery> BuildExperimentSearchSql(const ExperimentSearchQuery& q);

// Binds `args` in order.
void BindArgs(Statement& st, const std::vector<SqlArg>& args);

}  // namespace ferry::store::sqlite
