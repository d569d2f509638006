#pragma once
// The SQL dialects of the metadata store's drivers. The store's SQL is written once, in the
// subset both databases accept (`?` placeholders, ON CONFLICT, RETURNING, CTEs, window
// functions); what differs is asked of the connection's dialect. The table of constructs and
// their mapping is in docs/ARCHITECTURE.md ("PostgreSQL: the dialect table").

#include <string_view>

namespace ferry::store::sql {

enum class Dialect { kSqlite, kPostgres };

inline std::string_view DialectName(Dialect d) {
  return d == Dialect::kSqlite ? "sqlite" : "postgresql";
}

}  // namespace ferry::store::sql
