// SqliteStore's AuditStore: the audit_log table (migration 6). Appends are one small INSERT
// in their own write transaction, committed before AppendAudit returns.

#include <string>
#include <vector>

#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

AuditRecord AuditFromRow(const Statement& st) {
  AuditRecord r;
  r.id = st.Int(0);
  r.timestamp_ms = st.Int(1);
  r.user = st.Text(2);
  r.address = st.Text(3);
  r.method = st.Text(4);
  r.path = st.Text(5);
  r.status = static_cast<int>(st.Int(6));
  r.request_id = st.Text(7);
  r.resource = st.Text(8);
  return r;
}

// The listing's SQL: only the filters given appear, so each shape is one cached statement
// whose plan can use the user index or the primary key.
SqlPart AuditQuery(const AuditFilter& filter) {
  SqlPart q;
  q.Text(
      "SELECT audit_id, timestamp_ms, username, address, method, path, status, request_id, "
      "resource FROM audit_log WHERE 1");
  if (filter.user) q.Text(" AND username = ").Arg(*filter.user);
  if (filter.since_ms) q.Text(" AND timestamp_ms >= ").Arg(*filter.since_ms);
  if (filter.until_ms) q.Text(" AND timestamp_ms < ").Arg(*filter.until_ms);
  if (filter.before_id) q.Text(" AND audit_id < ").Arg(*filter.before_id);
  q.Text(" ORDER BY audit_id DESC LIMIT ").Arg(int64_t{filter.max_results});
  return q;
}

}  // namespace

absl::StatusOr<int64_t> SqliteStore::AppendAudit(const AuditRecord& record) {
  return InWriteTransaction([&](Connection& conn) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement st,
                     conn.Prepare("INSERT INTO audit_log (timestamp_ms, username, address, "
                                  "method, path, status, request_id, resource) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    RETURN_IF_ERROR(st.BindInt(record.timestamp_ms)
                        .BindTextRef(record.user)
                        .BindTextRef(record.address)
                        .BindTextRef(record.method)
                        .BindTextRef(record.path)
                        .BindInt(record.status)
                        .BindTextRef(record.request_id)
                        .BindTextRef(record.resource)
                        .Run());
    return conn.LastInsertRowId();
  });
}

absl::StatusOr<std::vector<AuditRecord>> SqliteStore::ListAudit(const AuditFilter& filter) {
  if (filter.max_results <= 0) return absl::InvalidArgumentError("max_results must be positive");
  return InReadTransaction([&](Connection& conn) -> absl::StatusOr<std::vector<AuditRecord>> {
    SqlPart q = AuditQuery(filter);
    ASSIGN_OR_RETURN(Statement st, conn.Prepare(q.sql));
    BindArgs(st, q.args);
    std::vector<AuditRecord> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(AuditFromRow(st));
    }
  });
}

}  // namespace ferry::store::sqlite
