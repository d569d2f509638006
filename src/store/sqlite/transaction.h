#pragma once
// Definitions of SqliteStore's transaction helpers, included by the store's .cc files.

#include <time.h>

#include <cstdint>
#include <mutex>
#include <type_traits>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::store::sqlite {

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

// Commits when `ok`, else rolls back. Returns the COMMIT error (after rolling back) if any.
inline absl::Status EndTransaction(Connection& conn, bool ok) {
  if (!ok) {
    conn.Rollback();
    return absl::OkStatus();
  }
  absl::Status commit = conn.Commit();
  if (!commit.ok()) conn.Rollback();
  return commit;
}

// Tells `observer` (if any) how long the enclosing scope took.
class TransactionTimer {
 public:
  TransactionTimer(StoreTimingObserver* observer, StoreTimingObserver::Kind kind)
      : observer_(observer), kind_(kind), start_us_(observer ? NowMicros() : 0) {}
  ~TransactionTimer() {
    if (observer_ != nullptr) observer_->OnTransaction(kind_, NowMicros() - start_us_);
  }
  TransactionTimer(const TransactionTimer&) = delete;
  TransactionTimer& operator=(const TransactionTimer&) = delete;

 private:
  static int64_t NowMicros() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t{ts.tv_sec} * 1000000 + ts.tv_nsec / 1000;
  }
  StoreTimingObserver* observer_;
  StoreTimingObserver::Kind kind_;
  int64_t start_us_;
};

template <typename Fn>
auto SqliteStore::InWriteTransaction(Fn&& fn) {
  using Result = std::invoke_result_t<Fn&, sqlite::Connection&>;
  sqlite::TransactionTimer timer(timing_observer_.load(std::memory_order_acquire),
                                 StoreTimingObserver::Kind::kWrite);
  std::lock_guard<std::mutex> lock(write_mu_);
  absl::Status begin = writer_->Begin(/*immediate=*/true);
  if (!begin.ok()) return Result(begin);
  Result result = fn(*writer_);
  absl::Status end = sqlite::EndTransaction(*writer_, sqlite::StatusOf(result).ok());
  if (!end.ok()) return Result(end);
  return result;
}

template <typename Fn>
auto SqliteStore::InReadTransaction(Fn&& fn) {
  using Result = std::invoke_result_t<Fn&, sqlite::Connection&>;
  sqlite::TransactionTimer timer(timing_observer_.load(std::memory_order_acquire),
                                 StoreTimingObserver::Kind::kRead);
  absl::StatusOr<sqlite::ConnectionPool::Lease> lease = readers_->Acquire();
  if (!lease.ok()) return Result(lease.status());
  sqlite::Connection& conn = **lease;
  absl::Status begin = conn.Begin(/*immediate=*/false);
  if (!begin.ok()) return Result(begin);
  Result result = fn(conn);
  absl::Status end = sqlite::EndTransaction(conn, sqlite::StatusOf(result).ok());
  if (!end.ok()) return Result(end);
  return result;
}

}  // namespace ferry::store::sqlite
