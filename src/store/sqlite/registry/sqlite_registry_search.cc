// SqliteStore: SearchRegisteredModels and SearchModelVersions. One query selects the keys of a
// page (built from the parsed filter with bound values); the page is then loaded in batch, in
// the same snapshot. Semantics follow MLflow's SQL store: LIKE is case-sensitive, ILIKE is
// not; tags.<k> matches when the entity has the tag with a matching value. A search stays
// in `scope.workspace` (empty: `default`).

#include <array>
#include <span>

#include "core/workspace.h"
#include "store/sqlite/registry/sqlite_registry_internal.h"
#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

// Where a search looks: the stored keys of one workspace (core/workspace.h's WorkspaceKey) and
// the expression of the plain name in them, which filters, grants and the order compare.
// `default`'s keys hold no U+001F; another's start `<workspace>` U+001F, which substr()
// compares and strips. Both are in the SQL subset SQLite and PostgreSQL share (no range on the
// key: PostgreSQL's collations may order U+001F apart from its byte value).
class WorkspaceNames {
 public:
  WorkspaceNames(const std::string& workspace, std::string_view alias) {
    key_column_ = std::string(alias) + ".name";
    if (workspace.empty() || workspace == kDefaultWorkspace) {
      name_column_ = key_column_;
      return;
    }
    prefix_ = WorkspaceKey(workspace, "");  // ASCII: characters are bytes
    name_column_ = "substr(" + key_column_ + ", " + std::to_string(prefix_.size() + 1) + ")";
  }
  const std::string& name_column() const { return name_column_; }
  void Condition(SqlPart& where) const {
    if (prefix_.empty()) {
      where.Text(" AND ")
          .Text(key_column_)
          .Text(" NOT LIKE ")
          .Arg(std::string("%") + kWorkspaceKeySeparator + "%");
      return;
    }
    where.Text(" AND substr(")
        .Text(key_column_)
        .Text(", 1, ")
        .Text(std::to_string(prefix_.size()))
        .Text(") = ")
        .Arg(prefix_);
  }

 private:
  std::string key_column_, name_column_, prefix_;
};

// The attribute columns of a search in one workspace (`name` is the plain name).
struct ModelColumns {
  explicit ModelColumns(const WorkspaceNames& names)
      : columns{{{"name", names.name_column()},
                 {"creation_timestamp", "m.creation_time"},
                 {"last_updated_timestamp", "m.last_updated_time"}}} {}
  std::array<AttributeColumn, 3> columns;
};
struct VersionColumns {
  explicit VersionColumns(const WorkspaceNames& names)
      : columns{{{"name", names.name_column()},
                 {"run_id", "v.run_id"},
                 {"source_path", "v.source"},
                 {"version_number", "v.version"},
                 {"creation_timestamp", "v.creation_time"},
                 {"last_updated_timestamp", "v.last_updated_time"}}} {}
  std::array<AttributeColumn, 6> columns;
};

// `tags.<k> op value`: `head_sql` opens the sub-select of the entity's tag rows with a key.
absl::Status TagCondition(std::string_view head_sql, const Comparison& c, SqlPart& out) {
  out.Text(head_sql).Arg(c.key).Text(" AND ");
  RETURN_IF_ERROR(StringPredicate("value", c, /*allow_in=*/false, "tag", out));
  out.Text(")");
  return absl::OkStatus();
}

absl::Status ModelCondition(std::span<const AttributeColumn> columns, const Comparison& c,
                            SqlPart& out) {
  if (c.entity == SearchEntity::kTag) {
    return TagCondition("m.name IN (SELECT name FROM registered_model_tags WHERE key = ", c, out);
  }
  return AttributePredicate(SearchKind::kRegisteredModels, columns, c, out);
}

absl::Status VersionCondition(std::span<const AttributeColumn> columns, const Comparison& c,
                              SqlPart& out) {
  if (c.entity == SearchEntity::kTag) {
    return TagCondition(
        "(v.name, v.version) IN (SELECT name, version FROM model_version_tags WHERE key = ", c,
        out);
  }
  return AttributePredicate(SearchKind::kModelVersions, columns, c, out);
}

template <typename Q, typename CondFn>
absl::StatusOr<SqlQuery> BuildSearch(const Q& q, SearchKind kind, std::string_view select_sql,
                                     const WorkspaceNames& names,
                                     std::span<const AttributeColumn> columns, CondFn condition,
                                     std::string_view tie_break) {
  RETURN_IF_ERROR(CheckPaging(q.max_results, q.offset));
  SqlPart select, where;
  select.Text(select_sql);
  where.Text(" WHERE 1 = 1");
  names.Condition(where);
  ScopeCondition(q.scope, names.name_column(), false, where);
  for (const Comparison& c : q.filter) {
    where.Text(" AND ");
    RETURN_IF_ERROR(condition(columns, c, where));
  }
  std::string order;
  for (const OrderBy& ob : q.order_by) {
    ASSIGN_OR_RETURN(std::string column, AttributeOrderColumn(kind, columns, ob));
    order += column + (ob.ascending ? " ASC, " : " DESC, ");
  }
  order += tie_break;
  return Finish(std::move(select), std::move(where), order, q.max_results, q.offset);
}

}  // namespace

absl::StatusOr<Page<RegisteredModel>> SqliteStore::SearchRegisteredModels(
    const RegisteredModelSearchQuery& q) {
  const sqlite::WorkspaceNames names(q.scope.workspace, "m");
  const sqlite::ModelColumns columns(names);
  ASSIGN_OR_RETURN(sqlite::SqlQuery query,
                   sqlite::BuildSearch(q, SearchKind::kRegisteredModels,
                                       "SELECT m.name FROM registered_models m", names,
                                       columns.columns, sqlite::ModelCondition, "m.name ASC"));
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Page<RegisteredModel>> {
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare(query.sql));
    sqlite::BindArgs(st, query.args);
    std::vector<std::string> names;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      names.push_back(st.Text(0));
    }
    Page<RegisteredModel> page;
    TrimToPage(names, q.max_results, q.offset, page);
    ASSIGN_OR_RETURN(page.items, sqlite::ReadRegisteredModels(conn, names));
    return page;
  });
}

absl::StatusOr<Page<ModelVersion>> SqliteStore::SearchModelVersions(
    const ModelVersionSearchQuery& q) {
  std::string tie_break = "v.name ASC, v.version DESC";
  if (q.order_by.empty()) tie_break = "v.last_updated_time DESC, " + tie_break;
  const sqlite::WorkspaceNames names(q.scope.workspace, "v");
  const sqlite::VersionColumns columns(names);
  ASSIGN_OR_RETURN(sqlite::SqlQuery query,
                   sqlite::BuildSearch(q, SearchKind::kModelVersions,
                                       "SELECT v.name, v.version FROM model_versions v", names,
                                       columns.columns, sqlite::VersionCondition, tie_break));
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Page<ModelVersion>> {
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare(query.sql));
    sqlite::BindArgs(st, query.args);
    std::vector<sqlite::VersionKey> keys;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      keys.push_back({st.Text(0), st.Int(1)});
    }
    Page<ModelVersion> page;
    TrimToPage(keys, q.max_results, q.offset, page);
    ASSIGN_OR_RETURN(page.items, sqlite::ReadModelVersions(conn, keys));
    return page;
  });
}

}  // namespace ferry::store::sqlite
