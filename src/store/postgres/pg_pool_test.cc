#include "store/postgres/pg_pool.h"

#include <gtest/gtest.h>

#include <thread>

#include "store/postgres/testing/pg_test_env.h"

namespace ferry::store::postgres {
namespace {

TEST(PgPool, WaitsForAReturnedConnectionBeyondMaxOpen) {
  auto uri = testing::TestUri();
  ASSERT_TRUE(uri.ok()) << uri.status();
  ConnectionPool pool(*uri, 2);
  auto first = pool.Acquire();
  auto second = pool.Acquire();
  ASSERT_TRUE(first.ok() && second.ok());
  const int first_pid = (*first)->BackendPid();
  ASSERT_NE(first_pid, (*second)->BackendPid());
  int third_pid = 0;
  std::thread waiter([&] {
    auto third = pool.Acquire();  // blocks: two are open
    if (third.ok()) third_pid = (*third)->BackendPid();
  });
  { auto returned = *std::move(first); }  // the lease ends: the waiter gets this connection
  waiter.join();
  EXPECT_EQ(third_pid, first_pid);
}

TEST(PgPool, AnyConnectionWritesAndBrokenOnesAreNotPooled) {
  auto uri = testing::TestUri();
  ASSERT_TRUE(uri.ok());
  ConnectionPool pool(*uri, 2);
  int pid = 0;
  {
    auto lease = pool.Acquire();
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE((*lease)->Exec("CREATE TABLE IF NOT EXISTS pool_t (x int)").ok());
    ASSERT_TRUE((*lease)->Begin(/*immediate=*/true).ok());
    ASSERT_TRUE((*lease)->Exec("INSERT INTO pool_t VALUES (1)").ok());
    ASSERT_TRUE((*lease)->Commit().ok());
    pid = (*lease)->BackendPid();
    auto killer = testing::OpenTestConnection();
    ASSERT_TRUE(killer.ok());
    ASSERT_TRUE((*killer)->Exec("SELECT pg_terminate_backend(" + std::to_string(pid) + ")").ok());
    EXPECT_FALSE((*lease)->Exec("SELECT 1").ok());  // libpq now knows it is broken
  }
  auto next = pool.Acquire();
  ASSERT_TRUE(next.ok());
  EXPECT_NE((*next)->BackendPid(), pid);
  EXPECT_TRUE((*next)->Exec("SELECT 1").ok());
}

}  // namespace
}  // namespace ferry::store::postgres
