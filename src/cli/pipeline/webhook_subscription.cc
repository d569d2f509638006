#include "cli/pipeline/webhook_subscription.h"

#include <sys/random.h>

#include <cstdio>

#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace ferry::cli {
namespace {

constexpr char kWebhooks[] = "/api/ferry/v1/webhooks";

absl::StatusOr<net::HttpClient> Client(const std::string& tracking_uri) {
  ASSIGN_OR_RETURN(net::HttpClient http, ServerClient(tracking_uri));
  http.set_timeout_ms(10000);
  http.set_total_timeout_ms(30000);
  return http;
}

}  // namespace

absl::StatusOr<std::string> WebhookSubscription::NewSecret() {
  unsigned char bytes[32];
  if (::getrandom(bytes, sizeof(bytes), 0) != static_cast<ssize_t>(sizeof(bytes))) {
    return absl::InternalError("getrandom failed: no webhook secret");
  }
  return HexEncode(std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

absl::StatusOr<std::unique_ptr<WebhookSubscription>> WebhookSubscription::Create(
    const std::string& tracking_uri, const std::string& url, const std::vector<std::string>& events,
    const std::string& secret, const std::string& description) {
  ASSIGN_OR_RETURN(net::HttpClient http, Client(tracking_uri));
  std::string body;
  JsonWriter w(&body);
  w.BeginObject().Field("url", url).Key("events").BeginArray();
  for (const std::string& e : events) w.String(e);
  w.EndArray().Field("secret", secret).Field("description", description).EndObject();
  ASSIGN_OR_RETURN(net::ClientResponse resp, http.Send("POST", kWebhooks, body));
  if (resp.status != 200) {
    return absl::Status(ServerError(resp).code(), "cannot create a webhook on " + tracking_uri +
                                                      ": " +
                                                      std::string(ServerError(resp).message()));
  }
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(resp.body));
  const JsonValue* hook = v.Find("webhook");
  const JsonValue* id = hook != nullptr ? hook->Find("id") : nullptr;
  if (id == nullptr || !id->is_string()) {
    return absl::InternalError("the server's webhook answer has no id: " + resp.body);
  }
  return std::unique_ptr<WebhookSubscription>(
      new WebhookSubscription(tracking_uri, id->as_string()));
}

absl::Status WebhookSubscription::Delete() {
  if (deleted_) return absl::OkStatus();
  deleted_ = true;
  ASSIGN_OR_RETURN(net::HttpClient http, Client(tracking_uri_));
  ASSIGN_OR_RETURN(net::ClientResponse resp,
                   http.Send("DELETE", std::string(kWebhooks) + "/" + id_));
  if (resp.status == 200 || resp.status == 404) return absl::OkStatus();
  return ServerError(resp);
}

WebhookSubscription::~WebhookSubscription() {
  if (absl::Status s = Delete(); !s.ok()) {
    std::fprintf(stderr, "ferry pipeline watch: could not delete webhook %s: %s\n", id_.c_str(),
                 std::string(s.message()).c_str());
  }
}

}  // namespace ferry::cli
