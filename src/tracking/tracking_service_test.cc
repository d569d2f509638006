// TrackingService against a real SQLite store in a temp dir: the MLflow rules the service
// applies on top of the store (validation, limits, defaults, lifecycle, paging).

#include "tracking/tracking_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/testing/test_dir.h"
#include "core/validation.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::tracking {
namespace {

// No <regex>: GCC 12 warns inside it under ASan (-Wmaybe-uninitialized).
bool IsLowerHex(const std::string& s, size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// MLflow's generated names: "<adjective>-<noun>-<number>", e.g. "brave-owl-123".
bool IsGeneratedRunName(const std::string& name) {
  size_t a = name.find('-'), b = name.find('-', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos || a == 0 || b == a + 1) return false;
  auto only = [](std::string_view part, const char* chars) {
    return !part.empty() && part.find_first_not_of(chars) == std::string_view::npos;
  };
  std::string_view v(name);
  return only(v.substr(0, a), "abcdefghijklmnopqrstuvwxyz") &&
         only(v.substr(a + 1, b - a - 1), "abcdefghijklmnopqrstuvwxyz") &&
         only(v.substr(b + 1), "0123456789");
}

using ::testing::HasSubstr;

class TrackingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_ + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    service_ = std::make_unique<TrackingService>(*store_, SystemClock(), SystemRandom());
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
  }

  std::string NewExperiment(const std::string& name) {
    auto id = service_->CreateExperiment(name, "", {});
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }
  ferry::Run NewRun(const std::string& experiment_id, const std::string& name = "") {
    CreateRunRequest r;
    r.experiment_id = experiment_id;
    r.run_name = name;
    auto run = service_->CreateRun(r);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.value_or(ferry::Run{});
  }
  ferry::Run Get(const std::string& run_id) {
    auto run = service_->GetRun(run_id);
    EXPECT_TRUE(run.ok()) << run.status();
    return run.value_or(ferry::Run{});
  }

  ferry::testing::TestDir tmp_;
  std::string dir_ = tmp_.path();
  store::MetadataBackendPtr store_;
  std::unique_ptr<TrackingService> service_;
};

std::optional<std::string> TagValue(const ferry::Run& run, const std::string& key) {
  for (const RunTag& t : run.data.tags) {
    if (t.key == key) return t.value;
  }
  return std::nullopt;
}

std::optional<std::string> ParamValue(const ferry::Run& run, const std::string& key) {
  for (const Param& p : run.data.params) {
    if (p.key == key) return p.value;
  }
  return std::nullopt;
}

CreateRunRequest InExperiment(const std::string& experiment_id, const std::string& name = "",
                              std::vector<RunTag> tags = {}) {
  CreateRunRequest r;
  r.experiment_id = experiment_id;
  r.run_name = name;
  r.tags = std::move(tags);
  return r;
}

UpdateRunRequest Update(const std::string& run_id) {
  UpdateRunRequest r;
  r.run_id = run_id;
  return r;
}

SearchRunsRequest RunsOf(const std::string& experiment_id) {
  SearchRunsRequest r;
  r.experiment_ids = {experiment_id};
  return r;
}

void ExpectInvalid(const absl::Status& s, const std::string& message_part) {
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(std::string(s.message()), HasSubstr(message_part));
}

// ---- experiments ----

