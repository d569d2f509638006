// SearchRuns: filter semantics per entity and operator, ordering, paging, view types.

#include <limits>
#include <set>

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using E = SearchEntity;
using Op = CompareOp;

Comparison Num(E entity, const std::string& key, Op op, double v) {
  Comparison c{entity, key, op, {}};
  c.value.is_number = true;
  c.value.number = v;
  return c;
}
Comparison Str(E entity, const std::string& key, Op op, const std::string& v) {
  Comparison c{entity, key, op, {}};
  c.value.text = v;
  return c;
}
Comparison List(E entity, const std::string& key, Op op, std::vector<std::string> v) {
  Comparison c{entity, key, op, {}};
  c.value.list = std::move(v);
  return c;
}

std::vector<std::string> Ids(std::initializer_list<int> ns) {
  std::vector<std::string> out;
  for (int n : ns) out.push_back(RunId(n));
  return out;
}

// Five runs (see SetUp) covering real, NaN and missing metrics, case differences in params
// and tags, equal start times, and dataset inputs.
class SqliteSearchTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    exp_ = NewExperiment("search");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    Add(1, 100, {{"acc", 0.95, 1, 0}, {"loss", 0.2, 1, 0}}, {{"lr", "0.1"}, {"model", "CNN"}},
        {{"team", "Vision"}});
    Add(2, 200, {{"acc", 0.80, 1, 0}}, {{"lr", "0.01"}, {"model", "cnn-small"}},
        {{"team", "vision"}});
    Add(3, 300, {{"acc", nan, 1, 0}}, {{"lr", "0.1"}}, {});
    Add(4, 400, {}, {}, {{"team", "nlp"}});
    Add(5, 400, {{"acc", 0.99, 1, 0}}, {}, {});
    ASSERT_TRUE(store_->UpdateRun(RunId(1), RunStatus::kFinished, 500, std::nullopt).ok());
    DatasetInput train{{{"mlflow.data.context", "training"}},
                       {"train", "d1", "local", "s", std::nullopt, std::nullopt}};
    DatasetInput eval{{{"mlflow.data.context", "testing"}},
                      {"eval", "d2", "local", "s", std::nullopt, std::nullopt}};
    ASSERT_TRUE(store_->LogInputs(RunId(1), {train}).ok());
    ASSERT_TRUE(store_->LogInputs(RunId(2), {eval}).ok());
  }

  void Add(int n, int64_t start, const std::vector<Metric>& metrics,
           const std::vector<Param>& params, const std::vector<RunTag>& tags) {
    NewRun(exp_, n, start);
    ASSERT_TRUE(store_->LogBatch(RunId(n), metrics, params, tags).ok());
  }

  absl::StatusOr<std::vector<std::string>> Search(std::vector<Comparison> filter,
                                                  std::vector<OrderBy> order_by = {},
                                                  ViewType view = ViewType::kActiveOnly) {
    RunSearchQuery q;
    q.experiment_ids = {exp_};
    q.filter = std::move(filter);
    q.order_by = std::move(order_by);
    q.view_type = view;
    ASSIGN_OR_RETURN(Page<ferry::Run> page, store_->SearchRuns(q));
    std::vector<std::string> ids;
    for (const ferry::Run& r : page.items) ids.push_back(r.info.run_id);
    return ids;
  }

  std::string exp_;
};

TEST_F(SqliteSearchTest, DefaultOrderIsStartTimeDescThenRunId) {
  EXPECT_EQ(*Search({}), Ids({4, 5, 3, 2, 1}));
}

