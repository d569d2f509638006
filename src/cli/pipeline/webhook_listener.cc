#include "cli/pipeline/webhook_listener.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>

#include "common/json_writer.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "http/http_server.h"
#include "http/router.h"
#include "registry/webhook_signature.h"

namespace ferry::cli {
namespace {

constexpr int64_t kMaxSkewSeconds = 300;
constexpr size_t kRememberedDeliveries = 4096;

http::HttpResponse Error(int status, const std::string& code, const std::string& message) {
  std::string body;
  JsonWriter(&body).BeginObject().Field("error_code", code).Field("message", message).EndObject();
  return http::HttpResponse::Json(status, std::move(body));
}

}  // namespace

class WebhookListener::Impl {
 public:
  Impl(std::string secret, OnDelivery on_delivery)
      : secret_(std::move(secret)), on_delivery_(std::move(on_delivery)) {
    router_.Add("POST", "/webhook", [this](http::HttpRequest& r) { return Handle(r); });
  }

  http::HttpResponse Handle(http::HttpRequest& r) {
    const std::string* id = r.Header(ToLower(registry::kWebhookDeliveryIdHeader));
    const std::string* ts = r.Header(ToLower(registry::kWebhookTimestampHeader));
    const std::string* sig = r.Header(ToLower(registry::kWebhookSignatureHeader));
    if (id == nullptr || ts == nullptr || sig == nullptr) {
      return Refuse("unsigned delivery: X-MLflow-Signature, -Timestamp and -Delivery-Id needed");
    }
    if (!SecretsEqual(*sig, registry::WebhookSignature(secret_, *id, *ts, r.body))) {
      return Refuse("invalid signature");
    }
    const std::optional<int64_t> at = ParseInt64(*ts);
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    if (!at || *at < now - kMaxSkewSeconds || *at > now + kMaxSkewSeconds) {
      return Refuse("stale timestamp: more than 5 minutes from now");
    }
    if (!Remember(*id)) return http::HttpResponse::Json(200, R"({"fired":false,"repeat":true})");
    absl::StatusOr<bool> fired = on_delivery_(r.body);
    if (!fired.ok())
      return Error(400, "INVALID_PARAMETER_VALUE", std::string(fired.status().message()));
    return http::HttpResponse::Json(200, *fired ? R"({"fired":true})" : R"({"fired":false})");
  }

  http::HttpResponse Refuse(const std::string& why) {
    rejected_.fetch_add(1);
    std::fprintf(stderr, "ferry pipeline watch: refused a webhook: %s\n", why.c_str());
    return Error(401, "UNAUTHENTICATED", why);
  }

  // False when `id` was seen; keeps the latest ids only.
  bool Remember(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!seen_.insert(id).second) return false;
    order_.push_back(id);
    if (order_.size() > kRememberedDeliveries) {
      seen_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }

  std::string secret_;
  OnDelivery on_delivery_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::string host_;
  std::atomic<int> rejected_{0};
  std::mutex mu_;
  std::set<std::string> seen_;
  std::deque<std::string> order_;
};

absl::StatusOr<std::unique_ptr<WebhookListener>> WebhookListener::Start(const std::string& listen,
                                                                        std::string secret,
                                                                        OnDelivery on_delivery) {
  const size_t colon = listen.rfind(':');
  std::optional<int64_t> port =
      colon == std::string::npos ? std::nullopt : ParseInt64(listen.substr(colon + 1));
  if (colon == 0 || !port || *port < 0 || *port > 65535) {
    return absl::InvalidArgumentError("--listen: expected HOST:PORT, got '" + listen + "'");
  }
  auto impl = std::make_unique<Impl>(std::move(secret), std::move(on_delivery));
  impl->host_ = listen.substr(0, colon);
  http::ServerOptions options;
  options.host = impl->host_;
  options.port = static_cast<int>(*port);
  options.threads = 1;
  options.max_body_bytes = 1 << 20;
  options.access_log = false;
  ASSIGN_OR_RETURN(impl->server_, http::HttpServer::Create(options, impl->router_));
  impl->server_->Start();
  return std::unique_ptr<WebhookListener>(new WebhookListener(std::move(impl)));
}

WebhookListener::WebhookListener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

WebhookListener::~WebhookListener() { impl_->server_->Shutdown(1000); }

const std::string& WebhookListener::host() const { return impl_->host_; }
int WebhookListener::port() const { return impl_->server_->port(); }
int WebhookListener::rejected() const { return impl_->rejected_.load(); }

std::string WebhookListener::url() const {
  const bool v6 = impl_->host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + impl_->host_ + "]" : impl_->host_) + ":" + std::to_string(port()) +
         "/webhook";
}

}  // namespace ferry::cli
