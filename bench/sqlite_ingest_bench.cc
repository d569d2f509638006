// The "physical limit" for metric ingest: the rows Ferry's log-batch writes, inserted straight
// into SQLite with no HTTP, JSON or service layer. Same schema (Ferry's own migrations), same
// statements as the store (metrics insert + one latest_metrics upsert per key), WAL,
// synchronous=NORMAL, one transaction per 1000 rows (10 keys x 100 steps) like one request.
//
// items_per_second is metric rows per second. The argument toggles foreign_keys.
// BM_StoreDriverIngest writes the same rows through the store's driver (sqlite::Connection and
// the sql::Statement handle: cached statements, Reset + BindTextRef/BindInt/BindDouble + Run,
// as SqliteStore::LogBatch does), so the driver layer's cost is the gap to BM_SqliteIngest.

#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>

#include "common/fs.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace {

constexpr int kKeys = 10;
constexpr int kSteps = 100;
constexpr char kRunId[] = "0123456789abcdef0123456789abcdef";
constexpr std::array<const char*, kKeys> kKeyNames = {
    "loss",      "accuracy",   "val_loss",   "val_accuracy", "learning_rate",
    "grad_norm", "epoch_time", "throughput", "gpu_util",     "gpu_memory_mb"};

constexpr char kInsertMetric[] =
    "INSERT INTO metrics (run_uuid, key, timestamp, step, value, is_nan) "
    "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING";
constexpr char kUpsertLatest[] =
    "INSERT INTO latest_metrics (run_uuid, key, value, timestamp, step, is_nan) "
    "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (run_uuid, key) DO UPDATE SET "
    "value = excluded.value, timestamp = excluded.timestamp, "
    "step = excluded.step, is_nan = excluded.is_nan "
    "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
    "(latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)";

// The experiment and run the rows belong to (columns named: migrations add columns).
constexpr char kSeedRun[] =
    "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
    "creation_time, last_update_time) VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', 0, "
    "0);"
    "INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, end_time, "
    "artifact_uri, lifecycle_stage, deleted_time) VALUES ('0123456789abcdef0123456789abcdef', "
    "'r', 0, 'u', 'RUNNING', 0, NULL, 'mlflow-artifacts:/0/r/artifacts', 'active', NULL);";

void Check(int rc, sqlite3* db, benchmark::State& state) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) state.SkipWithError(sqlite3_errmsg(db));
}

class Database {
 public:
  Database(bool foreign_keys, benchmark::State& state) {
    absl::StatusOr<ferry::TempDir> dir = ferry::TempDir::Create("ferry-sqlite");
    if (!dir.ok()) state.SkipWithError(dir.status().ToString().c_str());
    if (dir.ok()) dir_.emplace(std::move(*dir));
    std::string path = dir_ ? dir_->path() : "";
    Check(sqlite3_open((path + "/bench.db").c_str(), &db_), db_, state);
    std::string setup =
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-16384; PRAGMA foreign_keys=";
    setup += foreign_keys ? "ON;" : "OFF;";
    for (const ferry::store::sqlite::Migration& m : ferry::store::sqlite::Migrations())
      setup += m.sql;
    setup += kSeedRun;
    Check(sqlite3_exec(db_, setup.c_str(), nullptr, nullptr, nullptr), db_, state);
    Check(sqlite3_prepare_v2(db_, kInsertMetric, -1, &insert_, nullptr), db_, state);
    Check(sqlite3_prepare_v2(db_, kUpsertLatest, -1, &upsert_, nullptr), db_, state);
  }
  ~Database() {
    sqlite3_finalize(insert_);
    sqlite3_finalize(upsert_);
    sqlite3_close(db_);
  }

  // One log-batch worth of rows in one transaction.
  int WriteBatch(int64_t batch, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> uniform(0, 1);
    int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    std::array<double, kKeys> last{};
    int64_t step = 0;
    for (int s = 0; s < kSteps && rc == SQLITE_OK; ++s) {
      step = batch * kSteps + s;
      for (int k = 0; k < kKeys && rc == SQLITE_OK; ++k) {
        last[k] = uniform(rng);
        rc = Run(insert_, false, k, step, last[k]);
      }
    }
    for (int k = 0; k < kKeys && rc == SQLITE_OK; ++k) rc = Run(upsert_, true, k, step, last[k]);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  }

