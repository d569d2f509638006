// SqliteStore: SearchRuns and SearchExperiments. One query selects the ids of a page (see
// sqlite_search_sql.h); the page's entities are then loaded in batch, in the same snapshot.

#include "common/strings.h"
#include "store/sqlite/sqlite_internal.h"
#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// Runs `query` and returns its first column, as text or integer.
template <typename T>
absl::StatusOr<std::vector<T>> SelectIds(Connection& conn, const SqlQuery& query) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(query.sql));
  BindArgs(st, query.args);
  std::vector<T> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return ids;
    if constexpr (std::is_same_v<T, std::string>) {
      ids.push_back(st.Text(0));
    } else {
      ids.push_back(st.Int(0));
    }
  }
}

}  // namespace

absl::StatusOr<Page<Run>> SqliteStore::SearchRuns(const RunSearchQuery& q) {
  std::vector<int64_t> experiment_ids;
  for (const std::string& id : q.experiment_ids) {
    if (std::optional<int64_t> n = ParseInt64(id)) experiment_ids.push_back(*n);
  }
  ASSIGN_OR_RETURN(sqlite::SqlQuery query, sqlite::BuildRunSearchSql(q, experiment_ids));
  if (experiment_ids.empty()) return Page<Run>{};
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Page<Run>> {
    ASSIGN_OR_RETURN(std::vector<std::string> ids, sqlite::SelectIds<std::string>(conn, query));
    Page<Run> page;
    TrimToPage(ids, q.max_results, q.offset, page);
    ASSIGN_OR_RETURN(page.items, sqlite::ReadRuns(conn, ids));
    return page;
  });
}

absl::StatusOr<Page<Experiment>> SqliteStore::SearchExperiments(const ExperimentSearchQuery& q) {
  ASSIGN_OR_RETURN(sqlite::SqlQuery query, sqlite::BuildExperimentSearchSql(q));
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Page<Experiment>> {
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, sqlite::SelectIds<int64_t>(conn, query));
    Page<Experiment> page;
    TrimToPage(ids, q.max_results, q.offset, page);
    ASSIGN_OR_RETURN(page.items, sqlite::ReadExperiments(conn, ids));
    return page;
  });
}

}  // namespace ferry::store::sqlite
