// Opening, schema migrations and experiments.

#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/testing/old_database.h"
#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite::testing {
namespace {

using ::testing::HasSubstr;

// Runs raw SQL against the database file, bypassing the store.
void ExecRaw(const std::string& path, const std::string& sql) {
  auto conn = sqlite::Connection::Open(path, sqlite::ConnectionRole::kWriter);
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE((*conn)->Exec(sql).ok());
}

int SchemaVersion(const std::string& path) {
  auto conn = sqlite::Connection::Open(path, sqlite::ConnectionRole::kReader);
  EXPECT_TRUE(conn.ok()) << conn.status();
  auto version = sqlite::ReadSchemaVersion(**conn);
  EXPECT_TRUE(version.ok()) << version.status();
  return version.value_or(-1);
}

TEST_F(SqliteStoreTest, NewDatabaseHasDefaultExperiment) {
  auto e = store_->GetExperiment("0");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name, "Default");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/0");
  EXPECT_EQ(e->lifecycle_stage, LifecycleStage::kActive);
  EXPECT_GT(e->creation_time, 0);
  EXPECT_EQ(SchemaVersion(db_path_), sqlite::LatestSchemaVersion());
}

// Counts the transactions reported to it, by kind.
class CountingObserver : public StoreTimingObserver {
 public:
  void OnTransaction(Kind kind, int64_t micros) override {
    (kind == Kind::kRead ? reads : writes)++;
    if (micros < 0) negative++;
  }
  int reads = 0, writes = 0, negative = 0;
};

TEST_F(SqliteStoreTest, TimingObserverSeesEveryTransaction) {
  CountingObserver observer;
  store_->SetTimingObserver(&observer);
  ASSERT_TRUE(store_->GetExperiment("0").ok());
  EXPECT_EQ(observer.reads, 1);
  EXPECT_EQ(observer.writes, 0);
  ASSERT_TRUE(store_->CreateExperiment("timed", "", "mlflow-artifacts:", {}, 1).ok());
  EXPECT_EQ(observer.writes, 1);
  EXPECT_FALSE(store_->GetExperiment("12345").ok());  // failed reads are timed too
  EXPECT_EQ(observer.reads, 2);
  EXPECT_EQ(observer.negative, 0);
  store_->SetTimingObserver(nullptr);
  ASSERT_TRUE(store_->GetExperiment("0").ok());
  EXPECT_EQ(observer.reads, 2);
}

TEST_F(SqliteStoreTest, CreateMakesParentDirectories) {
  std::string path = dir_ + "/a/b/c/ferry.db";
  auto store = SqliteStore::Create(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST_F(SqliteStoreTest, CreateRejectsUnusablePaths) {
  std::string file = dir_ + "/plain_file";
  std::ofstream(file) << "not a directory";
  std::ofstream(dir_ + "/garbage.db") << std::string(4096, 'x');
  struct {
    std::string path;
    absl::StatusCode code;
    std::string message_part;
  } cases[] = {
      {"", absl::StatusCode::kInvalidArgument, "Invalid SQLite database path"},
      {":memory:", absl::StatusCode::kInvalidArgument, "Invalid SQLite database path"},
      {dir_, absl::StatusCode::kFailedPrecondition, "is a directory"},
      {file + "/sub/ferry.db", absl::StatusCode::kFailedPrecondition, file + "/sub/ferry.db"},
      {dir_ + "/garbage.db", absl::StatusCode::kFailedPrecondition, "not a database"},
  };
  for (const auto& c : cases) {
    auto store = SqliteStore::Create(c.path);
    ASSERT_FALSE(store.ok()) << c.path;
    EXPECT_EQ(store.status().code(), c.code) << store.status();
    EXPECT_THAT(store.status().message(), HasSubstr(c.message_part));
  }
}

// Opens `path` as an unprivileged user (forking and dropping root first, if needed) and
// returns the status code and message.
std::pair<absl::StatusCode, std::string> CreateAsUnprivileged(const std::string& path) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::geteuid() == 0 &&
        (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      ::_exit(2);
    }
    absl::Status s = SqliteStore::Create(path).status();
    std::string out = std::to_string(static_cast<int>(s.code())) + " " + std::string(s.message());
    ssize_t written = ::write(fds[1], out.data(), out.size());
    ::_exit(written == static_cast<ssize_t>(out.size()) ? 0 : 3);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof(buf))) > 0;) out.append(buf, n);
  ::close(fds[0]);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) << wstatus;
  size_t space = out.find(' ');
  if (space == std::string::npos) return {absl::StatusCode::kUnknown, out};
  return {static_cast<absl::StatusCode>(std::stoi(out.substr(0, space))), out.substr(space + 1)};
}

