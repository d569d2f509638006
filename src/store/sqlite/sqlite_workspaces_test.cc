// Workspaces: the table, experiments per workspace, and migration 8 on an older database.

#include <filesystem>

#include "store/sqlite/testing/old_database.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Names(const Page<Experiment>& page) {
  std::vector<std::string> out;
  for (const Experiment& e : page.items) out.push_back(e.name);
  return out;
}

class SqliteWorkspaceTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    ASSERT_TRUE(store_->CreateWorkspace("team-a", "first", 5).ok());
    ASSERT_TRUE(store_->CreateWorkspace("team-b", "", 6).ok());
  }
  std::string NewIn(std::string_view workspace, const std::string& name) {
    auto id = store_->CreateExperimentIn(workspace, name, "", "mlflow-artifacts:", {}, 1000);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }
  Page<Experiment> SearchIn(const std::string& workspace) {
    ExperimentSearchQuery q;
    q.view_type = ViewType::kAll;
    q.scope.workspace = workspace;
    auto page = store_->SearchExperiments(q);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.value_or(Page<Experiment>{});
  }
};

TEST_F(SqliteWorkspaceTest, CreateGetListUpdate) {
  auto all = store_->ListWorkspaces();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "default");
  EXPECT_EQ((*all)[1].name, "team-a");
  EXPECT_EQ((*all)[1].description, "first");
  EXPECT_EQ((*all)[1].creation_time, 5);
  auto again = store_->CreateWorkspace("team-a", "", 7);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "Workspace 'team-a' already exists");
  auto updated = store_->UpdateWorkspace("team-b", "second");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(store_->GetWorkspace("team-b")->description, "second");
  auto missing = store_->GetWorkspace("nope");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "Workspace 'nope' not found");
  EXPECT_EQ(store_->UpdateWorkspace("nope", "x").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SqliteWorkspaceTest, SameExperimentNameInTwoWorkspaces) {
  std::string a = NewIn("team-a", "churn");
  std::string b = NewIn("team-b", "churn");
  std::string d = NewIn("default", "churn");
  EXPECT_NE(a, b);
  EXPECT_NE(a, d);
  EXPECT_EQ(store_->GetExperiment(a)->workspace, "team-a");
  EXPECT_EQ(store_->GetExperiment(b)->workspace, "team-b");
  EXPECT_EQ(store_->GetExperiment(d)->workspace, "default");
  // Unique within one workspace, as before.
  auto clash = store_->CreateExperimentIn("team-a", "churn", "", "mlflow-artifacts:", {}, 1);
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(clash.status().message(), HasSubstr("Experiment(name=churn) already exists"));
  // Renaming into a name another workspace uses is fine; into one of its own is not.
  std::string other = NewIn("team-a", "other");
  EXPECT_TRUE(store_->RenameExperiment(other, "only-b", 2).ok());
  NewIn("team-b", "taken");
  EXPECT_TRUE(store_->RenameExperiment(other, "taken", 3).ok());
  EXPECT_EQ(store_->RenameExperiment(other, "churn", 4).code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SqliteWorkspaceTest, ByNameAndSearchStayInTheirWorkspace) {
  std::string a = NewIn("team-a", "churn");
  std::string b = NewIn("team-b", "churn");
  NewIn("team-b", "fraud");
  EXPECT_EQ(store_->GetExperimentByNameIn("team-a", "churn")->experiment_id, a);
  EXPECT_EQ(store_->GetExperimentByNameIn("team-b", "churn")->experiment_id, b);
  auto absent = store_->GetExperimentByNameIn("team-a", "fraud");
  EXPECT_EQ(absent.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetExperimentByName("churn").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Names(SearchIn("team-a")), std::vector<std::string>{"churn"});
  EXPECT_THAT(Names(SearchIn("team-b")), ::testing::UnorderedElementsAre("churn", "fraud"));
  EXPECT_EQ(Names(SearchIn("default")), std::vector<std::string>{"Default"});
  EXPECT_TRUE(Names(SearchIn("nowhere")).empty());
  // Without a workspace in the scope (workspaces off) a search sees every experiment.
  ExperimentSearchQuery q;
  EXPECT_EQ(store_->SearchExperiments(q)->items.size(), 4u);
}

TEST_F(SqliteWorkspaceTest, DeleteOnlyWhenEmpty) {
  std::string a = NewIn("team-a", "churn");
  ASSERT_TRUE(store_->SetExperimentLifecycle(a, LifecycleStage::kDeleted, 2).ok());
  absl::Status busy = store_->DeleteWorkspace("team-a");
  EXPECT_EQ(busy.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(busy.message(), HasSubstr("still holds 1 experiment(s), deleted ones included"));
  EXPECT_TRUE(store_->DeleteWorkspace("team-b").ok());
  EXPECT_EQ(store_->GetWorkspace("team-b").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteWorkspace("team-b").code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteWorkspace("default").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteWorkspaceTest, TrustPolicySetReplaceDeleteAndGoesWithTheWorkspace) {
  EXPECT_TRUE(absl::IsNotFound(store_->GetTrustPolicy("team-a").status()));
  ASSERT_TRUE(store_->SetTrustPolicy({"team-a", R"({"keys":{}})", "alice", 10}).ok());
  ASSERT_TRUE(store_->SetTrustPolicy({"team-a", R"({"rules":[]})", "bob", 20}).ok());
  auto got = store_->GetTrustPolicy("team-a");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->policy, R"({"rules":[]})");
  EXPECT_EQ(got->updated_by, "bob");
  EXPECT_EQ(got->updated_ms, 20);
  EXPECT_TRUE(absl::IsNotFound(store_->GetTrustPolicy("team-b").status()));
  EXPECT_TRUE(absl::IsNotFound(store_->SetTrustPolicy({"nope", "{}", "bob", 1})));

  ASSERT_TRUE(store_->DeleteTrustPolicy("team-a").ok());
  EXPECT_TRUE(absl::IsNotFound(store_->DeleteTrustPolicy("team-a")));

  ASSERT_TRUE(store_->SetTrustPolicy({"team-b", "{}", "bob", 30}).ok());
  ASSERT_TRUE(store_->DeleteWorkspace("team-b").ok());
  ASSERT_TRUE(store_->CreateWorkspace("team-b", "", 40).ok());
  EXPECT_TRUE(absl::IsNotFound(store_->GetTrustPolicy("team-b").status()));
}

// A database from before workspaces: its experiments, runs and tags stay, in `default`, with
// their ids, and new ids continue after the highest one ever given.
TEST_F(SqliteStoreTest, WorkspaceMigrationKeepsOldDataInDefault) {
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  BuildOldDatabase(
      db_path_, 6,
      "INSERT INTO experiments VALUES (7, 'old', 'mlflow-artifacts:/7', 'active', 2, 3);"
      "INSERT INTO experiment_tags VALUES (7, 'k', 'v');"
      "INSERT INTO runs VALUES ('r1', 'run', 7, 'u', 'FINISHED', 1, 2, 'a', 'active', NULL);"
      "INSERT INTO experiments VALUES (9, 'gone', 'mlflow-artifacts:/9', 'deleted', 2, 3);"
      "DELETE FROM experiments WHERE experiment_id = 9;");
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto old = (*reopened)->GetExperiment("7");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->name, "old");
  EXPECT_EQ(old->workspace, "default");
  EXPECT_EQ(old->creation_time, 2);
  ASSERT_EQ(old->tags.size(), 1u);
  EXPECT_EQ(old->tags[0].value, "v");
  EXPECT_EQ((*reopened)->GetRun("r1")->info.experiment_id, "7");
  EXPECT_EQ((*reopened)->GetExperimentByName("Default")->experiment_id, "0");
  EXPECT_EQ((*reopened)->GetWorkspace("default")->name, "default");
  auto next = (*reopened)->CreateExperiment("new", "", "mlflow-artifacts:", {}, 5);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, "10");  // 9 was given once, so never again
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
