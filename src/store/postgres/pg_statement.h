#pragma once
// One prepared statement of the PostgreSQL driver (pg_connection.h), the StatementImpl behind
// a sql::Statement handle. Bound values are kept as text in buffers reused across executions
// (no allocation per row once warm); Step() runs PQexecPrepared on its first call and then
// walks the result's rows.

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/sql/statement.h"

namespace ferry::store::postgres {

class Connection;

class PgStatement final : public sql::StatementImpl {
 public:
  // `sql` is already in PostgreSQL's form ($N placeholders), with `params` parameters.
  PgStatement(Connection* conn, std::string name, std::string sql, int params, bool cached);
  ~PgStatement() override;

  void BindInt(int64_t v) override;
  void BindDouble(double v) override;
  void BindText(std::string_view v, bool copy) override;
  void BindNull() override;
  void Reset() override;
  absl::StatusOr<bool> Step() override;
  int64_t Int(int col) const override;
  double Double(int col) const override;
  bool IsNull(int col) const override;
  std::string_view TextView(int col) const override;
  void Release() override;

  const std::string& name() const { return name_; }
  const std::string& sql() const { return sql_; }
  // The connection session this statement is prepared on (0: not yet).
  int64_t session = 0;
  // A cached statement lent to a Statement handle.
  bool in_use = false;

 private:
  // The next parameter's text buffer, or nullptr (and a remembered error) past the last one.
  std::string* Next();
  // The current row's value in `col`, or nullptr when there is none.
  const char* Value(int col) const;

  Connection* conn_;
  const std::string name_;
  const std::string sql_;
  const int params_;
  const bool cached_;
  std::vector<std::string> values_;
  std::vector<char> null_;  // 1: the parameter is NULL (unbound parameters are NULL)
  std::vector<const char*> pointers_;
  int next_ = 0;
  absl::Status bind_error_;
  PGresult* result_ = nullptr;
  bool executed_ = false;
  int row_ = -1;
  int rows_ = 0;
};

}  // namespace ferry::store::postgres
