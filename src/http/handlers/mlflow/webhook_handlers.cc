// Ferry's webhook API: /api/ferry/v1/webhooks (POST create, GET list) and
// /api/ferry/v1/webhooks/{id} (GET, DELETE), /api/ferry/v1/webhooks/{id}/deliveries (GET).
// Secrets are accepted on create and never returned.

#include "common/strings.h"
#include "http/handlers/error_response.h"
#include "http/handlers/handler_util.h"
#include "http/handlers/mlflow/registry_handlers.h"

namespace ferry::http {
namespace {

constexpr char kPrefix[] = "/api/ferry/v1/webhooks";

void WriteWebhook(JsonWriter& w, const Webhook& h) {
  w.BeginObject().Field("id", h.id).Field("url", h.url).Key("events").BeginArray();
  for (const std::string& e : h.events) w.String(e);
  w.EndArray();
  if (!h.description.empty()) w.Field("description", h.description);
  w.FieldBool("has_secret", !h.secret.empty())
      .Field("creation_timestamp", h.creation_timestamp)
      .EndObject();
}

void WriteDelivery(JsonWriter& w, const WebhookDelivery& d) {
  w.BeginObject()
      .Field("delivery_id", d.delivery_id)
      .Field("event", d.event)
      .Field("state", DeliveryStateName(d.state))
      .Field("creation_timestamp", d.creation_timestamp)
      .Key("attempts")
      .BeginArray();
  for (const DeliveryAttempt& a : d.attempts) {
    w.BeginObject()
        .Field("attempt", static_cast<int64_t>(a.attempt))
        .Field("timestamp", a.timestamp)
        .Field("duration_ms", a.duration_ms);
    if (a.http_status) w.Field("http_status", static_cast<int64_t>(*a.http_status));
    if (!a.error.empty()) w.Field("error", a.error);
    w.EndObject();
  }
  w.EndArray().EndObject();
}

absl::Status Create(registry::WebhookService& s, const HttpRequest& http, const RequestArgs& a,
                    JsonWriter& w) {
  registry::CreateWebhookRequest r;
  r.workspace = http.workspace;
  ASSIGN_OR_RETURN(r.url, a.RequiredString("url"));
  ASSIGN_OR_RETURN(r.events, a.StringList("events"));
  ASSIGN_OR_RETURN(auto secret, a.String("secret"));
  ASSIGN_OR_RETURN(auto description, a.String("description"));
  r.secret = secret.value_or("");
  r.description = description.value_or("");
  ASSIGN_OR_RETURN(Webhook created, s.CreateWebhook(r));
  w.Key("webhook");
  WriteWebhook(w, created);
  return absl::OkStatus();
}

absl::Status List(registry::WebhookService& s, const HttpRequest& http, const RequestArgs&,
                  JsonWriter& w) {
  ASSIGN_OR_RETURN(std::vector<Webhook> hooks, s.ListWebhooks(http.workspace));
  if (hooks.empty()) return absl::OkStatus();
  w.Key("webhooks").BeginArray();
  for (const Webhook& h : hooks) WriteWebhook(w, h);
  w.EndArray();
  return absl::OkStatus();
}

// GET|DELETE {id} and GET {id}/deliveries share one prefix route.
Handler ById(registry::WebhookService& s, bool is_delete) {
  return [&s, is_delete](HttpRequest& req) -> HttpResponse {
    std::string rest = req.path_rest;
    bool deliveries = false;
    if (EndsWith(rest, "/deliveries")) {
      rest = rest.substr(0, rest.size() - strlen("/deliveries"));
      deliveries = true;
    }
    if (rest.empty() || rest.find('/') != std::string::npos || (deliveries && is_delete)) {
      return ErrorResponse(404, "ENDPOINT_NOT_FOUND", "No such webhook endpoint");
    }
    Handler handler = JsonRequestHandler(
        [&s, rest, deliveries, is_delete](const HttpRequest& http, const RequestArgs& a,
                                          JsonWriter& w) -> absl::Status {
          if (is_delete) return s.DeleteWebhook(http.workspace, rest);
          if (deliveries) {
            ASSIGN_OR_RETURN(auto limit, a.Int64("max_results"));
            ASSIGN_OR_RETURN(std::vector<WebhookDelivery> log,
                             s.ListDeliveries(http.workspace, rest, limit));
            w.Key("deliveries").BeginArray();
            for (const WebhookDelivery& d : log) WriteDelivery(w, d);
            w.EndArray();
            return absl::OkStatus();
          }
          ASSIGN_OR_RETURN(Webhook h, s.GetWebhook(http.workspace, rest));
          w.Key("webhook");
          WriteWebhook(w, h);
          return absl::OkStatus();
        });
    return handler(req);
  };
}

}  // namespace

void RegisterWebhookRoutes(Router& router, registry::WebhookService& s) {
  router.Add("POST", kPrefix, BindRequest(s, Create));
  router.Add("GET", kPrefix, BindRequest(s, List));
  router.Add("GET", std::string(kPrefix) + "/*", ById(s, false));
  router.Add("DELETE", std::string(kPrefix) + "/*", ById(s, true));
}

}  // namespace ferry::http