TEST_F(SqliteStoreTest, UnwritableLocationsArePermissionDenied) {
  std::string ro = dir_ + "/ro";
  ASSERT_EQ(::mkdir(ro.c_str(), 0555), 0);
  ASSERT_EQ(::chmod(dir_.c_str(), 0755), 0);  // let the unprivileged child traverse
  auto [code, message] = CreateAsUnprivileged(ro + "/ferry.db");
  EXPECT_EQ(code, absl::StatusCode::kPermissionDenied) << message;
  EXPECT_THAT(message, HasSubstr("'" + ro + "' is not writable"));
  std::tie(code, message) = CreateAsUnprivileged(ro + "/sub/ferry.db");
  EXPECT_EQ(code, absl::StatusCode::kPermissionDenied) << message;
  EXPECT_THAT(message, HasSubstr(ro + "/sub/ferry.db"));
  EXPECT_THAT(message, HasSubstr("choose a writable location"));
  ASSERT_EQ(::chmod(db_path_.c_str(), 0444), 0);
  std::tie(code, message) = CreateAsUnprivileged(db_path_);
  EXPECT_EQ(code, absl::StatusCode::kPermissionDenied) << message;
  EXPECT_THAT(message, HasSubstr(db_path_));
  ::chmod(ro.c_str(), 0755);
}

TEST_F(SqliteStoreTest, ReopenKeepsDataAndDoesNotReseed) {
  std::string id = NewExperiment("kept");
  store_.reset();
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  auto e = (*reopened)->GetExperiment(id);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name, "kept");
  ExperimentSearchQuery all;
  all.view_type = ViewType::kAll;
  auto page = (*reopened)->SearchExperiments(all);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->items.size(), 2u);  // Default + kept
  EXPECT_EQ(SchemaVersion(db_path_), sqlite::LatestSchemaVersion());
}

TEST_F(SqliteStoreTest, AppliesMissingMigrationsOnOpen) {
  store_.reset();
  // A database written by a binary that knew one migration less.
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db_path_ + suffix);
  // The migration before the latest (numbers may leave gaps while branches merge).
  const int previous = sqlite::Migrations()[sqlite::Migrations().size() - 2].version;
  BuildOldDatabase(db_path_, previous,
                   "INSERT INTO webhooks (webhook_id, url, events, creation_time) "
                   "VALUES ('w', 'http://h/', '[]', 1);");
  ASSERT_EQ(SchemaVersion(db_path_), previous);
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(SchemaVersion(db_path_), sqlite::LatestSchemaVersion());
  EXPECT_TRUE((*reopened)->PutArtifact({"a/b", "d1", 1, 1}).ok());
  EXPECT_TRUE((*reopened)->GetExperiment("0").ok());
  RegisteredModel model;
  model.name = "m";
  EXPECT_TRUE((*reopened)->CreateRegisteredModel("default", model).ok());
  EXPECT_TRUE((*reopened)->CreateAuthUser("admin", "hash", true).ok());
  EXPECT_TRUE((*reopened)->AppendAudit({}).ok());
  EXPECT_TRUE((*reopened)->GetMetricsAfterStep("r", "m", 0, -1).ok());
  EXPECT_EQ((*reopened)->GetWebhook("w")->workspace, "default");  // webhooks before workspaces
}

TEST_F(SqliteStoreTest, RefusesNewerSchema) {
  store_.reset();
  int newer = sqlite::LatestSchemaVersion() + 5;
  ExecRaw(db_path_, "INSERT INTO schema_version VALUES (" + std::to_string(newer) + ", 'x', 0)");
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(reopened.status().message(), "Database schema version " + std::to_string(newer) +
                                             " is newer than this ferry binary supports (" +
                                             std::to_string(sqlite::LatestSchemaVersion()) +
                                             "); upgrade ferry");
}

TEST_F(SqliteStoreTest, CreateAndGetExperiment) {
  auto id = store_->CreateExperiment("exp", "", "mlflow-artifacts:", {{"k", "v"}}, 1234);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, "1");
  auto e = store_->GetExperiment(*id);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name, "exp");
  EXPECT_EQ(e->artifact_location, "mlflow-artifacts:/1");
  EXPECT_EQ(e->creation_time, 1234);
  EXPECT_EQ(e->last_update_time, 1234);
  EXPECT_EQ(e->tags, (std::vector<ExperimentTag>{{"k", "v"}}));
  auto explicit_loc = store_->CreateExperiment("exp2", "s3://b/x", "ignored", {}, 1);
  ASSERT_TRUE(explicit_loc.ok());
  EXPECT_EQ(store_->GetExperiment(*explicit_loc)->artifact_location, "s3://b/x");
  auto by_name = store_->GetExperimentByName("exp");
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_EQ(by_name->experiment_id, "1");
}

