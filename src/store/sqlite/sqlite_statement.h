#pragma once
// One prepared SQLite statement, the StatementImpl behind a sql::Statement handle (the store's
// driver seam, store/sql/statement.h). Cached statements live in their Connection's cache and
// are lent out (in_use); a one-use statement is finalized when its handle releases it.

#include <sqlite3.h>

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "store/sql/statement.h"

namespace ferry::store::sqlite {

class SqliteStatement final : public sql::StatementImpl {
 public:
  SqliteStatement(sqlite3_stmt* stmt, bool cached) : stmt_(stmt), cached_(cached) {}
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void BindInt(int64_t v) override { Bound(sqlite3_bind_int64(stmt_, next_index_++, v)); }
  // NaN would become NULL in SQLite: callers map it first.
  void BindDouble(double v) override { Bound(sqlite3_bind_double(stmt_, next_index_++, v)); }
  void BindText(std::string_view v, bool copy) override {
    Bound(sqlite3_bind_text64(stmt_, next_index_++, v.data(), v.size(),
                              copy ? SQLITE_TRANSIENT : SQLITE_STATIC, SQLITE_UTF8));
  }
  void BindNull() override { Bound(sqlite3_bind_null(stmt_, next_index_++)); }
  void Reset() override;
  absl::StatusOr<bool> Step() override;
  int64_t Int(int col) const override { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const override { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string_view TextView(int col) const override;
  // A cached statement is reset and returned to the cache; a one-use one deletes itself.
  void Release() override;

  // A cached statement lent to a Statement handle.
  bool in_use = false;

 private:
  // Remembers the first binding error, reported by the next Step().
  void Bound(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3_stmt* stmt_;
  const bool cached_;
  int next_index_ = 1;
  int bind_rc_ = SQLITE_OK;
};

}  // namespace ferry::store::sqlite
