#pragma once
// The store writes SQL with SQLite's placeholders (`?` numbered in order, or `?N`);
// PostgreSQL wants `$N`. TranslatePlaceholders rewrites them outside string literals
// ('...', E'...' with backslash escapes), quoted identifiers ("..."), dollar-quoted strings
// and comments. A bare `?` takes the largest number used so far plus one, as in SQLite.
// PostgreSQL's jsonb operators `?`, `?|` and `?&` cannot be written in store SQL: use
// jsonb_exists(), jsonb_exists_any() and jsonb_exists_all().

#include <string>
#include <string_view>

namespace ferry::store::postgres {

struct TranslatedSql {
  std::string sql;
  int params = 0;  // the highest parameter number
};

TranslatedSql TranslatePlaceholders(std::string_view sql);

}  // namespace ferry::store::postgres
