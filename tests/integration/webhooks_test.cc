// Webhook deliveries end to end: a webhook registered over REST receives signed registry
// events at a real local HTTP receiver (allowed with --webhook-allow-hosts), failures are
// retried with backoff and every attempt shows in the delivery log; pending deliveries
// survive a restart; a hostile receiver on loopback is never contacted without the allow
// list; a receiver that never answers does not delay a healthy one.

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/strings.h"
#include "common/testing/test_dir.h"
#include "gtest/gtest.h"
#include "http/http_server.h"
#include "integration/test_server.h"
#include "registry/testing/webhook_receiver.h"
#include "registry/webhook_dispatcher.h"
#include "store/sqlite/sqlite_store.h"

namespace ferry::testing {
namespace {

struct Received {
  std::string body;
  std::string delivery_id;
  std::string timestamp;
  std::string signature;
};

// A local HTTP receiver that answers the statuses in `script` in turn (then 200).
class Receiver {
 public:
  explicit Receiver(std::vector<int> script) : script_(std::move(script)) {
    router_.Add("POST", "/hook", [this](http::HttpRequest& req) {
      std::lock_guard<std::mutex> lock(mu_);
      auto header = [&](const char* name) {
        const std::string* v = req.Header(name);
        return v ? *v : std::string();
      };
      received_.push_back({req.body, header("x-mlflow-delivery-id"), header("x-mlflow-timestamp"),
                           header("x-mlflow-signature")});
      int status = received_.size() <= script_.size() ? script_[received_.size() - 1] : 200;
      return http::HttpResponse::Json(status, "{}");
    });
    http::ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    auto server = http::HttpServer::Create(options, router_);
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
  }
  ~Receiver() { server_->Shutdown(0); }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hook";
  }
  std::vector<Received> WaitFor(size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (received_.size() >= n) return received_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  std::vector<int> script_;
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::mutex mu_;
  std::vector<Received> received_;
};

// HMAC-SHA256 computed here, independently of registry/webhook_signature.cc.
std::string ExpectedSignature(const std::string& secret, const Received& r) {
  std::string content = r.delivery_id + "." + r.timestamp + "." + r.body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
  return "v1," + Base64Encode(std::string(reinterpret_cast<char*>(mac), len));
}

JsonValue Json(const net::ClientResponse& r) {
  auto j = ParseJson(r.body);
  EXPECT_TRUE(j.ok()) << r.body;
  return j.ok() ? *j : JsonValue::Object();
}

void AllowLoopback(cli::ServerConfig& config) { config.webhook_allow_hosts = "127.0.0.1"; }

TEST(WebhooksTest, SignedDeliveryRetriedAfter500AndLogged) {
  TestServer server(AllowLoopback);
  Receiver receiver({500});
  auto client = server.client();
  auto hook = client.Send("POST", "/api/ferry/v1/webhooks",
                          R"({"url": ")" + receiver.url() +
                              R"(", "events": ["model_version.created"], "secret": "topsecret"})");
  ASSERT_TRUE(hook.ok());
  ASSERT_EQ(hook->status, 200) << hook->body;
  std::string id = Json(*hook).Find("webhook")->Find("id")->as_string();

  ASSERT_EQ(server.Post("/registered-models/create", R"({"name": "m"})").status, 200);
  // Not subscribed: registered_model.created sends nothing.
  auto created = server.Post("/model-versions/create", R"({"name": "m", "source": "s3://b/m/1"})");
  ASSERT_EQ(created.status, 200) << created.body;

  std::vector<Received> got = receiver.WaitFor(2);
  ASSERT_EQ(got.size(), 2u);
  for (const Received& r : got) {
    EXPECT_EQ(r.signature, ExpectedSignature("topsecret", r)) << r.body;
    EXPECT_EQ(r.delivery_id, got[0].delivery_id);  // a retry keeps its delivery id
  }
  JsonValue body = Json({200, {}, got[0].body, 0});
  EXPECT_EQ(body.Find("entity")->as_string(), "model_version");
  EXPECT_EQ(body.Find("action")->as_string(), "created");
  EXPECT_EQ(body.Find("data")->Find("name")->as_string(), "m");
  EXPECT_EQ(body.Find("data")->Find("version")->as_string(), "1");
  EXPECT_EQ(body.Find("data")->Find("source")->as_string(), "s3://b/m/1");

  // The log shows both attempts once the second one is recorded.
  JsonValue delivery = JsonValue::Object();
  for (int i = 0; i < 200; ++i) {
    auto log = client.Send("GET", "/api/ferry/v1/webhooks/" + id + "/deliveries");
    ASSERT_TRUE(log.ok());
    JsonValue j = Json(*log);
    const JsonValue* list = j.Find("deliveries");
    if (list && list->items().size() == 1 &&
        list->items()[0].Find("state")->as_string() == "succeeded") {
      delivery = list->items()[0];
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(delivery.Find("attempts"), nullptr) << "delivery never succeeded";
  EXPECT_EQ(delivery.Find("event")->as_string(), "model_version.created");
  EXPECT_EQ(delivery.Find("delivery_id")->as_string(), got[0].delivery_id);
  const auto& attempts = delivery.Find("attempts")->items();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].Find("attempt")->as_int(), 1);
  EXPECT_EQ(attempts[0].Find("http_status")->as_int(), 500);
  EXPECT_EQ(attempts[0].Find("error")->as_string(), "HTTP 500");
  EXPECT_EQ(attempts[1].Find("attempt")->as_int(), 2);
  EXPECT_EQ(attempts[1].Find("http_status")->as_int(), 200);
  EXPECT_EQ(attempts[1].Find("error"), nullptr);
  // Retried after the backoff (0.5 s by default), not at once.
  EXPECT_GE(attempts[1].Find("timestamp")->as_int() - attempts[0].Find("timestamp")->as_int(), 400);

  auto bad = client.Send("POST", "/api/ferry/v1/webhooks",
                         R"({"url": ")" + receiver.url() + R"(", "events": ["model.deleted"]})");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("Invalid webhook event 'model.deleted'"), std::string::npos);
}

