#include "store/sqlite/sqlite_statement.h"

#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  next_index_ = 1;
  bind_rc_ = SQLITE_OK;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteStatus(bind_rc_, sqlite3_db_handle(stmt_), "bind");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, sqlite3_db_handle(stmt_), "step");
}

std::string_view SqliteStatement::TextView(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

void SqliteStatement::Release() {
  if (!cached_) {
    delete this;  // finalizes
    return;
  }
  Reset();
  in_use = false;
}

}  // namespace ferry::store::sqlite
