#include "store/postgres/pg_connection.h"

#include <string>
#include <utility>

#include "store/postgres/pg_placeholders.h"
#include "store/postgres/pg_statement.h"
#include "store/postgres/pg_status.h"

namespace ferry::store::postgres {
namespace {

// A write transaction waits at most this long for the writer lock, as SQLite's busy timeout;
// then kUnavailable (SQLSTATE 55P03).
constexpr char kConfigure[] = "SET lock_timeout = '10s'";

std::string BeginWriteSql() {
  return "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" +
         std::to_string(kWriterLockKey) + ")";
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const PgUri& uri) {
  std::vector<std::pair<std::string, std::string>> params = uri.ConnectParams();
  std::vector<const char*> keys, values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/0);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? PQerrorMessage(conn) : "out of memory";
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    PQfinish(conn);
    return absl::UnavailableError("Cannot connect to PostgreSQL at " + uri.Describe() + ": " + why);
  }
  // Server notices ("table does not exist, skipping") are not errors: not on our stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<Connection> out(new Connection(conn, uri.Describe()));
  RETURN_IF_ERROR(out->Command(kConfigure, "configure"));
  return out;
}

Connection::Connection(PGconn* conn, std::string describe)
    : conn_(conn), describe_(std::move(describe)) {}

Connection::~Connection() {
  cache_.clear();  // PQclear of any results before the connection goes
  PQfinish(conn_);
}

absl::Status Connection::Command(const char* sql, std::string_view context) {
  PGresult* result = PQexec(conn_, sql);
  ExecStatusType status = PQresultStatus(result);
  absl::Status out = absl::OkStatus();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    out = PgStatus(result, conn_, context);
  } else if (std::string_view(sql) == "COMMIT" &&
             std::string_view(PQcmdStatus(result)) == "ROLLBACK") {
    // PostgreSQL answers COMMIT of a transaction that an earlier error aborted by rolling back.
    out = absl::AbortedError("commit: the transaction was rolled back by an earlier error");
  }
  PQclear(result);
  return out;
}

absl::Status Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return absl::OkStatus();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string why = PQerrorMessage(conn_);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return absl::UnavailableError("Cannot reconnect to PostgreSQL at " + describe_ + ": " + why);
  }
  ++session_;  // every statement is prepared again on the new session
  to_deallocate_.clear();
  return Command(kConfigure, "configure");
}

absl::Status Connection::EnsurePrepared(PgStatement& stmt) {
  if (stmt.session == session_) return absl::OkStatus();
  PGresult* result = PQprepare(conn_, stmt.name().c_str(), stmt.sql().c_str(), 0, nullptr);
  absl::Status out = absl::OkStatus();
  if (PQresultStatus(result) != PGRES_COMMAND_OK) out = PgStatus(result, conn_, "prepare");
  PQclear(result);
  if (out.ok()) stmt.session = session_;
  return out;
}

absl::StatusOr<sql::Statement> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end() && !it->second->in_use) {
    it->second->in_use = true;
    return sql::Statement(it->second.get());
  }
  TranslatedSql translated = TranslatePlaceholders(sql);
  bool cache = it == cache_.end() && cache_.size() < kMaxCachedStatements;
  auto stmt = std::make_unique<PgStatement>(this, "ferry_" + std::to_string(++next_name_),
                                            std::move(translated.sql), translated.params, cache);
  RETURN_IF_ERROR(EnsurePrepared(*stmt));  // errors in the SQL surface here, as with SQLite
  if (!cache) return sql::Statement(stmt.release());
  PgStatement* raw = stmt.get();
  raw->in_use = true;
  cache_.emplace(std::string(sql), std::move(stmt));
  return sql::Statement(raw);
}

void Connection::StatementDone(PgStatement* stmt, bool cached) {
  if (cached) {
    stmt->in_use = false;
    return;
  }
  if (stmt->session == session_) to_deallocate_.push_back(stmt->name());
  delete stmt;
}

void Connection::DeallocatePending() {
  if (to_deallocate_.empty()) return;
  std::string sql;
  for (const std::string& name : to_deallocate_) sql += "DEALLOCATE " + name + ";";
  to_deallocate_.clear();
  Command(sql.c_str(), "deallocate").IgnoreError();
}

absl::Status Connection::Exec(const std::string& sql) { return Command(sql.c_str(), "exec"); }

absl::Status Connection::Begin(bool immediate) {
  static const std::string kBeginWrite = BeginWriteSql();
  const char* sql =
      immediate ? kBeginWrite.c_str() : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  RETURN_IF_ERROR(EnsureConnected());
  DeallocatePending();
  const char* context = immediate ? "begin write transaction" : "begin";
  absl::Status begun = Command(sql, context);
  if (!begun.ok() && PQstatus(conn_) != CONNECTION_OK) {
    // The server dropped this session since its last use (restart, idle kill): nothing of
    // the transaction has run yet, so reconnect once and begin again.
    RETURN_IF_ERROR(EnsureConnected());
    begun = Command(sql, context);
  }
  // BEGIN may have opened the transaction before the lock wait failed (lock_timeout): the
  // caller does not roll back a Begin that failed, so close it here.
  if (!begun.ok()) Rollback();
  return begun;
}

absl::Status Connection::Commit() { return Command("COMMIT", "commit"); }

void Connection::Rollback() {
  if (PQstatus(conn_) != CONNECTION_OK || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  Command("ROLLBACK", "rollback").IgnoreError();
}

}  // namespace ferry::store::postgres