TEST_F(SqliteSearchTest, Filters) {
  struct {
    Comparison filter;
    std::vector<std::string> want;
  } cases[] = {
      {Num(E::kMetric, "acc", Op::kGt, 0.9), Ids({5, 1})},
      {Num(E::kMetric, "acc", Op::kGe, 0.95), Ids({5, 1})},
      {Num(E::kMetric, "acc", Op::kLt, 0.9), Ids({2})},
      {Num(E::kMetric, "acc", Op::kLe, 0.8), Ids({2})},
      {Num(E::kMetric, "acc", Op::kEq, 0.8), Ids({2})},
      {Num(E::kMetric, "acc", Op::kNe, 0.8), Ids({5, 3, 1})},  // NaN != 0.8; r4 lacks acc
      {Str(E::kParam, "lr", Op::kEq, "0.1"), Ids({3, 1})},
      {Str(E::kParam, "lr", Op::kNe, "0.1"), Ids({2})},  // runs without lr never match
      {Str(E::kParam, "model", Op::kLike, "CNN%"), Ids({1})},
      {Str(E::kParam, "model", Op::kILike, "cnn%"), Ids({2, 1})},
      {Str(E::kParam, "model", Op::kLike, "%small"), Ids({2})},
      {Str(E::kParam, "model", Op::kLike, "c_n%"), Ids({2})},
      {Str(E::kParam, "lr", Op::kEq, "0.1' OR '1'='1"), {}},
      {Str(E::kTag, "team", Op::kEq, "vision"), Ids({2})},
      {Str(E::kTag, "team", Op::kILike, "VISION"), Ids({2, 1})},
      {Str(E::kTag, "team", Op::kNe, "nlp"), Ids({2, 1})},
      {Str(E::kAttribute, "run_id", Op::kEq, RunId(2)), Ids({2})},
      {List(E::kAttribute, "run_id", Op::kIn, Ids({1, 3})), Ids({3, 1})},
      {List(E::kAttribute, "run_id", Op::kNotIn, Ids({1, 3})), Ids({4, 5, 2})},
      {Str(E::kAttribute, "run_id", Op::kLike, "%5"), Ids({5})},
      {Str(E::kAttribute, "run_name", Op::kEq, "run-3"), Ids({3})},
      {Str(E::kAttribute, "run_name", Op::kILike, "RUN-%"), Ids({4, 5, 3, 2, 1})},
      {Str(E::kAttribute, "status", Op::kEq, "FINISHED"), Ids({1})},
      {Str(E::kAttribute, "status", Op::kNe, "FINISHED"), Ids({4, 5, 3, 2})},
      {Str(E::kAttribute, "user_id", Op::kEq, "alice"), Ids({4, 5, 3, 2, 1})},
      {Str(E::kAttribute, "artifact_uri", Op::kLike, "%" + RunId(4) + "%"), Ids({4})},
      {Num(E::kAttribute, "start_time", Op::kGt, 250), Ids({4, 5, 3})},
      {Num(E::kAttribute, "start_time", Op::kEq, 400), Ids({4, 5})},
      {Num(E::kAttribute, "end_time", Op::kGe, 500), Ids({1})},
      {Num(E::kAttribute, "end_time", Op::kLt, 10), {}},
      {Str(E::kDataset, "name", Op::kEq, "train"), Ids({1})},
      {Str(E::kDataset, "name", Op::kLike, "ev%"), Ids({2})},
      {List(E::kDataset, "digest", Op::kIn, {"d1", "d2"}), Ids({2, 1})},
      {List(E::kDataset, "name", Op::kNotIn, {"train"}), Ids({2})},
      {Str(E::kDataset, "context", Op::kEq, "testing"), Ids({2})},
      {Str(E::kDataset, "context", Op::kILike, "TRAIN%"), Ids({1})},
  };
  for (const auto& c : cases) {
    auto got = Search({c.filter});
    ASSERT_TRUE(got.ok()) << c.filter.key << " " << CompareOpText(c.filter.op) << ": "
                          << got.status();
    EXPECT_EQ(*got, c.want) << c.filter.key << " " << CompareOpText(c.filter.op) << " "
                            << c.filter.value.text << c.filter.value.number;
  }
}

TEST_F(SqliteSearchTest, FiltersAreAnded) {
  EXPECT_EQ(*Search({Num(E::kMetric, "acc", Op::kGt, 0.5), Str(E::kParam, "lr", Op::kEq, "0.1")}),
            Ids({1}));
}

