#include "store/sqlite/sqlite_search_sql.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "common/strings.h"

namespace ferry::store::sqlite {
namespace {

absl::Status Unsupported(const Comparison& c, std::string_view what) {
  return absl::InvalidArgumentError("Invalid comparator '" + std::string(CompareOpText(c.op)) +
                                    "' for " + std::string(what) + " '" + c.key +
                                    "' in search filter");
}

}  // namespace

absl::Status StringPredicate(std::string_view column, const Comparison& c, bool allow_in,
                             std::string_view what, SqlPart& out) {
  bool is_list = c.op == CompareOp::kIn || c.op == CompareOp::kNotIn;
  if (is_list && !allow_in) return Unsupported(c, what);
  if (!is_list && c.value.is_number) {
    return absl::InvalidArgumentError("Expected a quoted string value for " + std::string(what) +
                                      " '" + c.key + "'");
  }
  std::string col(column);
  switch (c.op) {
    case CompareOp::kEq:
      out.Text(col + " = ").Arg(c.value.text);
      return absl::OkStatus();
    case CompareOp::kNe:
      out.Text(col + " != ").Arg(c.value.text);
      return absl::OkStatus();
    case CompareOp::kLike:
    case CompareOp::kILike:
      out.Text("ferry_like(" + col + ", ").Arg(c.value.text);
      out.Text(c.op == CompareOp::kILike ? ", 1)" : ", 0)");
      return absl::OkStatus();
    case CompareOp::kIn:
    case CompareOp::kNotIn:
      out.Text(col + (c.op == CompareOp::kIn ? " IN" : " NOT IN"));
      out.Text(" (SELECT value FROM json_each(").Arg(JsonStringArray(c.value.list)).Text("))");
      return absl::OkStatus();
    default:
      return Unsupported(c, what);
  }
}

namespace {

const char* NumericOpSql(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return " = ";
    case CompareOp::kNe:
      return " != ";
    case CompareOp::kLt:
      return " < ";
    case CompareOp::kLe:
      return " <= ";
    case CompareOp::kGt:
      return " > ";
    case CompareOp::kGe:
      return " >= ";
    default:
      return nullptr;
  }
}

// Integral values bind as INTEGER (exact comparison with int64 columns), others as REAL.
SqlArg NumberArg(double v) {
  if (std::trunc(v) == v && std::fabs(v) < 9.2e18) return static_cast<int64_t>(v);
  return v;
}

}  // namespace

absl::Status NumericPredicate(std::string_view column, const Comparison& c, std::string_view what,
                              SqlPart& out) {
  const char* op = NumericOpSql(c.op);
  if (op == nullptr) return Unsupported(c, what);
  if (!c.value.is_number) {
    return absl::InvalidArgumentError("Expected numeric value type for " + std::string(what) +
                                      " '" + c.key + "'");
  }
  out.Text(std::string(column) + op).Arg(NumberArg(c.value.number));
  return absl::OkStatus();
}

absl::StatusOr<std::string> AttributeColumnFor(SearchKind kind, SearchUsage usage,
                                               std::span<const AttributeColumn> columns,
                                               std::string_view key) {
  if (FindSearchableAttribute(kind, usage, key) != nullptr) {
    for (const AttributeColumn& c : columns) {
      if (c.key == key) return std::string(c.column);
    }
  }
  return absl::InvalidArgumentError(InvalidAttributeKeyMessage(key, kind, usage));
}

absl::StatusOr<std::string> AttributeOrderColumn(SearchKind kind,
                                                 std::span<const AttributeColumn> columns,
                                                 const OrderBy& ob) {
  if (ob.entity != SearchEntity::kAttribute) {
    return absl::InvalidArgumentError(
        InvalidAttributeKeyMessage(ob.key, kind, SearchUsage::kOrderBy));
  }
  return AttributeColumnFor(kind, SearchUsage::kOrderBy, columns, ob.key);
}

