#include "http/handlers/auth/audit_handlers.h"

#include <optional>
#include <string>

#include "auth/audit_log.h"
#include "common/logging.h"
#include "http/handlers/auth/access_rules.h"
#include "http/handlers/handler_util.h"

namespace ferry::http {
namespace {

void WriteEntry(JsonWriter& w, const store::AuditRecord& e) {
  w.BeginObject()
      .Field("timestamp", e.timestamp_ms)
      .Field("user", e.user)
      .Field("address", e.address)
      .Field("method", e.method)
      .Field("path", e.path)
      .Field("status", int64_t{e.status})
      .Field("request_id", e.request_id)
      .Field("resource", e.resource)
      .EndObject();
}

absl::Status List(const auth::AuditLog& log, const RequestArgs& args, JsonWriter& w) {
  auth::AuditQuery query;
  ASSIGN_OR_RETURN(query.user, args.String("user"));
  ASSIGN_OR_RETURN(query.since_ms, args.Int64("since_ms"));
  ASSIGN_OR_RETURN(query.until_ms, args.Int64("until_ms"));
  ASSIGN_OR_RETURN(query.max_results, args.Int64("max_results"));
  ASSIGN_OR_RETURN(std::optional<std::string> token, args.String("page_token"));
  query.page_token = token.value_or("");
  ASSIGN_OR_RETURN(auth::AuditPage page, log.List(query));
  w.Key("entries").BeginArray();
  for (const store::AuditRecord& e : page.entries) WriteEntry(w, e);
  w.EndArray();
  if (!page.next_page_token.empty()) w.Field("next_page_token", page.next_page_token);
  return absl::OkStatus();
}

}  // namespace

AuditObserver::AuditObserver(const Router& router, auth::AuditLog& log) : log_(log) {
  audited_.resize(router.route_count());
  for (size_t i = 0; i < router.route_count(); ++i) {
    const AccessRule* rule = FindAccessRule(router.route_method(i), router.route_pattern(i));
    audited_[i] = rule != nullptr && Audited(router.route_method(i), *rule);
  }
}

void AuditObserver::OnResponse(const HttpRequest& request, int route_index, int status) {
  if (route_index < 0 || static_cast<size_t>(route_index) >= audited_.size() ||
      !audited_[route_index]) {
    return;
  }
  store::AuditRecord entry;
  entry.user = request.user.empty() ? "-" : request.user;
  entry.address = request.peer;
  entry.method = request.method;
  entry.path = request.path;
  entry.status = status;
  entry.request_id = request.request_id;
  entry.resource = request.audit_resource;
  absl::Status recorded = log_.Record(std::move(entry));
  if (!recorded.ok()) {
    LogError("audit log: entry not recorded", {{"request_id", request.request_id},
                                               {"path", request.path},
                                               {"error", StatusMessage(recorded)}});
  }
}

void RegisterAuditRoute(Router& router, auth::AuditLog& log) {
  router.Add(
      "GET", "/api/ferry/v1/audit",
      JsonHandler([&log](const RequestArgs& args, JsonWriter& w) { return List(log, args, w); }));
}

}  // namespace ferry::http