TEST_F(SqliteSearchTest, InvalidFilters) {
  Comparison cases[] = {
      Str(E::kMetric, "acc", Op::kLike, "x"),
      Str(E::kMetric, "acc", Op::kEq, "x"),
      List(E::kAttribute, "status", Op::kIn, {"FINISHED"}),
      Str(E::kAttribute, "foo", Op::kEq, "x"),
      List(E::kParam, "lr", Op::kIn, {"x"}),
      Num(E::kParam, "lr", Op::kGt, 1),
      Str(E::kAttribute, "start_time", Op::kEq, "x"),
      Str(E::kDataset, "schema", Op::kEq, "x"),
  };
  for (const Comparison& c : cases) {
    EXPECT_EQ(Search({c}).status().code(), absl::StatusCode::kInvalidArgument) << c.key;
  }
  auto bad_key = Search({Str(E::kAttribute, "foo", Op::kEq, "x")});
  EXPECT_THAT(bad_key.status().message(),
              ::testing::HasSubstr("Invalid attribute key 'foo' specified. Valid keys are"));
  EXPECT_EQ(Search({}, {{E::kAttribute, "nope", true}}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteSearchTest, OrderBy) {
  struct {
    OrderBy order;
    std::vector<std::string> want;
  } cases[] = {
      // Real values, then NaN, then missing, in both directions.
      {{E::kMetric, "acc", false}, Ids({5, 1, 2, 3, 4})},
      {{E::kMetric, "acc", true}, Ids({2, 1, 5, 3, 4})},
      {{E::kParam, "lr", true}, Ids({2, 3, 1, 4, 5})},
      {{E::kParam, "lr", false}, Ids({3, 1, 2, 4, 5})},
      {{E::kTag, "team", true}, Ids({1, 4, 2, 5, 3})},
      {{E::kAttribute, "start_time", true}, Ids({1, 2, 3, 4, 5})},
      {{E::kAttribute, "run_name", false}, Ids({5, 4, 3, 2, 1})},
      {{E::kAttribute, "end_time", true}, Ids({1, 4, 5, 3, 2})},
      {{E::kAttribute, "run_id", false}, Ids({5, 4, 3, 2, 1})},
  };
  for (const auto& c : cases) {
    auto got = Search({}, {c.order});
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.want) << c.order.key << (c.order.ascending ? " ASC" : " DESC");
  }
  EXPECT_EQ(*Search({}, {{E::kParam, "lr", true}, {E::kAttribute, "run_id", false}}),
            Ids({2, 3, 1, 5, 4}));
}

TEST_F(SqliteSearchTest, ViewType) {
  ASSERT_TRUE(store_->SetRunLifecycle(RunId(3), LifecycleStage::kDeleted, 1).ok());
  EXPECT_EQ(*Search({}), Ids({4, 5, 2, 1}));
  EXPECT_EQ(*Search({}, {}, ViewType::kDeletedOnly), Ids({3}));
  EXPECT_EQ(*Search({}, {}, ViewType::kAll), Ids({4, 5, 3, 2, 1}));
}

TEST_F(SqliteSearchTest, ResultsCarryFullRuns) {
  RunSearchQuery q;
  q.experiment_ids = {exp_};
  q.filter = {Str(E::kAttribute, "run_id", Op::kEq, RunId(1))};
  auto page = store_->SearchRuns(q);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 1u);
  const ferry::Run& r = page->items[0];
  EXPECT_EQ(r.info.status, RunStatus::kFinished);
  ASSERT_EQ(r.data.metrics.size(), 2u);
  EXPECT_EQ(r.data.metrics[0].key, "acc");
  EXPECT_EQ(r.data.metrics[0].value, 0.95);
  EXPECT_EQ(r.data.params, (std::vector<Param>{{"lr", "0.1"}, {"model", "CNN"}}));
  EXPECT_EQ(r.data.tags.size(), 2u);  // mlflow.runName, team
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_EQ(r.inputs[0].dataset.name, "train");
  EXPECT_EQ(r.inputs[0].tags[0].value, "training");
}

TEST_F(SqliteSearchTest, ExperimentIds) {
  std::string other = NewExperiment("other");
  NewRun(other, 9, 50);
  RunSearchQuery q;
  q.experiment_ids = {exp_, other, "not-a-number"};
  EXPECT_EQ(store_->SearchRuns(q)->items.size(), 6u);
  q.experiment_ids = {};
  EXPECT_TRUE(store_->SearchRuns(q)->items.empty());
  q.experiment_ids = {other};
  q.max_results = 0;
  EXPECT_EQ(store_->SearchRuns(q).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SqliteSearchTest, PagingVisitsEveryRunOnce) {
  std::string paged_exp = NewExperiment("paging");
  for (int i = 0; i < 25; ++i) {
    NewRun(paged_exp, 100 + i, 1000 + (i % 4));  // many equal start times
    LogMetric(RunId(100 + i), "m", i % 3);
  }
  for (const std::vector<OrderBy>& order :
       {std::vector<OrderBy>{}, std::vector<OrderBy>{{E::kMetric, "m", false}}}) {
    RunSearchQuery q;
    q.experiment_ids = {paged_exp};
    q.order_by = order;
    std::vector<std::string> all;
    auto full = store_->SearchRuns(q);
    ASSERT_TRUE(full.ok()) << full.status();
    for (const ferry::Run& r : full->items) all.push_back(r.info.run_id);
    ASSERT_EQ(all.size(), 25u);
    std::vector<std::string> paged;
    q.max_results = 7;
    while (true) {
      auto page = store_->SearchRuns(q);
      ASSERT_TRUE(page.ok()) << page.status();
      for (const ferry::Run& r : page->items) paged.push_back(r.info.run_id);
      if (!page->has_more) break;
      q.offset = page->next_offset;
    }
    EXPECT_EQ(paged, all);
    EXPECT_EQ(std::set<std::string>(paged.begin(), paged.end()).size(), 25u);
  }
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
