#include "store/postgres/pg_status.h"

#include <string>

namespace ferry::store::postgres {
namespace {

// libpq's messages end with a newline (and sometimes carry "ERROR:  " prefixes).
std::string Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

absl::StatusCode CodeForSqlState(std::string_view s) {
  if (s.size() != 5) return absl::StatusCode::kInternal;
  std::string_view cls = s.substr(0, 2);
  if (s == "23505") return absl::StatusCode::kAlreadyExists;
  if (cls == "23" || cls == "22") return absl::StatusCode::kInvalidArgument;
  if (s == "40001" || s == "40P01" || s == "55P03") return absl::StatusCode::kUnavailable;
  if (cls == "08" || s == "57P01" || s == "57P02" || s == "57P03" || s == "53300") {
    return absl::StatusCode::kUnavailable;
  }
  if (cls == "53") return absl::StatusCode::kResourceExhausted;
  if (s == "42501" || cls == "28") return absl::StatusCode::kPermissionDenied;
  return absl::StatusCode::kInternal;
}

absl::Status PgStatus(const PGresult* result, PGconn* conn, std::string_view context) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (state == nullptr) {  // no server answer: the connection failed or is gone
    std::string why = conn ? Trim(PQerrorMessage(conn)) : "out of memory";
    if (result != nullptr && why.empty()) why = Trim(PQresultErrorMessage(result));
    return absl::UnavailableError(std::string(context) + ": PostgreSQL connection failed: " + why);
  }
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  std::string msg = primary ? primary : "error";
  if (detail) msg += std::string(" (") + detail + ")";
  absl::StatusCode code = CodeForSqlState(state);
  // Constraint messages reach API clients ("already exists"): no context, as for SQLite.
  if (code != absl::StatusCode::kAlreadyExists && code != absl::StatusCode::kInvalidArgument) {
    msg = std::string(context) + ": " + msg;
  }
  return absl::Status(code, msg + " [SQLSTATE " + state + "]");
}

}  // namespace ferry::store::postgres
