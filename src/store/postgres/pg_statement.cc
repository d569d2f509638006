#include "store/postgres/pg_statement.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_status.h"

namespace ferry::store::postgres {

PgStatement::PgStatement(Connection* conn, std::string name, std::string sql, int params,
                         bool cached)
    : conn_(conn),
      name_(std::move(name)),
      sql_(std::move(sql)),
      params_(params),
      cached_(cached),
      values_(params),
      null_(params, 1),
      pointers_(params) {}

PgStatement::~PgStatement() {
  if (result_ != nullptr) PQclear(result_);
}

std::string* PgStatement::Next() {
  if (next_ >= params_) {
    if (bind_error_.ok()) {
      bind_error_ =
          absl::InternalError("bind: parameter " + std::to_string(next_ + 1) +
                              " out of range (the statement has " + std::to_string(params_) + ")");
    }
    ++next_;
    return nullptr;
  }
  null_[next_] = 0;
  return &values_[next_++];
}

void PgStatement::BindInt(int64_t v) {
  if (std::string* out = Next()) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out->assign(buf, end);
  }
}

void PgStatement::BindDouble(double v) {
  std::string* out = Next();
  if (out == nullptr) return;
  if (std::isnan(v)) {
    *out = "NaN";
  } else if (std::isinf(v)) {
    *out = v > 0 ? "Infinity" : "-Infinity";
  } else {
    char buf[32];  // shortest text that reads back as the same double
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out->assign(buf, end);
  }
}

void PgStatement::BindText(std::string_view v, bool /*copy*/) {
  // Text parameters must be NUL-terminated for libpq, so a reference is copied too (into a
  // buffer reused across executions).
  if (std::string* out = Next()) out->assign(v);
}

void PgStatement::BindNull() {
  if (Next() != nullptr) null_[next_ - 1] = 1;
}

void PgStatement::Reset() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  executed_ = false;
  row_ = -1;
  rows_ = 0;
  next_ = 0;
  std::fill(null_.begin(), null_.end(), 1);
  bind_error_ = absl::OkStatus();
}

absl::StatusOr<bool> PgStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  if (!executed_) {
    executed_ = true;
    RETURN_IF_ERROR(conn_->EnsurePrepared(*this));
    for (int i = 0; i < params_; ++i) pointers_[i] = null_[i] ? nullptr : values_[i].c_str();
    result_ = PQexecPrepared(conn_->conn_, name_.c_str(), params_, pointers_.data(), nullptr,
                             nullptr, /*resultFormat=text*/ 0);
    ExecStatusType status = PQresultStatus(result_);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      absl::Status error = PgStatus(result_, conn_->conn_, "execute");
      PQclear(result_);
      result_ = nullptr;
      return error;
    }
    // Changes() counts INSERT/UPDATE/DELETE rows only, as SQLite's changes() does.
    std::string_view tag = PQcmdStatus(result_);
    if (tag.starts_with("INSERT") || tag.starts_with("UPDATE") || tag.starts_with("DELETE")) {
      conn_->changes_ = std::atoll(PQcmdTuples(result_));
    }
    rows_ = PQntuples(result_);
  }
  if (result_ == nullptr) return false;
  return ++row_ < rows_;
}

const char* PgStatement::Value(int col) const {
  if (result_ == nullptr || row_ < 0 || row_ >= rows_ || col < 0 || col >= PQnfields(result_)) {
    return nullptr;
  }
  if (PQgetisnull(result_, row_, col)) return nullptr;
  return PQgetvalue(result_, row_, col);
}

int64_t PgStatement::Int(int col) const {
  const char* v = Value(col);
  if (v == nullptr) return 0;
  if (v[0] == 't' && v[1] == '\0') return 1;  // boolean columns read as 0/1, as in SQLite
  if (v[0] == 'f' && v[1] == '\0') return 0;
  return std::strtoll(v, nullptr, 10);
}

double PgStatement::Double(int col) const {
  const char* v = Value(col);
  return v == nullptr ? 0.0 : std::strtod(v, nullptr);  // reads NaN and [-]Infinity too
}

bool PgStatement::IsNull(int col) const { return Value(col) == nullptr; }

std::string_view PgStatement::TextView(int col) const {
  const char* v = Value(col);
  if (v == nullptr) return {};
  return std::string_view(v, static_cast<size_t>(PQgetlength(result_, row_, col)));
}

void PgStatement::Release() {
  Reset();
  conn_->StatementDone(this, cached_);  // deletes a one-use statement
}

}  // namespace ferry::store::postgres
