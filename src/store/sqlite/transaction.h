#pragma once
// Definitions of SqliteStore's transaction helpers, included by the store's .cc files.

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

template <typename Fn>
auto SqliteStore::InWriteTransaction(Fn&& fn) {
  using Result = std::invoke_result_t<Fn&, sqlite::Connection&>;
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
