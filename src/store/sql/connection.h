#pragma once
// The connection half of the driver seam (statement.h): what the store code needs from a
// database connection, implemented by sqlite::Connection and postgres::Connection. The store
// holds a Connection& inside a transaction and never names the backend; what differs in the
// SQL text is asked of dialect() (dialect.h).

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "store/sql/dialect.h"
#include "store/sql/statement.h"

namespace ferry::store::sql {

class Connection {
 public:
  virtual ~Connection() = default;

  // A prepared statement for `sql` (placeholders `?` or `?N`), from the connection's cache
  // when possible. The Statement must not outlive this Connection.
  virtual absl::StatusOr<Statement> Prepare(std::string_view sql) = 0;
  // Executes one or more statements without parameters (DDL).
  virtual absl::Status Exec(const std::string& sql) = 0;
  // Transaction control. `immediate` opens a write transaction: it takes the database's
  // single write lock at BEGIN (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
  // transaction lock), so writers serialise and never fail half-way for lock contention.
  virtual absl::Status Begin(bool immediate) = 0;
  virtual absl::Status Commit() = 0;
  // Best effort, and a no-op when no transaction is open.
  virtual void Rollback() = 0;
  // Rows changed by the last INSERT/UPDATE/DELETE run to completion on this connection.
  // (There is no last-insert-id: write `RETURNING id` and read the row instead.)
  virtual int64_t Changes() const = 0;
  virtual Dialect dialect() const = 0;
};

}  // namespace ferry::store::sql