TEST_F(TrackingServiceTest, ExperimentNamesAreValidatedAndUnique) {
  ExpectInvalid(service_->CreateExperiment("", "", {}).status(), "Invalid experiment name: ''");
  ExpectInvalid(service_->CreateExperiment(std::string(501, 'x'), "", {}).status(),
                "had length 501");
  EXPECT_TRUE(service_->CreateExperiment(std::string(500, 'x'), "", {}).ok());
  ExpectInvalid(service_->CreateExperiment("frag", "s3://b/p#frag", {}).status(),
                "can't include fragments or params");
  ExpectInvalid(service_->CreateExperiment("tagged", "", {{"../up", "v"}}).status(), "../up");

  std::string id = NewExperiment("iris");
  EXPECT_EQ(service_->CreateExperiment("iris", "", {}).status().code(),
            absl::StatusCode::kAlreadyExists);
  // A deleted experiment keeps its name, as in MLflow.
  ASSERT_TRUE(service_->DeleteExperiment(id).ok());
  EXPECT_EQ(service_->CreateExperiment("iris", "", {}).status().code(),
            absl::StatusCode::kAlreadyExists);

  std::string other = NewExperiment("wine");
  EXPECT_EQ(service_->RenameExperiment(other, "iris").code(), absl::StatusCode::kAlreadyExists);
  ExpectInvalid(service_->RenameExperiment(other, ""), "Invalid experiment name");
  ASSERT_TRUE(service_->RenameExperiment(other, "wine-2").ok());
  EXPECT_EQ(service_->GetExperimentByName("wine-2")->experiment_id, other);
  EXPECT_EQ(service_->GetExperimentByName("wine").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, ExperimentLifecycle) {
  std::string id = NewExperiment("life");
  auto created = service_->GetExperiment(id);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->artifact_location, "mlflow-artifacts:/" + id);
  EXPECT_EQ(created->lifecycle_stage, LifecycleStage::kActive);

  ASSERT_TRUE(service_->DeleteExperiment(id).ok());
  EXPECT_EQ(service_->GetExperiment(id)->lifecycle_stage, LifecycleStage::kDeleted);
  ExpectInvalid(service_->SetExperimentTag(id, {"k", "v"}), "must be in the 'active' state");
  ExpectInvalid(service_->CreateRun(InExperiment(id)).status(), "active");

  SearchExperimentsRequest deleted;
  deleted.view_type = ViewType::kDeletedOnly;
  auto found = service_->SearchExperiments(deleted);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->items.size(), 1u);
  EXPECT_EQ(found->items[0].experiment_id, id);

  ASSERT_TRUE(service_->RestoreExperiment(id).ok());
  EXPECT_EQ(service_->GetExperiment(id)->lifecycle_stage, LifecycleStage::kActive);
  EXPECT_TRUE(service_->SetExperimentTag(id, {"k", "v"}).ok());
  ExpectInvalid(service_->SetExperimentTag(id, {"k", std::string(5001, 'v')}), "had length 5001");
  EXPECT_EQ(service_->GetExperiment(id)->tags, (std::vector<ExperimentTag>{{"k", "v"}}));

  ExpectInvalid(service_->GetExperiment("bad id!").status(), "Invalid experiment ID");
  EXPECT_EQ(service_->GetExperiment("987654").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->DeleteExperiment("987654").code(), absl::StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, SearchExperimentsPagesWithTokens) {
  for (int i = 0; i < 4; ++i) NewExperiment("exp-" + std::to_string(i));
  SearchExperimentsRequest r;
  r.max_results = 2;
  r.order_by = {"name ASC"};
  std::vector<std::string> names;
  int pages = 0;
  do {
    auto page = service_->SearchExperiments(r);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->items.size(), 2u);
    for (const Experiment& e : page->items) names.push_back(e.name);
    r.page_token = page->next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!r.page_token.empty());
  // Default plus four, each once, in name order.
  EXPECT_EQ(names, (std::vector<std::string>{"Default", "exp-0", "exp-1", "exp-2", "exp-3"}));
  EXPECT_EQ(pages, 3);

  r.page_token = "garbage";
  ExpectInvalid(service_->SearchExperiments(r).status(), "Invalid page token");
  r.page_token.clear();
  r.max_results = 0;
  ExpectInvalid(service_->SearchExperiments(r).status(), "max_results");
  r.max_results = kMaxExperimentsSearchResults + 1;
  ExpectInvalid(service_->SearchExperiments(r).status(), "max_results");
  r.max_results = std::nullopt;
  r.filter = "name = ";
  EXPECT_EQ(service_->SearchExperiments(r).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- runs ----

TEST_F(TrackingServiceTest, CreateRunFillsMlflowDefaults) {
  int64_t before = SystemClock().NowMillis();
  CreateRunRequest r;  // no experiment: "0", Default
  r.user_id = "alice";
  auto run = service_->CreateRun(r);
  ASSERT_TRUE(run.ok()) << run.status();
  int64_t after = SystemClock().NowMillis();
  const RunInfo& info = run->info;
  EXPECT_EQ(info.experiment_id, "0");
  EXPECT_TRUE(IsLowerHex(info.run_id, 32)) << info.run_id;
  EXPECT_TRUE(IsGeneratedRunName(info.run_name)) << info.run_name;
  EXPECT_EQ(info.status, RunStatus::kRunning);
  EXPECT_GE(info.start_time, before);
  EXPECT_LE(info.start_time, after);
  EXPECT_EQ(info.artifact_uri, "mlflow-artifacts:/0/" + info.run_id + "/artifacts");

  ferry::Run stored = Get(info.run_id);
  EXPECT_EQ(stored.info.run_name, info.run_name);
  EXPECT_EQ(stored.info.user_id, "alice");
  EXPECT_EQ(TagValue(stored, "mlflow.runName"), info.run_name);

  // Two runs never share an id.
  EXPECT_NE(NewRun("0").info.run_id, info.run_id);
}

TEST_F(TrackingServiceTest, RunNameFromArgumentOrTag) {
  std::string exp = NewExperiment("names");
  CreateRunRequest from_tag = InExperiment(exp, "", {{"mlflow.runName", "tagged"}});
  auto tagged = service_->CreateRun(from_tag);
  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->info.run_name, "tagged");

  CreateRunRequest both = InExperiment(exp, "a", {{"mlflow.runName", "b"}});
  ExpectInvalid(service_->CreateRun(both).status(),
                "Both 'run_name' argument and 'mlflow.runName' tag are specified");
  both.tags[0].value = "a";
  EXPECT_TRUE(service_->CreateRun(both).ok());
  // An empty tag counts as no name: one is generated, and the run has one name tag.
  auto empty_tag = service_->CreateRun(InExperiment(exp, "", {{"mlflow.runName", ""}}));
  ASSERT_TRUE(empty_tag.ok());
  EXPECT_FALSE(empty_tag->info.run_name.empty());
  int name_tags = 0;
  for (const RunTag& t : Get(empty_tag->info.run_id).data.tags) {
    name_tags += t.key == "mlflow.runName" ? 1 : 0;
  }
  EXPECT_EQ(name_tags, 1);
  EXPECT_EQ(TagValue(Get(empty_tag->info.run_id), "mlflow.runName"), empty_tag->info.run_name);

  CreateRunRequest bad_tag = InExperiment(exp, "", {{"a//b", "v"}});
  EXPECT_EQ(service_->CreateRun(bad_tag).status().code(), absl::StatusCode::kInvalidArgument);
  CreateRunRequest long_tag = InExperiment(exp, "", {{"t", std::string(6000, 'v')}});
  auto truncated = service_->CreateRun(long_tag);
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ(TagValue(Get(truncated->info.run_id), "t")->size(), kMaxTagValueLength);

  EXPECT_EQ(service_->CreateRun(InExperiment("424242")).status().code(),
            absl::StatusCode::kNotFound);
  ExpectInvalid(service_->CreateRun(InExperiment("no such!")).status(), "Invalid experiment ID");
}