absl::Status AttributePredicate(SearchKind kind, std::span<const AttributeColumn> columns,
                                const Comparison& c, SqlPart& out) {
  if (c.entity != SearchEntity::kAttribute) {
    return absl::InvalidArgumentError(
        InvalidAttributeKeyMessage(c.key, kind, SearchUsage::kFilter));
  }
  ASSIGN_OR_RETURN(std::string column,
                   AttributeColumnFor(kind, SearchUsage::kFilter, columns, c.key));
  const SearchableAttribute* key = FindSearchableAttribute(kind, SearchUsage::kFilter, c.key);
  if (key->numeric) return NumericPredicate(column, c, "attribute", out);
  return StringPredicate(column, c, key->list_ok, "attribute", out);
}

namespace {

// ---- runs ----

absl::Status MetricCondition(const Comparison& c, SqlPart& out) {
  const char* op = NumericOpSql(c.op);
  if (op == nullptr) return Unsupported(c, "metric");
  if (!c.value.is_number) {
    return absl::InvalidArgumentError("Expected numeric value type for metric '" + c.key + "'");
  }
  constexpr double kMax = std::numeric_limits<double>::max();
  double v = std::clamp(c.value.number, -kMax, kMax);  // stored values are clamped alike
  out.Text("r.run_uuid IN (SELECT run_uuid FROM latest_metrics WHERE key = ").Arg(c.key);
  // IEEE semantics for NaN: it differs from every number and is not ordered.
  out.Text(c.op == CompareOp::kNe ? " AND (is_nan = 1 OR value" : " AND (is_nan = 0 AND value");
  out.Text(op).Arg(v).Text("))");
  return absl::OkStatus();
}

// Tags allow IN: the parser rejects it (as MLflow does), but Ferry's runs/children adds one.
absl::Status KeyValueCondition(const char* table, const char* what, const Comparison& c,
                               SqlPart& out) {
  out.Text(std::string("r.run_uuid IN (SELECT run_uuid FROM ") + table + " WHERE key = ")
      .Arg(c.key)
      .Text(" AND ");
  const bool allow_in = std::string_view(what) == "tag";
  RETURN_IF_ERROR(StringPredicate("value", c, allow_in, what, out));
  out.Text(")");
  return absl::OkStatus();
}

constexpr AttributeColumn kRunColumns[] = {
    {"run_id", "r.run_uuid"},
    {"run_name", "r.name"},
    {"status", "r.status"},
    {"user_id", "r.user_id"},
    {"artifact_uri", "r.artifact_uri"},
    {"start_time", "r.start_time"},
    {"end_time", "r.end_time"},
};

absl::Status DatasetCondition(const Comparison& c, SqlPart& out) {
  std::string column;
  if (c.key == "name" || c.key == "digest") {
    out.Text(
        "r.run_uuid IN (SELECT i.destination_id FROM inputs i JOIN datasets d "
        "ON d.dataset_uuid = i.source_id WHERE i.source_type = 'DATASET' AND ");
    column = "d." + c.key;
  } else if (c.key == "context") {
    out.Text(
        "r.run_uuid IN (SELECT i.destination_id FROM inputs i JOIN input_tags t "
        "ON t.input_uuid = i.input_uuid WHERE t.name = 'mlflow.data.context' AND ");
    column = "t.value";
  } else {
    return absl::InvalidArgumentError(InvalidDatasetKeyMessage(c.key));
  }
  out.Text("i.destination_type = 'RUN' AND ");
  RETURN_IF_ERROR(StringPredicate(column, c, /*allow_in=*/true, "dataset", out));
  out.Text(")");
  return absl::OkStatus();
}

absl::Status RunCondition(const Comparison& c, SqlPart& out) {
  switch (c.entity) {
    case SearchEntity::kMetric:
      return MetricCondition(c, out);
    case SearchEntity::kParam:
      return KeyValueCondition("params", "param", c, out);
    case SearchEntity::kTag:
      return KeyValueCondition("tags", "tag", c, out);
    case SearchEntity::kAttribute:
      return AttributePredicate(SearchKind::kRuns, kRunColumns, c, out);
    case SearchEntity::kDataset:
      return DatasetCondition(c, out);
  }
  return absl::InvalidArgumentError("Invalid search entity");
}

const char* LifecycleCondition(std::string_view alias, ViewType view) {
  bool runs = alias == "r";
  switch (view) {
    case ViewType::kActiveOnly:
      return runs ? " AND r.lifecycle_stage = 'active'" : " AND e.lifecycle_stage = 'active'";
    case ViewType::kDeletedOnly:
      return runs ? " AND r.lifecycle_stage = 'deleted'" : " AND e.lifecycle_stage = 'deleted'";
    case ViewType::kAll:
      return "";
  }
  return "";
}

// Adds the LEFT JOIN (if any) and ORDER BY terms of one run order_by item number `i`.
absl::Status RunOrderTerm(const OrderBy& ob, size_t i, SqlPart& joins, std::string& order) {
  std::string dir = ob.ascending ? " ASC" : " DESC";
  std::string alias = "o" + std::to_string(i);
  const char* table = ob.entity == SearchEntity::kMetric  ? "latest_metrics"
                      : ob.entity == SearchEntity::kParam ? "params"
                      : ob.entity == SearchEntity::kTag   ? "tags"
                                                          : nullptr;
  if (table != nullptr) {
    joins
        .Text(" LEFT JOIN " + std::string(table) + " " + alias + " ON " + alias +
              ".run_uuid = r.run_uuid AND " + alias + ".key = ")
        .Arg(ob.key);
    order += alias + ".run_uuid IS NULL, ";
    if (ob.entity == SearchEntity::kMetric) order += alias + ".is_nan, ";
    order += alias + ".value" + dir + ", ";
    return absl::OkStatus();
  }
  if (ob.entity != SearchEntity::kAttribute) {
    return absl::InvalidArgumentError("Invalid order_by entity for key '" + ob.key + "'");
  }
  ASSIGN_OR_RETURN(std::string column, AttributeOrderColumn(SearchKind::kRuns, kRunColumns, ob));
  order += column + " IS NULL, " + column + dir + ", ";
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckPaging(int64_t max_results, int64_t offset) {
  if (max_results < 1) {
    return absl::InvalidArgumentError("Invalid value " + std::to_string(max_results) +
                                      " for parameter 'max_results' supplied. It must be at "
                                      "least 1.");
  }
  if (offset < 0)
    return absl::InvalidArgumentError("Invalid page offset " + std::to_string(offset));
  return absl::OkStatus();
}

SqlQuery Finish(SqlPart&& select, SqlPart&& where, const std::string& order, int64_t max_results,
                int64_t offset) {
  select.Append(std::move(where));
  // One row beyond the page tells the caller that another page follows.
  int64_t limit = std::min(max_results, std::numeric_limits<int64_t>::max() - 1) + 1;
  select.Text(" ORDER BY " + order + " LIMIT ").Arg(limit).Text(" OFFSET ").Arg(offset);
  return {std::move(select.sql), std::move(select.args)};
}

namespace {

// ---- experiments ----

constexpr AttributeColumn kExperimentColumns[] = {
    {"name", "e.name"},
    {"experiment_id", "e.experiment_id"},
    {"creation_time", "e.creation_time"},
    {"last_update_time", "e.last_update_time"},
};

absl::Status ExperimentCondition(const Comparison& c, SqlPart& out) {
  if (c.entity == SearchEntity::kTag) {
    out.Text("e.experiment_id IN (SELECT experiment_id FROM experiment_tags WHERE key = ")
        .Arg(c.key)
        .Text(" AND ");
    RETURN_IF_ERROR(StringPredicate("value", c, /*allow_in=*/false, "tag", out));
    out.Text(")");
    return absl::OkStatus();
  }
  if (c.entity != SearchEntity::kAttribute) {
    return absl::InvalidArgumentError("Invalid search entity for experiments: '" + c.key + "'");
  }
  return AttributePredicate(SearchKind::kExperiments, kExperimentColumns, c, out);
}

absl::Status ExperimentOrderTerm(const OrderBy& ob, std::string& order) {
  ASSIGN_OR_RETURN(std::string column,
                   AttributeOrderColumn(SearchKind::kExperiments, kExperimentColumns, ob));
  order += column + (ob.ascending ? " ASC, " : " DESC, ");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SqlQuery> BuildRunSearchSql(const RunSearchQuery& q,
                                           const std::vector<int64_t>& experiment_ids) {
  RETURN_IF_ERROR(CheckPaging(q.max_results, q.offset));
  SqlPart select, where;
  select.Text("SELECT r.run_uuid FROM runs r");
  std::string order;
  for (size_t i = 0; i < q.order_by.size(); ++i) {
    RETURN_IF_ERROR(RunOrderTerm(q.order_by[i], i, select, order));
  }
  order += "r.start_time DESC, r.run_uuid ASC";
  where.Text(" WHERE r.experiment_id IN (SELECT value FROM json_each(")
      .Arg(JsonIntArray(experiment_ids))
      .Text("))")
      .Text(LifecycleCondition("r", q.view_type));
  for (const Comparison& c : q.filter) {
    where.Text(" AND ");
    RETURN_IF_ERROR(RunCondition(c, where));
  }
  return Finish(std::move(select), std::move(where), order, q.max_results, q.offset);
}

void ScopeCondition(const AccessScope& scope, std::string_view column, bool integer_ids,
                    SqlPart& where, std::string_view workspace_column) {
  auto list = [integer_ids](const std::vector<std::string>& ids) {
    if (!integer_ids) return JsonStringArray(ids);
    std::vector<int64_t> numbers;
    for (const std::string& id : ids) {
      if (std::optional<int64_t> n = ParseInt64(id)) numbers.push_back(*n);
    }
    return JsonIntArray(numbers);
  };
  if (scope.only) {
    where.Text(" AND ")
        .Text(column)
        .Text(" IN (SELECT value FROM json_each(")
        .Arg(list(*scope.only))
        .Text("))");
  }
  if (!scope.except.empty()) {
    where.Text(" AND ")
        .Text(column)
        .Text(" NOT IN (SELECT value FROM json_each(")
        .Arg(list(scope.except))
        .Text("))");
  }
  if (!scope.workspace.empty() && !workspace_column.empty()) {
    where.Text(" AND ").Text(workspace_column).Text(" = ").Arg(scope.workspace);
  }
}

absl::StatusOr<SqlQuery> BuildExperimentSearchSql(const ExperimentSearchQuery& q) {
  RETURN_IF_ERROR(CheckPaging(q.max_results, q.offset));
  SqlPart select, where;
  select.Text("SELECT e.experiment_id FROM experiments e");
  where.Text(" WHERE 1 = 1").Text(LifecycleCondition("e", q.view_type));
  ScopeCondition(q.scope, "e.experiment_id", true, where, "e.workspace");
  for (const Comparison& c : q.filter) {
    where.Text(" AND ");
    RETURN_IF_ERROR(ExperimentCondition(c, where));
  }
  std::string order;
  for (const OrderBy& ob : q.order_by) RETURN_IF_ERROR(ExperimentOrderTerm(ob, order));
  if (q.order_by.empty()) order = "e.creation_time DESC, ";
  order += "e.experiment_id ASC";
  return Finish(std::move(select), std::move(where), order, q.max_results, q.offset);
}

void BindArgs(Statement& st, const std::vector<SqlArg>& args) {
  for (const SqlArg& a : args) {
    if (const int64_t* i = std::get_if<int64_t>(&a)) {
      st.BindInt(*i);
    } else if (const double* d = std::get_if<double>(&a)) {
      st.BindDouble(*d);
    } else {
      st.BindText(std::get<std::string>(a));
    }
  }
}

}  // namespace ferry::store::sqlite
