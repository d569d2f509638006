// SqliteStore's AuditStore: appends, the filters of a listing, newest first, paging by id,
// and that rows outlive the store that wrote them.

#include "store/sqlite/testing/sqlite_test_util.h"

namespace ferry::store::sqlite {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using testing::SqliteStoreTest;

class SqliteAuditTest : public SqliteStoreTest {
 protected:
  int64_t Append(const std::string& user, int64_t ts, int status = 200) {
    AuditRecord r{0,
                  ts,
                  user,
                  "127.0.0.1",
                  "POST",
                  "/api/2.0/mlflow/runs/create",
                  status,
                  "req-" + user,
                  "experiment 1"};
    auto id = store_->AppendAudit(r);
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }
  std::vector<AuditRecord> List(AuditFilter filter) {
    auto got = store_->ListAudit(filter);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.value_or(std::vector<AuditRecord>{});
  }
};

TEST_F(SqliteAuditTest, AppendsAndListsNewestFirst) {
  int64_t first = Append("alice", 1000);
  int64_t second = Append("-", 2000, 401);
  EXPECT_GT(second, first);
  std::vector<AuditRecord> all = List({});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, second);
  EXPECT_EQ(all[0].user, "-");
  EXPECT_EQ(all[0].status, 401);
  const AuditRecord& a = all[1];
  EXPECT_EQ(a.timestamp_ms, 1000);
  EXPECT_EQ(a.user, "alice");
  EXPECT_EQ(a.address, "127.0.0.1");
  EXPECT_EQ(a.method, "POST");
  EXPECT_EQ(a.path, "/api/2.0/mlflow/runs/create");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.request_id, "req-alice");
  EXPECT_EQ(a.resource, "experiment 1");
}

TEST_F(SqliteAuditTest, FiltersByUserAndTime) {
  Append("alice", 1000);
  Append("bob", 2000);
  Append("alice", 3000);
  Append("alice", 4000);
  AuditFilter alice;
  alice.user = "alice";
  EXPECT_THAT(List(alice), ElementsAre(Field(&AuditRecord::timestamp_ms, 4000),
                                       Field(&AuditRecord::timestamp_ms, 3000),
                                       Field(&AuditRecord::timestamp_ms, 1000)));
  AuditFilter window;
  window.since_ms = 2000;
  window.until_ms = 4000;  // exclusive
  EXPECT_THAT(List(window), ElementsAre(Field(&AuditRecord::timestamp_ms, 3000),
                                        Field(&AuditRecord::timestamp_ms, 2000)));
  alice.since_ms = 2000;
  alice.until_ms = 4000;
  EXPECT_THAT(List(alice), ElementsAre(Field(&AuditRecord::timestamp_ms, 3000)));
}

TEST_F(SqliteAuditTest, PagesBackwardsById) {
  for (int i = 1; i <= 5; ++i) Append("alice", i * 1000);
  AuditFilter page;
  page.max_results = 2;
  std::vector<AuditRecord> one = List(page);
  ASSERT_EQ(one.size(), 2u);
  EXPECT_EQ(one[1].timestamp_ms, 4000);
  page.before_id = one.back().id;
  std::vector<AuditRecord> two = List(page);
  EXPECT_THAT(two, ElementsAre(Field(&AuditRecord::timestamp_ms, 3000),
                               Field(&AuditRecord::timestamp_ms, 2000)));
  page.before_id = two.back().id;
  EXPECT_THAT(List(page), ElementsAre(Field(&AuditRecord::timestamp_ms, 1000)));
  page.max_results = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(store_->ListAudit(page).status()));
}

TEST_F(SqliteAuditTest, RowsSurviveReopening) {
  Append("alice", 1000);
  store_.reset();
  auto reopened = SqliteStore::Create(db_path_);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = std::move(*reopened);
  EXPECT_THAT(List({}), ElementsAre(Field(&AuditRecord::user, "alice")));
}

}  // namespace
}  // namespace ferry::store::sqlite
