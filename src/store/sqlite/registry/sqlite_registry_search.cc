// SqliteStore: SearchRegisteredModels and SearchModelVersions. One query selects the keys of a
// page (built from the parsed filter with bound values); the page is then loaded in batch, in
// the same snapshot. Semantics follow MLflow's SQL store: LIKE is case-sensitive, ILIKE is
// not; tags.<k> matches when the entity has the tag with a matching value.

#include "store/sqlite/registry/sqlite_registry_internal.h"
#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

constexpr AttributeColumn kModelColumns[] = {
    {"name", "m.name"},
    {"creation_timestamp", "m.creation_time"},
    {"last_updated_timestamp", "m.last_updated_time"},
};
constexpr AttributeColumn kVersionColumns[] = {
    {"name", "v.name"},
    {"run_id", "v.run_id"},
    {"source_path", "v.source"},
    {"version_number", "v.version"},
    {"creation_timestamp", "v.creation_time"},
    {"last_updated_timestamp", "v.last_updated_time"},
};

// `tags.<k> op value`: `head_sql` opens the sub-select of the entity's tag rows with a key.
absl::Status TagCondition(std::string_view head_sql, const Comparison& c, SqlPart& out) {
  out.Text(head_sql).Arg(c.key).Text(" AND ");
  RETURN_IF_ERROR(StringPredicate("value", c, /*allow_in=*/false, "tag", out));
  out.Text(")");
  return absl::OkStatus();
}

absl::Status ModelCondition(const Comparison& c, SqlPart& out) {
  if (c.entity == SearchEntity::kTag) {
    return TagCondition("m.name IN (SELECT name FROM registered_model_tags WHERE key = ", c, out);
  }
  return AttributePredicate(SearchKind::kRegisteredModels, kModelColumns, c, out);
}

absl::StatusOr<std::string> ModelOrderColumn(const OrderBy& ob) {
  return AttributeOrderColumn(SearchKind::kRegisteredModels, kModelColumns, ob);
}

absl::Status VersionCondition(const Comparison& c, SqlPart& out) {
  if (c.entity == SearchEntity::kTag) {
    return TagCondition(
        "(v.name, v.version) IN (SELECT name, version FROM model_version_tags WHERE key = ", c,
        out);
  }
  return AttributePredicate(SearchKind::kModelVersions, kVersionColumns, c, out);
}

absl::StatusOr<std::string> VersionOrderColumn(const OrderBy& ob) {
  return AttributeOrderColumn(SearchKind::kModelVersions, kVersionColumns, ob);
}

template <typename Q, typename CondFn, typename OrderFn>
absl::StatusOr<SqlQuery> BuildSearch(const Q& q, std::string_view select_sql,
                                     std::string_view name_column, CondFn condition,
                                     OrderFn order_column, std::string_view tie_break) {
  RETURN_IF_ERROR(CheckPaging(q.max_results, q.offset));
  SqlPart select, where;
  select.Text(select_sql);
  where.Text(" WHERE 1 = 1");
  ScopeCondition(q.scope, name_column, false, where);
  for (const Comparison& c : q.filter) {
    where.Text(" AND ");
    RETURN_IF_ERROR(condition(c, where));
  }
  std::string order;
  for (const OrderBy& ob : q.order_by) {
    ASSIGN_OR_RETURN(std::string column, order_column(ob));
    order += column + (ob.ascending ? " ASC, " : " DESC, ");
  }
  order += tie_break;
  return Finish(std::move(select), std::move(where), order, q.max_results, q.offset);
}

}  // namespace

absl::StatusOr<Page<RegisteredModel>> SqliteStore::SearchRegisteredModels(
    const RegisteredModelSearchQuery& q) {
  ASSIGN_OR_RETURN(
      sqlite::SqlQuery query,
      sqlite::BuildSearch(q, "SELECT m.name FROM registered_models m", "m.name",
                          sqlite::ModelCondition, sqlite::ModelOrderColumn, "m.name ASC"));
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
  ASSIGN_OR_RETURN(
      sqlite::SqlQuery query,
      sqlite::BuildSearch(q, "SELECT v.name, v.version FROM model_versions v", "v.name",
                          sqlite::VersionCondition, sqlite::VersionOrderColumn, tie_break));
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