TEST(WebhooksTest, PendingDeliveriesResumeAfterRestartAndGiveUpAfterRetries) {
  TestDir tmp("ferry_webhooks");
  const std::string& dir = tmp.path();
  Receiver ok_receiver({});
  Receiver down_receiver({503, 503, 503, 503, 503});
  {
    auto store = store::sqlite::SqliteStore::Create(dir + "/ferry.db");
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)
                    ->CreateWebhook({"up", ok_receiver.url(), {"model_version.created"}, "", "", 1})
                    .ok());
    ASSERT_TRUE(
        (*store)
            ->CreateWebhook({"down", down_receiver.url(), {"model_version.created"}, "", "", 1})
            .ok());
    // Recorded by a process that died before sending.
    ASSERT_TRUE((*store)
                    ->AddDeliveries({{"d-up",
                                      "up",
                                      "model_version.created",
                                      R"({"x":1})",
                                      DeliveryState::kPending,
                                      5,
                                      {}},
                                     {"d-down",
                                      "down",
                                      "model_version.created",
                                      R"({"x":2})",
                                      DeliveryState::kPending,
                                      5,
                                      {}}})
                    .ok());
  }
  auto store = store::sqlite::SqliteStore::Create(dir + "/ferry.db");
  ASSERT_TRUE(store.ok());
  registry::WebhookDispatcherOptions options;
  options.max_retries = 2;
  options.initial_backoff_ms = 5;
  options.destinations = *net::DestinationPolicy::Parse("127.0.0.1");
  {
    registry::WebhookDispatcher dispatcher(**store, SystemClock(), SystemRandom(), options);
    ASSERT_TRUE(dispatcher.Start().ok());
    dispatcher.WaitIdle();
  }
  EXPECT_EQ(ok_receiver.WaitFor(1).size(), 1u);
  EXPECT_EQ(ok_receiver.WaitFor(1)[0].body, R"({"x":1})");
  EXPECT_EQ(down_receiver.WaitFor(3).size(), 3u);  // 1 + 2 retries, then given up
  auto up = (*store)->ListDeliveries("up", 10);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ((*up)[0].state, DeliveryState::kSucceeded);
  auto down = (*store)->ListDeliveries("down", 10);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ((*down)[0].state, DeliveryState::kFailed);
  ASSERT_EQ((*down)[0].attempts.size(), 3u);
  EXPECT_EQ((*down)[0].attempts[2].http_status, 503);
  EXPECT_TRUE((*store)->ListPendingDeliveries()->empty());
  store->reset();
}

std::string CreateHook(const net::HttpClient& client, const std::string& url) {
  auto hook = client.Send("POST", "/api/ferry/v1/webhooks",
                          R"({"url": ")" + url + R"(", "events": ["model_version.created"]})");
  EXPECT_TRUE(hook.ok());
  EXPECT_EQ(hook->status, 200) << hook->body;
  JsonValue j = Json(*hook);
  const JsonValue* w = j.Find("webhook");
  return w ? w->Find("id")->as_string() : "";
}

std::vector<JsonValue> Deliveries(const net::HttpClient& client, const std::string& id) {
  auto log = client.Send("GET", "/api/ferry/v1/webhooks/" + id + "/deliveries");
  EXPECT_TRUE(log.ok());
  JsonValue j = Json(*log);
  const JsonValue* list = j.Find("deliveries");
  return list ? list->items() : std::vector<JsonValue>{};
}

TEST(WebhooksTest, HostileLoopbackReceiverIsNeverContactedWithoutTheAllowList) {
  TestServer server;  // no --webhook-allow-hosts
  registry::testing::WebhookReceiver hostile;
  auto client = server.client();
  std::string id = CreateHook(client, hostile.url());
  ASSERT_EQ(server.Post("/registered-models/create", R"({"name": "m"})").status, 200);
  ASSERT_EQ(server.Post("/model-versions/create", R"({"name": "m", "source": "s3://b/1"})").status,
            200);
  std::vector<JsonValue> log;
  for (int i = 0; i < 500; ++i) {
    log = Deliveries(client, id);
    if (log.size() == 1 && log[0].Find("state")->as_string() != "pending") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].Find("state")->as_string(), "failed");  // refused, not retried
  const auto& attempts = log[0].Find("attempts")->items();
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].Find("http_status"), nullptr);
  EXPECT_NE(attempts[0].Find("error")->as_string().find(
                "refused to connect to 127.0.0.1 (a loopback address)"),
            std::string::npos)
      << attempts[0].Find("error")->as_string();
  EXPECT_EQ(hostile.connections(), 0);
}

