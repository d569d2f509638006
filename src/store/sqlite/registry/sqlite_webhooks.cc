// SqliteStore: webhook subscriptions and their delivery log (deliveries and attempts).

#include <map>

#include "common/json.h"
#include "store/sqlite/sqlite_search_sql.h"
#include "store/sqlite/transaction.h"

namespace ferry::store::sqlite {
namespace {

absl::Status WebhookNotFound(const std::string& id) {
  return absl::NotFoundError("Webhook with id=" + id + " not found");
}

Webhook WebhookFromRow(const Statement& st) {
  Webhook w;
  w.id = st.Text(0);
  w.url = st.Text(1);
  auto events = ParseJson(st.Text(2));
  if (events.ok() && events->is_array()) {
    for (const JsonValue& e : events->items()) {
      if (e.is_string()) w.events.push_back(e.as_string());
    }
  }
  w.secret = st.Text(3);
  w.description = st.Text(4);
  w.creation_timestamp = st.Int(5);
  w.workspace = st.Text(6);
  return w;
}

constexpr char kWebhookColumns[] =
    "SELECT webhook_id, url, events, secret, description, creation_time, workspace FROM webhooks";

DeliveryState ParseState(const std::string& s) {
  if (s == "succeeded") return DeliveryState::kSucceeded;
  if (s == "failed") return DeliveryState::kFailed;
  return DeliveryState::kPending;
}

// Deliveries selected by `tail_sql` (WHERE/ORDER/LIMIT with `args`), with their attempts.
absl::StatusOr<std::vector<WebhookDelivery>> ReadDeliveries(Connection& conn,
                                                            const std::string& tail_sql,
                                                            const std::vector<SqlArg>& args) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT delivery_id, webhook_id, event, payload, "
                                              "state, creation_time FROM webhook_deliveries " +
                                              tail_sql));
  BindArgs(st, args);
  std::vector<WebhookDelivery> out;
  std::map<std::string, size_t> index;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    WebhookDelivery d;
    d.delivery_id = st.Text(0);
    d.webhook_id = st.Text(1);
    d.event = st.Text(2);
    d.payload = st.Text(3);
    d.state = ParseState(st.Text(4));
    d.creation_timestamp = st.Int(5);
    index[d.delivery_id] = out.size();
    out.push_back(std::move(d));
  }
  std::vector<std::string> ids;
  for (const auto& d : out) ids.push_back(d.delivery_id);
  ASSIGN_OR_RETURN(Statement at,
                   conn.Prepare("SELECT delivery_id, attempt, time, duration_ms, http_status, "
                                "error FROM webhook_delivery_attempts WHERE delivery_id IN "
                                "(SELECT value FROM json_each(?)) ORDER BY delivery_id, attempt"));
  at.BindText(JsonStringArray(ids));
  while (true) {
    ASSIGN_OR_RETURN(bool row, at.Step());
    if (!row) break;
    DeliveryAttempt a;
    a.attempt = static_cast<int>(at.Int(1));
    a.timestamp = at.Int(2);
    a.duration_ms = at.Int(3);
    if (!at.IsNull(4)) a.http_status = static_cast<int>(at.Int(4));
    a.error = at.Text(5);
    out[index[at.Text(0)]].attempts.push_back(std::move(a));
  }
  return out;
}

}  // namespace

absl::Status SqliteStore::CreateWebhook(const Webhook& w) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    JsonValue events = JsonValue::Array();
    for (const std::string& e : w.events) events.mutable_items().push_back(JsonValue::String(e));
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT INTO webhooks (webhook_id, url, events, secret, "
                                  "description, creation_time, workspace) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    return st.BindText(w.id)
        .BindText(w.url)
        .BindText(ToJsonString(events))
        .BindText(w.secret)
        .BindText(w.description)
        .BindInt(w.creation_timestamp)
        .BindText(w.workspace)
        .Run();
  });
}

absl::StatusOr<Webhook> SqliteStore::GetWebhook(const std::string& id) {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<Webhook> {
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare(std::string(sqlite::kWebhookColumns) + " WHERE webhook_id = ?"));
    st.BindText(id);
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return sqlite::WebhookNotFound(id);
    return sqlite::WebhookFromRow(st);
  });
}

