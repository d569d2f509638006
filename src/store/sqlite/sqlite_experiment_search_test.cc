// SearchExperiments: filters, ordering, view types and paging.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using E = SearchEntity;
using Op = CompareOp;

class SqliteExperimentSearchTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    // "Default" (id 0) was created at open time, so it is the newest.
    e1_ = NewExperiment("e1", 100, {{"team", "a"}});
    e2_ = NewExperiment("e2", 200, {{"team", "b"}});
    other_ = NewExperiment("Other", 300);
  }

  absl::StatusOr<std::vector<std::string>> Search(std::vector<Comparison> filter,
                                                  std::vector<OrderBy> order_by = {},
                                                  ViewType view = ViewType::kActiveOnly) {
    ExperimentSearchQuery q;
    q.filter = std::move(filter);
    q.order_by = std::move(order_by);
    q.view_type = view;
    ASSIGN_OR_RETURN(Page<Experiment> page, store_->SearchExperiments(q));
    std::vector<std::string> names;
    for (const Experiment& e : page.items) names.push_back(e.name);
    return names;
  }

  static Comparison Str(E entity, const std::string& key, Op op, const std::string& v) {
    Comparison c{entity, key, op, {}};
    c.value.text = v;
    return c;
  }
  static Comparison Num(const std::string& key, Op op, double v) {
    Comparison c{E::kAttribute, key, op, {}};
    c.value.is_number = true;
    c.value.number = v;
    return c;
  }

  std::string e1_, e2_, other_;
};

using Names = std::vector<std::string>;

TEST_F(SqliteExperimentSearchTest, Filters) {
  struct {
    Comparison filter;
    Names want;
  } cases[] = {
      {Str(E::kAttribute, "name", Op::kEq, "e1"), {"e1"}},
      {Str(E::kAttribute, "name", Op::kNe, "e1"), {"Default", "Other", "e2"}},
      {Str(E::kAttribute, "name", Op::kLike, "e%"), {"e2", "e1"}},
      {Str(E::kAttribute, "name", Op::kLike, "O%"), {"Other"}},
      {Str(E::kAttribute, "name", Op::kLike, "o%"), {}},
      {Str(E::kAttribute, "name", Op::kILike, "o%"), {"Other"}},
      {Num("creation_time", Op::kGt, 150), {"Default", "Other", "e2"}},
      {Num("creation_time", Op::kLe, 200), {"e2", "e1"}},
      {Num("last_update_time", Op::kEq, 100), {"e1"}},
      {Str(E::kTag, "team", Op::kEq, "a"), {"e1"}},
      {Str(E::kTag, "team", Op::kNe, "a"), {"e2"}},
      {Str(E::kTag, "team", Op::kLike, "%"), {"e2", "e1"}},
  };
  for (const auto& c : cases) {
    auto got = Search({c.filter});
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.want) << c.filter.key << " " << CompareOpText(c.filter.op);
  }
}

TEST_F(SqliteExperimentSearchTest, InvalidQueries) {
  Comparison in_list{E::kAttribute, "name", Op::kIn, {}};
  EXPECT_EQ(Search({in_list}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Search({Str(E::kAttribute, "owner", Op::kEq, "x")}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Search({Str(E::kMetric, "m", Op::kEq, "x")}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Search({}, {{E::kAttribute, "owner", true}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ExperimentSearchQuery zero;
  zero.max_results = 0;
  EXPECT_EQ(store_->SearchExperiments(zero).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteExperimentSearchTest, OrderBy) {
  EXPECT_EQ(*Search({}), (Names{"Default", "Other", "e2", "e1"}));
  EXPECT_EQ(*Search({}, {{E::kAttribute, "name", true}}), (Names{"Default", "Other", "e1", "e2"}));
  EXPECT_EQ(*Search({}, {{E::kAttribute, "experiment_id", false}}),
            (Names{"Other", "e2", "e1", "Default"}));
  EXPECT_EQ(*Search({}, {{E::kAttribute, "creation_time", true}}),
            (Names{"e1", "e2", "Other", "Default"}));
  ASSERT_TRUE(store_->RenameExperiment(e1_, "e1x", 999).ok());
  EXPECT_EQ(*Search({}, {{E::kAttribute, "last_update_time", false}}),
            (Names{"Default", "e1x", "Other", "e2"}));
}

TEST_F(SqliteExperimentSearchTest, ViewTypeAndPaging) {
  ASSERT_TRUE(store_->SetExperimentLifecycle(e2_, LifecycleStage::kDeleted, 1).ok());
  EXPECT_EQ(*Search({}), (Names{"Default", "Other", "e1"}));
  EXPECT_EQ(*Search({}, {}, ViewType::kDeletedOnly), (Names{"e2"}));
  ExperimentSearchQuery q;
  q.view_type = ViewType::kAll;
  q.max_results = 3;
  auto first = store_->SearchExperiments(q);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->items.size(), 3u);
  EXPECT_TRUE(first->has_more);
  q.offset = first->next_offset;
  auto second = store_->SearchExperiments(q);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].name, "e1");
  EXPECT_EQ(second->items[0].tags, (std::vector<ExperimentTag>{{"team", "a"}}));
  EXPECT_FALSE(second->has_more);
}

}  // namespace
// Authorization inside the query: the scope filters before paging, so every page is full
// and the page tokens walk exactly the visible experiments.
TEST_F(SqliteExperimentSearchTest, AccessScopeFiltersBeforePaging) {
  ExperimentSearchQuery q;
  q.max_results = 1;
  q.scope.only = std::vector<std::string>{e1_, other_, "not-a-number"};
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    auto got = store_->SearchExperiments(q);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->items.size(), 1u);
    seen.push_back(got->items[0].name);
    if (!got->has_more) break;
    q.offset = got->next_offset;
  }
  EXPECT_EQ(seen, (Names{"Other", "e1"}));

  ExperimentSearchQuery hidden;
  hidden.scope.except = {e2_, "0"};
  auto got = store_->SearchExperiments(hidden);
  ASSERT_TRUE(got.ok()) << got.status();
  Names names;
  for (const Experiment& e : got->items) names.push_back(e.name);
  EXPECT_EQ(names, (Names{"Other", "e1"}));

  ExperimentSearchQuery none;
  none.scope.only = std::vector<std::string>{};
  EXPECT_TRUE(store_->SearchExperiments(none)->items.empty());
}

}  // namespace ferry::store::sqlite::testing