TEST_F(TrackingServiceTest, UpdateDeleteRestoreRun) {
  std::string exp = NewExperiment("lifecycle");
  ferry::Run run = NewRun(exp, "first");
  const std::string& id = run.info.run_id;

  UpdateRunRequest finish = Update(id);
  finish.status = RunStatus::kFinished;
  finish.end_time = 1234;
  auto info = service_->UpdateRun(finish);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->status, RunStatus::kFinished);
  EXPECT_EQ(info->end_time, 1234);
  ferry::Run finished = Get(id);
  EXPECT_EQ(finished.info.status, RunStatus::kFinished);
  EXPECT_EQ(finished.info.end_time, 1234);
  EXPECT_EQ(finished.info.run_name, "first");  // untouched fields stay

  UpdateRunRequest rename = Update(id);
  rename.run_name = "second";
  auto renamed = service_->UpdateRun(rename);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(Get(id).info.run_name, "second");
  EXPECT_EQ(TagValue(Get(id), "mlflow.runName"), "second");
  EXPECT_EQ(Get(id).info.status, RunStatus::kFinished);

  ASSERT_TRUE(service_->DeleteRun(id).ok());
  EXPECT_EQ(Get(id).info.lifecycle_stage, LifecycleStage::kDeleted);
  ExpectInvalid(service_->LogMetric(id, {"m", 1, 1, 0}), "active");
  ExpectInvalid(service_->LogParam(id, {"p", "1"}), "active");
  SearchRunsRequest search = RunsOf(exp);
  EXPECT_TRUE(service_->SearchRuns(search)->items.empty());
  search.view_type = ViewType::kDeletedOnly;
  EXPECT_EQ(service_->SearchRuns(search)->items.size(), 1u);

  ASSERT_TRUE(service_->RestoreRun(id).ok());
  EXPECT_EQ(Get(id).info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_TRUE(service_->LogMetric(id, {"m", 1, 1, 0}).ok());

  ExpectInvalid(service_->GetRun("not a run!").status(), "Invalid run ID");
  EXPECT_EQ(service_->GetRun(std::string(32, 'a')).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->DeleteRun(std::string(32, 'a')).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(service_->UpdateRun(Update(std::string(32, 'a'))).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, DeletingTheExperimentDeletesItsRuns) {
  std::string exp = NewExperiment("cascade");
  ferry::Run run = NewRun(exp);
  ASSERT_TRUE(service_->DeleteExperiment(exp).ok());
  EXPECT_EQ(Get(run.info.run_id).info.lifecycle_stage, LifecycleStage::kDeleted);
  ASSERT_TRUE(service_->RestoreExperiment(exp).ok());
  EXPECT_EQ(Get(run.info.run_id).info.lifecycle_stage, LifecycleStage::kActive);
}

// ---- params, metrics, tags ----

TEST_F(TrackingServiceTest, ParamsAreImmutable) {
  std::string id = NewRun("0").info.run_id;
  ASSERT_TRUE(service_->LogParam(id, {"lr", "0.1"}).ok());
  EXPECT_TRUE(service_->LogParam(id, {"lr", "0.1"}).ok());  // same value: idempotent
  ExpectInvalid(service_->LogParam(id, {"lr", "0.2"}), "Changing param values is not allowed");
  EXPECT_EQ(ParamValue(Get(id), "lr"), "0.1");

  // Over-long values are truncated (MLflow 2.12), and the truncated value is what is kept.
  ASSERT_TRUE(service_->LogParam(id, {"long", std::string(7000, 'x')}).ok());
  EXPECT_EQ(ParamValue(Get(id), "long")->size(), kMaxParamValueLength);
  EXPECT_TRUE(service_->LogParam(id, {"long", std::string(7000, 'x')}).ok());

  ExpectInvalid(service_->LogBatch(id, {}, {{"a", "1"}, {"b", "2"}, {"a", "3"}}, {}),
                "Duplicate parameter keys have been submitted: ['a']");
  EXPECT_FALSE(ParamValue(Get(id), "b").has_value());  // nothing of a rejected batch lands
}

TEST_F(TrackingServiceTest, KeysAndValuesAreValidated) {
  std::string id = NewRun("0").info.run_id;
  for (const std::string& key : {std::string("../up"), std::string("a/../b"), std::string("/abs"),
                                 std::string("bad key!"), std::string(251, 'k')}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(service_->LogMetric(id, {key, 1, 1, 0}).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(service_->LogParam(id, {key, "v"}).code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(service_->SetTag(id, {key, "v"}).code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(service_->LogMetric(id, {std::string(250, 'k'), 1, 1, 0}).ok());
  EXPECT_TRUE(service_->LogMetric(id, {"dir/sub.key-1 x", 1, 1, 0}).ok());
  ExpectInvalid(service_->LogMetric(id, {"m", 1, -1, 0}), "Got invalid timestamp -1");
  ExpectInvalid(service_->LogMetric("bad id!", {"m", 1, 1, 0}), "Invalid run ID");
  EXPECT_EQ(service_->LogMetric(std::string(32, 'b'), {"m", 1, 1, 0}).code(),
            absl::StatusCode::kNotFound);

  DatasetInput input;
  input.dataset.name = "d";
  input.dataset.digest = std::string(37, 'f');
  input.dataset.source_type = "local";
  ExpectInvalid(service_->LogInputs(id, {input}), "had length 37");
  input.dataset.digest = "abc";
  input.tags = {{"k", std::string(501, 'v')}};
  ExpectInvalid(service_->LogInputs(id, {input}), "had length 501");
  input.tags = {{"mlflow.data.context", "train"}};
  ASSERT_TRUE(service_->LogInputs(id, {input}).ok());
  ASSERT_EQ(Get(id).inputs.size(), 1u);
  EXPECT_EQ(Get(id).inputs[0].dataset.digest, "abc");
}

TEST_F(TrackingServiceTest, BatchLimits) {
  std::string id = NewRun("0").info.run_id;
  auto metrics = [](size_t n) {
    std::vector<Metric> out;
    for (size_t i = 0; i < n; ++i) out.push_back({"m" + std::to_string(i), 1.0, 1, 0});
    return out;
  };
  auto pairs = [](size_t n, const std::string& prefix) {
    std::vector<KeyValue> out;
    for (size_t i = 0; i < n; ++i) out.push_back({prefix + std::to_string(i), "v"});
    return out;
  };
  ExpectInvalid(service_->LogBatch(id, metrics(1001), {}, {}),
                "at most 1000 metrics. Got 1001 metrics");
  ExpectInvalid(service_->LogBatch(id, {}, pairs(101, "p"), {}), "at most 100 params");
  ExpectInvalid(service_->LogBatch(id, {}, {}, pairs(101, "t")), "at most 100 tags");
  ExpectInvalid(service_->LogBatch(id, metrics(900), pairs(100, "p"), pairs(1, "t")),
                "at most 1000 total metrics, params, and tags. Got 1001 entities");
  EXPECT_TRUE(Get(id).data.metrics.empty());

  ASSERT_TRUE(service_->LogBatch(id, metrics(800), pairs(100, "p"), pairs(100, "t")).ok());
  ferry::Run run = Get(id);
  EXPECT_EQ(run.data.metrics.size(), 800u);
  EXPECT_EQ(run.data.params.size(), 100u);
  EXPECT_EQ(run.data.tags.size(), 101u);  // plus mlflow.runName
}

TEST_F(TrackingServiceTest, MetricHistoryAndLatestValue) {
  std::string id = NewRun("0").info.run_id;
  // Logged out of order; history is ordered by (timestamp, step), the run shows the value of
  // the highest step (then latest timestamp).
  ASSERT_TRUE(service_
                  ->LogBatch(id,
                             {{"loss", 0.5, 30, 2},
                              {"loss", 0.9, 10, 0},
                              {"loss", 0.7, 20, 1},
                              {"loss", 0.8, 20, 0},
                              {"loss", 0.6, 40, 1},
                              {"acc", 0.1, 10, 0}},
                             {}, {})
                  .ok());
  auto all = service_->GetMetricHistory(id, "loss", std::nullopt, "");
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<double> values;
  for (const Metric& m : all->items) values.push_back(m.value);
  EXPECT_EQ(values, (std::vector<double>{0.9, 0.8, 0.7, 0.5, 0.6}));
  EXPECT_EQ(all->next_page_token, "");
  for (const Metric& m : Get(id).data.metrics) {
    if (m.key == "loss") {
      EXPECT_EQ(m.value, 0.5);
    }
  }

  // Pages of two follow one another without gaps or repeats.
  std::vector<double> paged;
  std::string token;
  int pages = 0;
  do {
    auto page = service_->GetMetricHistory(id, "loss", 2, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Metric& m : page->items) paged.push_back(m.value);
    token = page->next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!token.empty());
  EXPECT_EQ(paged, values);
  EXPECT_EQ(pages, 3);

  EXPECT_TRUE(service_->GetMetricHistory(id, "missing", std::nullopt, "")->items.empty());
  ExpectInvalid(service_->GetMetricHistory(id, "loss", 0, "").status(),
                "must be a positive integer");
  ExpectInvalid(service_->GetMetricHistory(id, "loss", std::nullopt, "%%%").status(),
                "Invalid page token");
  EXPECT_EQ(
      service_->GetMetricHistory(std::string(32, 'c'), "loss", std::nullopt, "").status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(TrackingServiceTest, TagsSetDeleteAndRename) {
  std::string id = NewRun("0", "before").info.run_id;
  ASSERT_TRUE(service_->SetTag(id, {"team", "a"}).ok());
  ASSERT_TRUE(service_->SetTag(id, {"team", "b"}).ok());  // tags are mutable
  EXPECT_EQ(TagValue(Get(id), "team"), "b");
  ASSERT_TRUE(service_->SetTag(id, {"long", std::string(6000, 'x')}).ok());
  EXPECT_EQ(TagValue(Get(id), "long")->size(), kMaxTagValueLength);

  ASSERT_TRUE(service_->DeleteTag(id, "team").ok());
  EXPECT_FALSE(TagValue(Get(id), "team").has_value());
  EXPECT_EQ(service_->DeleteTag(id, "team").code(), absl::StatusCode::kNotFound);

  // Setting mlflow.runName renames the run.
  ASSERT_TRUE(service_->SetTag(id, {"mlflow.runName", "after"}).ok());
  EXPECT_EQ(Get(id).info.run_name, "after");
}

TEST_F(TrackingServiceTest, AppendLoggedModelKeepsHistory) {
  std::string id = NewRun("0").info.run_id;
  ASSERT_TRUE(service_->AppendLoggedModel(id, R"({"artifact_path":"m1"})").ok());
  ASSERT_TRUE(service_->AppendLoggedModel(id, R"({"artifact_path":"m2"})").ok());
  EXPECT_EQ(TagValue(Get(id), "mlflow.log-model.history"),
            R"([{"artifact_path":"m1"},{"artifact_path":"m2"}])");
  ExpectInvalid(service_->AppendLoggedModel(id, "[1]"), "not a JSON object");
  ExpectInvalid(service_->AppendLoggedModel(id, "{"), "not a JSON object");
}

// ---- search ----

TEST_F(TrackingServiceTest, SearchRunsFiltersAndPages) {
  std::string exp = NewExperiment("search");
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    std::string id = NewRun(exp, "r" + std::to_string(i)).info.run_id;
    ids.insert(id);
    ASSERT_TRUE(service_->LogMetric(id, {"acc", i / 10.0, 1, 0}).ok());
  }
  SearchRunsRequest r = RunsOf(exp);
  r.filter = "metrics.acc >= 0.2";
  r.order_by = {"metrics.acc DESC"};
  r.max_results = 2;
  std::vector<std::string> names;
  int pages = 0;
  do {
    auto page = service_->SearchRuns(r);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const ferry::Run& run : page->items) names.push_back(run.info.run_name);
    r.page_token = page->next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!r.page_token.empty());
  EXPECT_EQ(names, (std::vector<std::string>{"r4", "r3", "r2"}));
  EXPECT_EQ(pages, 2);

  SearchRunsRequest none;  // no experiment ids: nothing, not an error
  auto empty = service_->SearchRuns(none);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());

  SearchRunsRequest bad = RunsOf(exp);
  bad.max_results = kMaxRunsSearchResults + 1;
  ExpectInvalid(service_->SearchRuns(bad).status(), "max_results");
  bad.max_results = std::nullopt;
  bad.filter = "attributes.nope = 'x'";
  ExpectInvalid(service_->SearchRuns(bad).status(), "Invalid attribute key 'nope'");
  bad.filter.clear();
  bad.experiment_ids = {"bad id!"};
  ExpectInvalid(service_->SearchRuns(bad).status(), "Invalid experiment ID");
  bad.experiment_ids = {exp};
  bad.page_token = EncodePageToken(0) + "x";
  ExpectInvalid(service_->SearchRuns(bad).status(), "Invalid page token");
}

}  // namespace
}  // namespace ferry::tracking