TEST_F(SqliteStoreTest, ExperimentErrors) {
  NewExperiment("dup");
  auto dup = store_->CreateExperiment("dup", "", "", {}, 1);
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(),
            "Experiment(name=dup) already exists. Error: UNIQUE constraint failed: "
            "experiments.workspace, experiments.name");
  EXPECT_EQ(store_->GetExperiment("42").status(),
            absl::NotFoundError("No Experiment with id=42 exists"));
  EXPECT_EQ(store_->GetExperiment("abc").status(),
            absl::NotFoundError("No Experiment with id=abc exists"));
  EXPECT_EQ(store_->GetExperimentByName("nope").status(),
            absl::NotFoundError("Could not find experiment with name 'nope'"));
}

TEST_F(SqliteStoreTest, RenameExperiment) {
  std::string a = NewExperiment("a");
  NewExperiment("b");
  ASSERT_TRUE(store_->RenameExperiment(a, "a2", 5000).ok());
  auto e = store_->GetExperiment(a);
  EXPECT_EQ(e->name, "a2");
  EXPECT_EQ(e->last_update_time, 5000);
  auto clash = store_->RenameExperiment(a, "b", 1);
  EXPECT_EQ(clash.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(clash.message(), HasSubstr("Experiment(name=b) already exists"));
  EXPECT_EQ(store_->RenameExperiment("99", "x", 1).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetExperimentLifecycle(a, LifecycleStage::kDeleted, 1).ok());
  EXPECT_EQ(store_->RenameExperiment(a, "z", 1),
            absl::InvalidArgumentError("Cannot rename a non-active experiment."));
}

TEST_F(SqliteStoreTest, DeleteAndRestoreExperimentCascadeToRuns) {
  std::string exp = NewExperiment("e");
  std::string run = NewRun(exp, 1);
  ASSERT_TRUE(store_->SetExperimentLifecycle(exp, LifecycleStage::kDeleted, 7000).ok());
  EXPECT_EQ(store_->GetExperiment(exp)->lifecycle_stage, LifecycleStage::kDeleted);
  EXPECT_EQ(store_->GetExperiment(exp)->last_update_time, 7000);
  EXPECT_EQ(store_->GetRun(run)->info.lifecycle_stage, LifecycleStage::kDeleted);
  // Deleting twice: MLflow looks the experiment up among active ones only.
  EXPECT_EQ(store_->SetExperimentLifecycle(exp, LifecycleStage::kDeleted, 1),
            absl::NotFoundError("No Experiment with id=" + exp + " exists"));
  ASSERT_TRUE(store_->SetExperimentLifecycle(exp, LifecycleStage::kActive, 8000).ok());
  EXPECT_EQ(store_->GetExperiment(exp)->lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(store_->GetRun(run)->info.lifecycle_stage, LifecycleStage::kActive);
  EXPECT_EQ(store_->SetExperimentLifecycle(exp, LifecycleStage::kActive, 1).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->SetExperimentLifecycle("0", LifecycleStage::kDeleted, 1), absl::OkStatus());
}

TEST_F(SqliteStoreTest, SetExperimentTag) {
  std::string exp = NewExperiment("e");
  ASSERT_TRUE(store_->SetExperimentTag(exp, {"k", "v1"}).ok());
  ASSERT_TRUE(store_->SetExperimentTag(exp, {"k", "v2"}).ok());
  ASSERT_TRUE(store_->SetExperimentTag(exp, {"a", "x"}).ok());
  EXPECT_EQ(store_->GetExperiment(exp)->tags,
            (std::vector<ExperimentTag>{{"a", "x"}, {"k", "v2"}}));
  EXPECT_EQ(store_->SetExperimentTag("77", {"k", "v"}).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetExperimentLifecycle(exp, LifecycleStage::kDeleted, 1).ok());
  EXPECT_EQ(store_->SetExperimentTag(exp, {"k", "v3"}),
            absl::InvalidArgumentError("The experiment " + exp +
                                       " must be in the 'active' state. Current state is "
                                       "deleted."));
}

// `ferry server --sync full` reaches the writer connection: PRAGMA synchronous reads back 2
// (FULL); the default is NORMAL (1).
TEST_F(SqliteStoreTest, SyncFullReachesTheWriter) {
  EXPECT_EQ(*static_cast<SqliteStore&>(*store_).Synchronous(), 1);
  auto full = SqliteStore::Create(dir_ + "/full.db", /*sync_full=*/true);
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(*static_cast<SqliteStore&>(**full).Synchronous(), 2);
  // Commits still work under FULL.
  EXPECT_TRUE((*full)->CreateExperiment("e", "", "mlflow-artifacts:", {}, 1).ok());
}

}  // namespace
}  // namespace ferry::store::sqlite::testing
