#pragma once
// Versioned schema migrations for the SQLite metadata store. Each migration is plain SQL
// that a PostgreSQL port can mirror statement by statement (see the notes in migrations.cc
// on the few SQLite-specific clauses). Applied versions are recorded one row each in
// schema_version(version, description, applied_ms).

#include <cstdint>
#include <span>

#include "common/status.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

struct Migration {
  int version;  // 1, 2, 3, ... in order, never renumbered once released
  const char* description;
  const char* sql;
};

// Every migration this binary knows, in version order.
std::span<const Migration> Migrations();
// The schema version this binary writes (the last migration's version).
int LatestSchemaVersion();

// The highest applied version, 0 for a database without a schema_version table.
absl::StatusOr<int> ReadSchemaVersion(Connection& conn);

// In one IMMEDIATE transaction: applies the migrations the database lacks and, when the
// database was empty (version 0), creates experiment "0" named "Default" with artifact
// location "mlflow-artifacts:/0" at `now_ms`. Returns the version found before migrating.
// kFailedPrecondition if the database's version is newer than LatestSchemaVersion(); the
// database is then left untouched.
absl::StatusOr<int> MigrateSchema(Connection& conn, int64_t now_ms);

}  // namespace ferry::store::sqlite
