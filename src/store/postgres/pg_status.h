#pragma once
// PostgreSQL errors as the canonical Status codes the store already answers with for SQLite
// (sqlite::SqliteStatus), so that the same store code maps them to the same API errors:
//   23505 unique_violation -> kAlreadyExists, other 23xxx (not null, foreign key, check)
//   -> kInvalidArgument, 40001/40P01/55P03 (serialization failure, deadlock, lock timeout) ->
//   kUnavailable, 08xxx and 57P0x (connection lost, server shutting down), 53300 (too many
//   connections) and no result at all -> kUnavailable, 53xxx -> kResourceExhausted, 42501/28xxx ->
//   kPermissionDenied, 22xxx (bad data) -> kInvalidArgument, anything else -> kInternal.
// The message carries the server's message, its SQLSTATE and `context` (never a password).

#include <libpq-fe.h>

#include <string_view>

#include "common/status.h"

namespace ferry::store::postgres {

// The canonical code for a SQLSTATE (5 characters).
absl::StatusCode CodeForSqlState(std::string_view sqlstate);

// The Status for a failed `result` (may be null: the connection is gone) on `conn`.
absl::Status PgStatus(const PGresult* result, PGconn* conn, std::string_view context);

}  // namespace ferry::store::postgres
