// The PostgreSQL driver against a real cluster (tests/scripts/with_postgres.sh).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <thread>

#include "store/postgres/pg_connection.h"
#include "store/postgres/testing/pg_test_env.h"

namespace ferry::store::postgres {
namespace {

using sql::Statement;

class PgDriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = testing::OpenTestConnection();
    ASSERT_TRUE(conn.ok()) << conn.status();
    conn_ = *std::move(conn);
    ASSERT_TRUE(conn_
                    ->Exec("DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS log;"
                           "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, i BIGINT, d DOUBLE "
                           "PRECISION, s TEXT, u TEXT UNIQUE, nn TEXT NOT NULL DEFAULT '');"
                           "CREATE TABLE log (seq BIGSERIAL PRIMARY KEY, who TEXT NOT NULL)")
                    .ok());
  }

  // The single value of a one-row, one-column query.
  std::string Scalar(Connection& conn, std::string_view sql) {
    auto st = conn.Prepare(sql);
    EXPECT_TRUE(st.ok()) << st.status();
    if (!st.ok()) return "<error>";
    auto row = st->Step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return row.ok() && *row ? st->Text(0) : "<none>";
  }

  std::unique_ptr<Connection> conn_;
};

TEST_F(PgDriverTest, TranslatesPlaceholdersOutsideLiterals) {
  auto st = conn_->Prepare("SELECT CAST(?2 AS text) || '?' || CAST(?1 AS text), ?3 + 1");
  ASSERT_TRUE(st.ok()) << st.status();
  st->BindText("a").BindText("b").BindInt(41);
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Text(0), "b?a");
  EXPECT_EQ(st->Int(1), 42);
  EXPECT_FALSE(*st->Step());
}

TEST_F(PgDriverTest, EveryBindTypeRoundTripsIncludingNull) {
  auto ins = conn_->Prepare("INSERT INTO t (i, d, s, u) VALUES (?, ?, ?, ?)");
  ASSERT_TRUE(ins.ok()) << ins.status();
  const std::string ref = "by reference";
  ASSERT_TRUE(ins->BindInt(std::numeric_limits<int64_t>::min())
                  .BindDouble(0.1)
                  .BindTextRef(ref)
                  .BindOptionalText(std::nullopt)
                  .Run()
                  .ok());
  ASSERT_TRUE(ins->Reset()
                  .BindOptionalInt(std::nullopt)
                  .BindNull()
                  .BindText("")
                  .BindOptionalText(std::string("x"))
                  .Run()
                  .ok());
  auto sel = conn_->Prepare("SELECT i, d, s, u FROM t ORDER BY id");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*sel->Step());
  EXPECT_EQ(sel->Int(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(sel->Double(1), 0.1);
  EXPECT_EQ(sel->Text(2), ref);
  EXPECT_TRUE(sel->IsNull(3));
  EXPECT_EQ(sel->OptionalText(3), std::nullopt);
  ASSERT_TRUE(*sel->Step());
  EXPECT_TRUE(sel->IsNull(0));
  EXPECT_EQ(sel->OptionalInt(0), std::nullopt);
  EXPECT_TRUE(sel->IsNull(1));
  EXPECT_FALSE(sel->IsNull(2));  // '' is not NULL (as in SQLite)
  EXPECT_EQ(sel->OptionalText(2), "");
  EXPECT_EQ(sel->OptionalText(3), "x");
  EXPECT_FALSE(*sel->Step());
}

TEST_F(PgDriverTest, DoublesKeepNaNInfinitiesAndEveryBit) {
  const double values[] = {std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           -0.0,
                           1.0 / 3.0};
  auto ins = conn_->Prepare("INSERT INTO t (d) VALUES (?)");
  ASSERT_TRUE(ins.ok());
  for (double v : values) ASSERT_TRUE(ins->Reset().BindDouble(v).Run().ok()) << v;
  auto sel = conn_->Prepare("SELECT d FROM t ORDER BY id");
  ASSERT_TRUE(sel.ok());
  for (double v : values) {
    ASSERT_TRUE(*sel->Step());
    double got = sel->Double(0);
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(got));
    } else {
      EXPECT_EQ(got, v);
      EXPECT_EQ(std::signbit(got), std::signbit(v));
    }
  }
}