absl::StatusOr<std::vector<Webhook>> SqliteStore::ListWebhooks() {
  return InReadTransaction([&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<Webhook>> {
    ASSIGN_OR_RETURN(sqlite::Statement st, conn.Prepare(std::string(sqlite::kWebhookColumns) +
                                                        " ORDER BY creation_time, webhook_id"));
    std::vector<Webhook> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return out;
      out.push_back(sqlite::WebhookFromRow(st));
    }
  });
}

absl::Status SqliteStore::DeleteWebhook(const std::string& id) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    // Attempts cascade from deliveries, deliveries from the webhook.
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("DELETE FROM webhooks WHERE webhook_id = ?"));
    RETURN_IF_ERROR(st.BindText(id).Run());
    if (conn.Changes() == 0) return sqlite::WebhookNotFound(id);
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::AddDeliveries(const std::vector<WebhookDelivery>& deliveries) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    for (const WebhookDelivery& d : deliveries) {
      ASSIGN_OR_RETURN(sqlite::Statement st,
                       conn.Prepare("INSERT INTO webhook_deliveries (delivery_id, webhook_id, "
                                    "event, payload, state, creation_time) SELECT ?, ?, ?, ?, "
                                    "'pending', ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE "
                                    "webhook_id = ?)"));
      RETURN_IF_ERROR(st.BindText(d.delivery_id)
                          .BindText(d.webhook_id)
                          .BindText(d.event)
                          .BindText(d.payload)
                          .BindInt(d.creation_timestamp)
                          .BindText(d.webhook_id)
                          .Run());
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteStore::RecordDeliveryAttempt(const std::string& delivery_id,
                                                const DeliveryAttempt& a, DeliveryState state) {
  return InWriteTransaction([&](sqlite::Connection& conn) -> absl::Status {
    ASSIGN_OR_RETURN(sqlite::Statement up, conn.Prepare("UPDATE webhook_deliveries SET state = ? "
                                                        "WHERE delivery_id = ?"));
    RETURN_IF_ERROR(up.BindText(DeliveryStateName(state)).BindText(delivery_id).Run());
    if (conn.Changes() == 0) {
      return absl::NotFoundError("Webhook delivery " + delivery_id + " not found");
    }
    ASSIGN_OR_RETURN(sqlite::Statement st,
                     conn.Prepare("INSERT OR REPLACE INTO webhook_delivery_attempts "
                                  "(delivery_id, attempt, time, duration_ms, http_status, error) "
                                  "VALUES (?, ?, ?, ?, ?, ?)"));
    std::optional<int64_t> status;
    if (a.http_status) status = *a.http_status;
    return st.BindText(delivery_id)
        .BindInt(a.attempt)
        .BindInt(a.timestamp)
        .BindInt(a.duration_ms)
        .BindOptionalInt(status)
        .BindText(a.error)
        .Run();
  });
}

absl::StatusOr<std::vector<WebhookDelivery>> SqliteStore::ListDeliveries(
    const std::string& webhook_id, int64_t limit) {
  return InReadTransaction(
      [&](sqlite::Connection& conn) -> absl::StatusOr<std::vector<WebhookDelivery>> {
        ASSIGN_OR_RETURN(sqlite::Statement st,
                         conn.Prepare("SELECT 1 FROM webhooks WHERE webhook_id = ?"));
        st.BindText(webhook_id);
        ASSIGN_OR_RETURN(bool found, st.Step());
        if (!found) return sqlite::WebhookNotFound(webhook_id);
        return sqlite::ReadDeliveries(
            conn, "WHERE webhook_id = ? ORDER BY creation_time DESC, rowid DESC LIMIT ?",
            {webhook_id, limit});
      });
}

absl::StatusOr<std::vector<WebhookDelivery>> SqliteStore::ListPendingDeliveries() {
  return InReadTransaction([&](sqlite::Connection& conn) {
    return sqlite::ReadDeliveries(conn, "WHERE state = 'pending' ORDER BY creation_time, rowid",
                                  {});
  });
}

}  // namespace ferry::store::sqlite
