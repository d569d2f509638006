// The SQLite search builders read core's searchable keys (core/search_keys.h): every key core
// lets a search filter or order by runs as SQL, and keys core refuses get core's message.

#include "core/search/search_keys.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using testing::SqliteStoreTest;

Comparison AttributeComparison(const SearchableAttribute& a) {
  Comparison c;
  c.entity = SearchEntity::kAttribute;
  c.key = std::string(a.canonical);
  c.op = CompareOp::kEq;
  c.value.is_number = a.numeric;
  c.value.number = 1;
  c.value.text = "1";
  return c;
}

template <typename Query>
Query WithTerms(std::vector<Comparison> filter, std::vector<OrderBy> order) {
  Query q;
  q.filter = std::move(filter);
  q.order_by = std::move(order);
  return q;
}

// Runs a search of `kind` with one filter or one order_by item on `c.key`.
absl::Status SearchOn(MetadataBackend& store, SearchKind kind, SearchUsage usage,
                      const Comparison& c, const std::string& experiment_id) {
  std::vector<Comparison> filter;
  std::vector<OrderBy> order;
  if (usage == SearchUsage::kFilter) {
    filter.push_back(c);
  } else {
    order.push_back({SearchEntity::kAttribute, c.key, true});
  }
  switch (kind) {
    case SearchKind::kRuns: {
      auto q = WithTerms<RunSearchQuery>(filter, order);
      q.experiment_ids = {experiment_id};
      return store.SearchRuns(q).status();
    }
    case SearchKind::kExperiments:
      return store.SearchExperiments(WithTerms<ExperimentSearchQuery>(filter, order)).status();
    case SearchKind::kRegisteredModels:
      return store.SearchRegisteredModels(WithTerms<RegisteredModelSearchQuery>(filter, order))
          .status();
    case SearchKind::kModelVersions:
      return store.SearchModelVersions(WithTerms<ModelVersionSearchQuery>(filter, order)).status();
  }
  return absl::InternalError("unknown kind");
}

class SqliteSearchKeysTest : public SqliteStoreTest {};

TEST_F(SqliteSearchKeysTest, EveryKeyCoreAllowsRunsAsSql) {
  std::string exp = NewExperiment("e");
  NewRun(exp, 1);
  for (SearchKind kind : {SearchKind::kRuns, SearchKind::kExperiments,
                          SearchKind::kRegisteredModels, SearchKind::kModelVersions}) {
    for (SearchUsage usage : {SearchUsage::kFilter, SearchUsage::kOrderBy}) {
      for (const SearchableAttribute& a : SearchableAttributes(kind)) {
        if (a.name != a.canonical) continue;
        bool allowed = usage == SearchUsage::kFilter ? a.in_filter : a.in_order_by;
        absl::Status s = SearchOn(*store_, kind, usage, AttributeComparison(a), exp);
        SCOPED_TRACE(std::string(a.canonical) + " kind " + std::to_string(static_cast<int>(kind)) +
                     (usage == SearchUsage::kFilter ? " filter" : " order_by"));
        if (allowed) {
          EXPECT_TRUE(s.ok()) << s;
        } else {
          EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
          EXPECT_EQ(s.message(), InvalidAttributeKeyMessage(a.canonical, kind, usage));
        }
      }
    }
  }
}

TEST_F(SqliteSearchKeysTest, UnknownKeysGetCoresMessage) {
  std::string exp = NewExperiment("e");
  SearchableAttribute unknown{.name = "nope", .canonical = "nope"};
  for (SearchKind kind : {SearchKind::kRuns, SearchKind::kExperiments,
                          SearchKind::kRegisteredModels, SearchKind::kModelVersions}) {
    absl::Status s =
        SearchOn(*store_, kind, SearchUsage::kFilter, AttributeComparison(unknown), exp);
    EXPECT_EQ(s.message(), InvalidAttributeKeyMessage("nope", kind, SearchUsage::kFilter));
  }
  Comparison dataset;
  dataset.entity = SearchEntity::kDataset;
  dataset.key = "schema";
  RunSearchQuery q;
  q.experiment_ids = {exp};
  q.filter = {dataset};
  EXPECT_EQ(store_->SearchRuns(q).status().message(), InvalidDatasetKeyMessage("schema"));
}

}  // namespace
}  // namespace ferry::store::sqlite