TEST_F(PgDriverTest, LongAndUtf8TextRoundTrip) {
  std::string long_text(2 << 20, 'x');
  long_text += "\xF0\x9F\x9A\xA2 f\xC3\xA4hre \xE6\xB8\xA1\xE3\x81\x97 'quoted' \"double\" \\ ?";
  auto ins = conn_->Prepare("INSERT INTO t (s) VALUES (?) RETURNING id, length(s)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(*ins->BindTextRef(long_text).Step());
  EXPECT_GT(ins->Int(0), 0);
  int64_t characters = 0;  // UTF-8 lead bytes
  for (char c : long_text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  EXPECT_EQ(ins->Int(1), characters);  // the server decoded UTF-8
  auto sel = conn_->Prepare("SELECT s FROM t WHERE id = ?");
  ASSERT_TRUE(sel.ok());
  ASSERT_TRUE(*sel->BindInt(ins->Int(0)).Step());
  EXPECT_EQ(sel->Text(0), long_text);
}

TEST_F(PgDriverTest, ConstraintErrorsMapToTheStoreCodes) {
  auto ins = conn_->Prepare("INSERT INTO t (u) VALUES (?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->BindText("same").Run().ok());
  absl::Status dup = ins->Reset().BindText("same").Run();
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists) << dup;
  EXPECT_NE(dup.message().find("23505"), std::string_view::npos) << dup;
  EXPECT_NE(dup.message().find("unique"), std::string_view::npos) << dup;
  auto null = conn_->Prepare("INSERT INTO t (nn) VALUES (?)");
  ASSERT_TRUE(null.ok());
  absl::Status not_null = null->BindNull().Run();
  EXPECT_EQ(not_null.code(), absl::StatusCode::kInvalidArgument) << not_null;
  EXPECT_NE(not_null.message().find("23502"), std::string_view::npos) << not_null;
  auto bad = conn_->Prepare("SELEC 1");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(bad.status().message().find("42601"), std::string_view::npos) << bad.status();
}

TEST_F(PgDriverTest, ChangesCountsWritesOnly) {
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (i) VALUES (1), (1), (2)").ok());
  auto upd = conn_->Prepare("UPDATE t SET s = 'x' WHERE i = ?");
  ASSERT_TRUE(upd.ok());
  ASSERT_TRUE(upd->BindInt(1).Run().ok());
  EXPECT_EQ(conn_->Changes(), 2);
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "3");
  EXPECT_EQ(conn_->Changes(), 2);  // a SELECT leaves it, as in SQLite
}

TEST_F(PgDriverTest, RollbackDiscardsAndAFailedTransactionCannotCommit) {
  ASSERT_TRUE(conn_->Begin(true).ok());
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (u) VALUES ('gone')").ok());
  conn_->Rollback();
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "0");
  conn_->Rollback();  // no transaction: a no-op

  ASSERT_TRUE(conn_->Begin(true).ok());
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (u) VALUES ('a')").ok());
  EXPECT_FALSE(conn_->Exec("INSERT INTO t (u) VALUES ('a')").ok());
  absl::Status commit = conn_->Commit();
  EXPECT_EQ(commit.code(), absl::StatusCode::kAborted) << commit;
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "0");
}

TEST_F(PgDriverTest, StatementsInterleaveAndNestedPreparesOfOneSqlWork) {
  ASSERT_TRUE(conn_->Exec("INSERT INTO t (i) VALUES (1), (2), (3)").ok());
  const char* kSql = "SELECT i FROM t WHERE i >= ? ORDER BY i";
  auto outer = conn_->Prepare(kSql);
  ASSERT_TRUE(outer.ok());
  outer->BindInt(1);
  int64_t sum = 0;
  while (*outer->Step()) {
    auto inner = conn_->Prepare(kSql);  // the cached copy is in use: a one-use statement
    ASSERT_TRUE(inner.ok()) << inner.status();
    inner->BindInt(outer->Int(0));
    while (*inner->Step()) sum += inner->Int(0);
    auto upd = conn_->Prepare("UPDATE t SET s = 'seen' WHERE i = ?");
    ASSERT_TRUE(upd.ok());
    ASSERT_TRUE(upd->BindInt(outer->Int(0)).Run().ok());
  }
  EXPECT_EQ(sum, (1 + 2 + 3) + (2 + 3) + 3);
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t WHERE s = 'seen'"), "3");
}

