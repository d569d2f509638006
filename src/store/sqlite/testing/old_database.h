#pragma once
// A database as an older ferry binary wrote it, for migration tests.

#include <gtest/gtest.h>

#include <string>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite::testing {

// Writes a database at `path` as a binary that knew only migrations 1..`version` would have,
// with its "Default" experiment, then runs `extra_sql` (old data) on it.
inline void BuildOldDatabase(const std::string& path, int version, const std::string& extra_sql) {
  auto conn = Connection::Open(path, ConnectionRole::kWriter);
  ASSERT_TRUE(conn.ok()) << conn.status();
  std::string sql =
      "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT "
      "NULL, applied_ms INTEGER NOT NULL);";
  for (const Migration& m : Migrations()) {
    if (m.version > version) break;
    sql += std::string(m.sql) + "INSERT INTO schema_version VALUES (" + std::to_string(m.version) +
           ", 'old', 1);";
  }
  sql +=
      "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, "
      "creation_time, last_update_time) VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', "
      "1, 1);";
  ASSERT_TRUE((*conn)->Exec(sql + extra_sql).ok());
}

}  // namespace ferry::store::sqlite::testing
