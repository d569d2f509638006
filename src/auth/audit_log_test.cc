// AuditLog over the SQLite store: entries are stamped with the clock, listed newest first,
// paged with tokens that stay right while entries are appended, and bad queries refused.

#include "auth/audit_log.h"

#include <gtest/gtest.h>

#include "common/testing/fake_clock.h"
#include "common/testing/test_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::auth {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Create(dir_.path() + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    log_ = std::make_unique<AuditLog>(store_.get(), &clock_);
  }
  void Record(const std::string& user, const std::string& path) {
    store::AuditRecord entry;
    entry.user = user;
    entry.method = "POST";
    entry.path = path;
    entry.status = 200;
    entry.timestamp_ms = 42;  // replaced by the clock's time
    ASSERT_TRUE(log_->Record(entry).ok());
    clock_.AdvanceMillis(10);
  }

  ferry::testing::TestDir dir_{"audit"};
  ferry::testing::FakeClock clock_;
  std::unique_ptr<store::MetadataBackend> store_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, StampsWithTheClock) {
  const int64_t now = clock_.NowMillis();
  Record("alice", "/a");
  auto page = log_->List({});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].timestamp_ms, now);
  EXPECT_EQ(page->next_page_token, "");
}

TEST_F(AuditLogTest, PagesNewestFirstWhileEntriesAreAppended) {
  for (const char* path : {"/1", "/2", "/3", "/4", "/5"}) Record("alice", path);
  AuditQuery query;
  query.max_results = 2;
  auto first = log_->List(query);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->entries.size(), 2u);
  EXPECT_EQ(first->entries[0].path, "/5");
  EXPECT_EQ(first->entries[1].path, "/4");
  ASSERT_NE(first->next_page_token, "");

  Record("alice", "/6");  // newer: not on the following pages
  query.page_token = first->next_page_token;
  auto second = log_->List(query);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->entries.size(), 2u);
  EXPECT_EQ(second->entries[0].path, "/3");
  query.page_token = second->next_page_token;
  auto last = log_->List(query);
  ASSERT_TRUE(last.ok()) << last.status();
  ASSERT_EQ(last->entries.size(), 1u);
  EXPECT_EQ(last->entries[0].path, "/1");
  EXPECT_EQ(last->next_page_token, "");
}

TEST_F(AuditLogTest, FiltersAndRefusesBadQueries) {
  const int64_t start = clock_.NowMillis();
  Record("alice", "/1");
  Record("bob", "/2");
  Record("alice", "/3");
  AuditQuery query;
  query.user = "alice";
  query.since_ms = start + 5;
  auto page = log_->List(query);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].path, "/3");

  for (int64_t bad : {int64_t{0}, int64_t{-1}, kMaxAuditPage + 1}) {
    AuditQuery q;
    q.max_results = bad;
    EXPECT_TRUE(absl::IsInvalidArgument(log_->List(q).status())) << bad;
  }
  for (const char* bad : {"x", "12x", "-3", "0"}) {
    AuditQuery q;
    q.page_token = bad;
    EXPECT_TRUE(absl::IsInvalidArgument(log_->List(q).status())) << bad;
  }
  AuditQuery full;
  full.max_results = kMaxAuditPage;
  EXPECT_TRUE(log_->List(full).ok());
}

}  // namespace
}  // namespace ferry::auth