TEST_F(PgDriverTest, TooManyBindsIsAnError) {
  auto st = conn_->Prepare("SELECT CAST(? AS bigint)");
  ASSERT_TRUE(st.ok());
  absl::StatusOr<bool> row = st->BindInt(1).BindInt(2).Step();
  EXPECT_FALSE(row.ok());
}

// Write transactions serialise on the advisory lock: B's BEGIN waits for A's commit, and B
// then sees everything A wrote. Read transactions do not wait.
TEST_F(PgDriverTest, AdvisoryLockSerialisesWriteTransactions) {
  auto b = testing::OpenTestConnection();
  auto watcher = testing::OpenTestConnection();
  ASSERT_TRUE(b.ok() && watcher.ok());
  auto log = [](Connection& conn, const char* who) {
    auto st = conn.Prepare("INSERT INTO log (who) VALUES (?)");
    return st.ok() ? st->BindText(who).Run() : st.status();
  };
  ASSERT_TRUE(conn_->Begin(/*immediate=*/true).ok());
  ASSERT_TRUE(log(*conn_, "a1").ok());

  std::string b_saw;
  absl::Status b_status;
  std::thread writer([&] {
    b_status = (*b)->Begin(/*immediate=*/true);
    if (!b_status.ok()) return;
    b_saw = Scalar(**b, "SELECT string_agg(who, ',' ORDER BY seq) FROM log");
    b_status = log(**b, "b");
    if (b_status.ok()) b_status = (*b)->Commit();
  });
  // Wait until B is blocked on the lock (pg_locks shows its ungranted request).
  std::string waiting;
  for (int i = 0; i < 3000 && waiting != "1"; ++i) {
    waiting = Scalar(**watcher,
                     "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    if (waiting != "1") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(waiting, "1");
  // A reader is not blocked by the writer.
  ASSERT_TRUE((*watcher)->Begin(/*immediate=*/false).ok());
  EXPECT_EQ(Scalar(**watcher, "SELECT count(*) FROM log"), "0");  // A has not committed
  (*watcher)->Rollback();

  ASSERT_TRUE(log(*conn_, "a2").ok());
  ASSERT_TRUE(conn_->Commit().ok());
  writer.join();
  ASSERT_TRUE(b_status.ok()) << b_status;
  EXPECT_EQ(b_saw, "a1,a2");
  EXPECT_EQ(Scalar(*conn_, "SELECT string_agg(who, ',' ORDER BY seq) FROM log"), "a1,a2,b");
}

// A writer that cannot get the lock within lock_timeout fails with kUnavailable (SQLite's
// busy timeout gives the same), and its connection is left usable.
TEST_F(PgDriverTest, WriterLockTimeoutIsUnavailableAndLeavesTheConnectionUsable) {
  auto b = testing::OpenTestConnection();
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE((*b)->Exec("SET lock_timeout = '50ms'").ok());
  ASSERT_TRUE(conn_->Begin(/*immediate=*/true).ok());
  absl::Status busy = (*b)->Begin(/*immediate=*/true);
  EXPECT_EQ(busy.code(), absl::StatusCode::kUnavailable) << busy;
  EXPECT_NE(busy.message().find("55P03"), std::string_view::npos) << busy;
  ASSERT_TRUE(conn_->Commit().ok());
  ASSERT_TRUE((*b)->Begin(/*immediate=*/true).ok());
  EXPECT_EQ(Scalar(**b, "SELECT count(*) FROM t"), "0");
  ASSERT_TRUE((*b)->Commit().ok());
}

TEST_F(PgDriverTest, ReadTransactionIsOneSnapshot) {
  auto other = testing::OpenTestConnection();
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(conn_->Begin(/*immediate=*/false).ok());
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "0");
  ASSERT_TRUE((*other)->Exec("INSERT INTO t (i) VALUES (1)").ok());
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "0");
  EXPECT_FALSE(conn_->Exec("INSERT INTO t (i) VALUES (2)").ok());  // read only
  conn_->Rollback();
  EXPECT_EQ(Scalar(*conn_, "SELECT count(*) FROM t"), "1");
}