TEST(WebhooksTest, ABadAllowListStopsTheServerBeforeItTouchesTheDataDir) {
  cli::ServerConfig config;
  config.port = 0;
  config.backend_store_uri = "sqlite:///tmp/ferry-never-created/ferry.db";
  config.webhook_allow_hosts = "127.0.0.1,0177.0.0.1";
  auto instance = app::Instance::Start(config);
  EXPECT_EQ(instance.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(instance.status().message().find("--webhook-allow-hosts: '0177.0.0.1'"),
            std::string::npos)
      << instance.status();
  EXPECT_FALSE(std::filesystem::exists("/tmp/ferry-never-created"));
}

TEST(WebhooksTest, UrlsWithCredentialsAreRejectedAtCreation) {
  TestServer server;
  auto resp = server.client().Send(
      "POST", "/api/ferry/v1/webhooks",
      R"({"url": "http://user:pw@hooks.example.com/h", "events": ["model_version.created"]})");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 400);
  EXPECT_EQ(Json(*resp).Find("error_code")->as_string(), "INVALID_PARAMETER_VALUE");
  EXPECT_NE(resp->body.find("parameter 'url'"), std::string::npos) << resp->body;
  EXPECT_EQ(resp->body.find("pw@"), std::string::npos) << "the password is echoed";
}

TEST(WebhooksTest, ABlackHoleDoesNotDelayAHealthyReceiver) {
  TestServer server(AllowLoopback);
  registry::testing::WebhookReceiver hole({}, registry::testing::WebhookReceiver::Mode::kBlackHole);
  registry::testing::WebhookReceiver healthy;
  auto client = server.client();
  std::string hole_id = CreateHook(client, hole.url());  // created first: served first
  CreateHook(client, healthy.url());
  ASSERT_EQ(server.Post("/registered-models/create", R"({"name": "m"})").status, 200);
  auto start = std::chrono::steady_clock::now();
  for (int v = 1; v <= 5; ++v) {
    ASSERT_EQ(
        server.Post("/model-versions/create", R"({"name": "m", "source": "s3://b/v"})").status,
        200);
  }
  std::vector<std::string> got = healthy.WaitFor(5, 8000);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("healthy receiver: %zu of 5 events in %.3f s beside a black hole\n", got.size(),
              seconds);
  ASSERT_EQ(got.size(), 5u);
  // ...while the black hole still holds its first delivery: nothing of it has finished.
  EXPECT_GE(hole.connections(), 1);
  std::vector<JsonValue> log = Deliveries(client, hole_id);
  ASSERT_EQ(log.size(), 5u);
  for (const JsonValue& d : log) {
    EXPECT_EQ(d.Find("state")->as_string(), "pending");
    EXPECT_TRUE(d.Find("attempts")->items().empty());
  }
}

TEST(WebhooksTest, AQueuedEventIsDeliveredAfterARestart) {
  TestDir tmp("ferry_webhook_restart");
  const std::string& dir = tmp.path();
  cli::ServerConfig config;
  config.port = 0;
  config.threads = 2;
  config.access_log = false;
  config.backend_store_uri = "sqlite://" + dir + "/ferry.db";
  config.artifacts_destination = "file://" + dir + "/artifacts";
  config.webhook_allow_hosts = "127.0.0.1";
  registry::testing::WebhookReceiver receiver({},
                                              registry::testing::WebhookReceiver::Mode::kBlackHole);
  {
    auto first = app::Instance::Start(config);
    ASSERT_TRUE(first.ok()) << first.status();
    auto client = *net::HttpClient::ForUri("http://127.0.0.1:" + std::to_string((*first)->port()));
    CreateHook(client, receiver.url());
    ASSERT_EQ(
        client.Send("POST", "/api/2.0/mlflow/registered-models/create", R"({"name": "m"})")->status,
        200);
    ASSERT_EQ(client
                  .Send("POST", "/api/2.0/mlflow/model-versions/create",
                        R"({"name": "m", "source": "s3://b/1"})")
                  ->status,
              200);
    for (int i = 0; i < 500 && receiver.connections() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(receiver.connections(), 1);  // in flight, unanswered, when the server stops
    (*first)->Shutdown(0);
  }
  EXPECT_TRUE(receiver.bodies().empty());
  receiver.set_mode(registry::testing::WebhookReceiver::Mode::kAnswer);
  auto second = app::Instance::Start(config);
  ASSERT_TRUE(second.ok()) << second.status();
  std::vector<std::string> got = receiver.WaitFor(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_NE(got[0].find(R"("action":"created")"), std::string::npos) << got[0];
  (*second)->Shutdown(0);
  second->reset();
}

}  // namespace
}  // namespace ferry::testing
