#pragma once
// A pool of read-only connections to one database file. A thread borrows a connection for
// the duration of one store call, so concurrent readers never share a connection (nor its
// statement cache) and, in WAL mode, never block the writer or each other.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/status.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

class ConnectionPool {
 public:
  // Keeps at most `max_idle` idle connections; more are opened under load and closed when
  // returned.
  ConnectionPool(std::string path, size_t max_idle);
  ~ConnectionPool();

  // Exclusive use of one reader connection; returns it to the pool on destruction.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // Borrows an idle connection or opens a new one (errors as Connection::Open).
  absl::StatusOr<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Connection> conn);

  const std::string path_;
  const size_t max_idle_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::store::sqlite