  sqlite3* db() const { return db_; }

 private:
  // The metrics insert binds (run, key, timestamp, step, value), the latest_metrics upsert
  // (run, key, value, timestamp, step), as the store does.
  static int Run(sqlite3_stmt* st, bool latest, int key, int64_t step, double value) {
    const int64_t timestamp = 1700000000000 + step;
    sqlite3_bind_text(st, 1, kRunId, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, kKeyNames[key], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, latest ? 4 : 3, timestamp);
    sqlite3_bind_int64(st, latest ? 5 : 4, step);
    sqlite3_bind_double(st, latest ? 3 : 5, value);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }

  std::optional<ferry::TempDir> dir_;  // removed after db_ is closed
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
};

void BM_SqliteIngest(benchmark::State& state) {
  Database db(state.range(0) != 0, state);
  std::mt19937_64 rng(42);
  int64_t batch = 0;
  for (auto _ : state) {
    int rc = db.WriteBatch(batch++, rng);
    if (rc != SQLITE_OK) {
      state.SkipWithError(sqlite3_errmsg(db.db()));
      break;
    }
  }
  state.SetItemsProcessed(batch * kKeys * kSteps);
  state.counters["rows_per_txn"] = kKeys * kSteps;
}
BENCHMARK(BM_SqliteIngest)->ArgName("foreign_keys")->Arg(0)->Arg(1)->MinTime(2.0)->UseRealTime();

// The same schema and rows through the store's driver (foreign keys on, as the store runs).
class DriverDatabase {
 public:
  explicit DriverDatabase(benchmark::State& state) {
    namespace sqlite = ferry::store::sqlite;
    absl::StatusOr<ferry::TempDir> dir = ferry::TempDir::Create("ferry-sqlite");
    if (!dir.ok()) state.SkipWithError(dir.status().ToString().c_str());
    if (!dir.ok()) return;
    dir_.emplace(std::move(*dir));
    auto conn =
        sqlite::Connection::Open(dir_->path() + "/bench.db", sqlite::ConnectionRole::kWriter);
    if (!conn.ok()) state.SkipWithError(conn.status().ToString().c_str());
    if (!conn.ok()) return;
    conn_ = *std::move(conn);
    std::string setup;
    for (const sqlite::Migration& m : sqlite::Migrations()) setup += m.sql;
    setup += kSeedRun;
    absl::Status st = conn_->Exec(setup);
    if (!st.ok()) state.SkipWithError(st.ToString().c_str());
  }

  absl::Status WriteBatch(int64_t batch, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> uniform(0, 1);
    RETURN_IF_ERROR(conn_->Begin(/*immediate=*/true));
    std::array<double, kKeys> last{};
    int64_t step = 0;
    {
      ASSIGN_OR_RETURN(auto insert, conn_->Prepare(kInsertMetric));
      for (int s = 0; s < kSteps; ++s) {
        step = batch * kSteps + s;
        for (int k = 0; k < kKeys; ++k) {
          last[k] = uniform(rng);
          RETURN_IF_ERROR(insert.Reset()
                              .BindTextRef(kRunId)
                              .BindTextRef(kKeyNames[k])
                              .BindInt(1700000000000 + step)
                              .BindInt(step)
                              .BindDouble(last[k])
                              .Run());
        }
      }
      ASSIGN_OR_RETURN(auto upsert, conn_->Prepare(kUpsertLatest));
      for (int k = 0; k < kKeys; ++k) {
        RETURN_IF_ERROR(upsert.Reset()
                            .BindTextRef(kRunId)
                            .BindTextRef(kKeyNames[k])
                            .BindDouble(last[k])
                            .BindInt(1700000000000 + step)
                            .BindInt(step)
                            .Run());
      }
    }
    return conn_->Commit();
  }

 private:
  std::optional<ferry::TempDir> dir_;
  std::unique_ptr<ferry::store::sqlite::Connection> conn_;  // closed before dir_ is removed
};

void BM_StoreDriverIngest(benchmark::State& state) {
  DriverDatabase db(state);
  std::mt19937_64 rng(42);
  int64_t batch = 0;
  for (auto _ : state) {
    absl::Status st = db.WriteBatch(batch++, rng);
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(batch * kKeys * kSteps);
}
BENCHMARK(BM_StoreDriverIngest)->MinTime(2.0)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
