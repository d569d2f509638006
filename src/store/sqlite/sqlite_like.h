#pragma once
// SQL LIKE matching with explicit case handling. SQLite's built-in LIKE is case-insensitive
// for ASCII unless the connection-global PRAGMA case_sensitive_like is set, while MLflow's
// LIKE must be case-sensitive and ILIKE case-insensitive in the same query. So searches call
// ferry_like(value, pattern, case_insensitive) instead.

#include <sqlite3.h>

#include <string_view>

#include "common/status.h"

namespace ferry::store::sqlite {

// `%` matches any sequence of characters (including none), `_` exactly one UTF-8 character;
// every other byte matches itself (ASCII letters ignoring case when `case_insensitive`).
// There is no escape character, as in SQLite's LIKE without ESCAPE.
bool LikeMatch(std::string_view value, std::string_view pattern, bool case_insensitive);

// Registers the deterministic SQL function ferry_like(value, pattern, case_insensitive) on
// `db`. It returns NULL when value or pattern is NULL, else 1 or 0.
absl::Status RegisterLikeFunction(sqlite3* db);

}  // namespace ferry::store::sqlite
