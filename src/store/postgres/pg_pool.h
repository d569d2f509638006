#pragma once
// A pool of PostgreSQL connections to one database. Unlike SQLite's (one writer plus
// readers), any connection may write: writers serialise on the advisory lock that
// Begin(immediate=true) takes, in this process and in every other server on the database.
// At most `max_open` connections are open; Acquire() waits for one beyond that. A connection
// that libpq reports broken is closed when returned, not pooled.

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "common/status.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_uri.h"

namespace ferry::store::postgres {

class ConnectionPool {
 public:
  ConnectionPool(PgUri uri, size_t max_open);
  ~ConnectionPool();

  // Exclusive use of one connection; returns it to the pool on destruction.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // An idle connection, a new one while fewer than max_open are open, else waits for one to be
  // returned. kUnavailable when a new connection cannot be made.
  absl::StatusOr<Lease> Acquire();

 private:
  void Release(std::unique_ptr<Connection> conn);

  const PgUri uri_;
  const size_t max_open_;
  std::mutex mu_;
  std::condition_variable returned_;
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ferry::store::postgres