// The server ends this connection's session (as a restart or an idle kill would): the
// statement in flight fails with kUnavailable, and the next transaction reconnects and runs
// the cached statements again.
TEST_F(PgDriverTest, ReconnectsAfterTheServerDropsTheSession) {
  auto killer = testing::OpenTestConnection();
  ASSERT_TRUE(killer.ok());
  const char* kCount = "SELECT count(*) FROM t WHERE i IS NULL OR i <> ?";
  auto kill = [&] {
    auto st = (*killer)->Prepare("SELECT pg_terminate_backend(?)");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->BindInt(conn_->BackendPid()).Run().ok());
  };
  {
    auto st = conn_->Prepare(kCount);  // cached on the first session
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(*st->BindInt(0).Step());
  }
  ASSERT_TRUE(conn_->Begin(false).ok());
  kill();
  auto st = conn_->Prepare("SELECT 1");
  absl::Status lost = st.ok() ? st->Run() : st.status();
  EXPECT_EQ(lost.code(), absl::StatusCode::kUnavailable) << lost;
  conn_->Rollback();
  ASSERT_TRUE(conn_->Begin(false).ok());  // reconnects
  ASSERT_TRUE(conn_->Commit().ok());

  const int old_pid = conn_->BackendPid();
  ASSERT_NE(old_pid, 0);
  kill();  // idle this time: the next Begin finds out and reconnects
  ASSERT_TRUE(conn_->Begin(false).ok());
  EXPECT_NE(conn_->BackendPid(), old_pid);
  auto again = conn_->Prepare(kCount);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(*again->BindInt(0).Step());
  EXPECT_EQ(again->Int(0), 0);
  ASSERT_TRUE(conn_->Commit().ok());
}

// The server restarts (pg_ctl restart): every session is gone. The next transaction
// reconnects and the cached statement is prepared again on the new session.
TEST_F(PgDriverTest, ReconnectsAfterTheServerRestarts) {
  const char* restart = std::getenv("FERRY_TEST_PG_RESTART");
  ASSERT_NE(restart, nullptr) << "run through tests/scripts/with_postgres.sh";
  const char* kSql = "SELECT count(*) + ? FROM t";
  {
    auto st = conn_->Prepare(kSql);
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(*st->BindInt(1).Step());
  }
  const int old_pid = conn_->BackendPid();
  ASSERT_EQ(std::system(restart), 0);
  ASSERT_TRUE(conn_->Begin(/*immediate=*/true).ok());
  EXPECT_NE(conn_->BackendPid(), old_pid);
  auto st = conn_->Prepare(kSql);
  ASSERT_TRUE(st.ok()) << st.status();
  ASSERT_TRUE(*st->BindInt(1).Step());
  EXPECT_EQ(st->Int(0), 1);
  ASSERT_TRUE(conn_->Commit().ok());
}

TEST_F(PgDriverTest, PasswordWithSpecialCharacters) {
  ASSERT_TRUE(conn_
                  ->Exec("DROP ROLE IF EXISTS \"ferry user\";"
                         "CREATE ROLE \"ferry user\" LOGIN PASSWORD 'p@ss:w/rd%?#& ''x\"';")
                  .ok());
  auto base = testing::TestUri();
  ASSERT_TRUE(base.ok());
  std::string uri = "postgresql+psycopg2://ferry%20user:p%40ss%3Aw%2Frd%25%3F%23%26%20'x%22@" +
                    base->host + ":" + base->port + "/" + base->dbname;
  auto parsed = ParsePgUri(uri);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto conn = Connection::Open(*parsed);
  ASSERT_TRUE(conn.ok()) << conn.status();
  EXPECT_EQ(Scalar(**conn, "SELECT current_user"), "ferry user");

  parsed->password = "wrong-password-123";
  auto refused = Connection::Open(*parsed);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(refused.status().message().find("wrong-password-123"), std::string_view::npos);
  EXPECT_NE(refused.status().message().find(base->port), std::string_view::npos);
}

TEST_F(PgDriverTest, NoServerIsUnavailable) {
  auto uri = ParsePgUri("postgresql://u:secret@127.0.0.1:1/d?connect_timeout=2");
  ASSERT_TRUE(uri.ok());
  auto conn = Connection::Open(*uri);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(conn.status().message().find("secret"), std::string_view::npos);
}

}  // namespace
}  // namespace ferry::store::postgres
