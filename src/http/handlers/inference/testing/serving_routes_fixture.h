#pragma once
// Test fixture for the serving routes: an HttpServer on port 0 with AddServingRoutes over a
// FakeInferenceService and a fixed clock, plus raw-HTTP helpers. Test-only.

#include <memory>
#include <string>
#include <string_view>

#include "common/json.h"
#include "common/testing/fake_clock.h"
#include "gtest/gtest.h"
#include "http/handlers/inference/serving_routes.h"
#include "http/handlers/inference/testing/fake_inference_service.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {

class ServingRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddServingRoutes(router_, service_, clock_);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
  }
  void TearDown() override { server_->Shutdown(0); }

  testing::RawResponse Get(std::string_view path) {
    return testing::RoundTrip(server_->port(),
                              "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n\r\n");
  }
  testing::RawResponse Send(std::string_view method, std::string_view path, std::string_view body,
                            std::string_view headers = "Content-Type: application/json\r\n") {
    return testing::RoundTrip(server_->port(),
                              std::string(method) + " " + std::string(path) +
                                  " HTTP/1.1\r\nHost: t\r\n" + std::string(headers) +
                                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                  std::string(body));
  }
  testing::RawResponse Post(std::string_view path, std::string_view body,
                            std::string_view headers = "Content-Type: application/json\r\n") {
    return Send("POST", path, body, headers);
  }

  testing::FakeInferenceService service_;
  // MonotonicNanos() is 5 s, so deadlines are 5000 ms + the timeout.
  ferry::testing::FakeClock clock_{5000000000};
  Router router_;
  std::unique_ptr<HttpServer> server_;
};

inline std::string ErrorOf(const testing::RawResponse& r, std::string_view key = "error") {
  absl::StatusOr<JsonValue> v = ParseJson(r.body);
  if (!v.ok() || v->Find(key) == nullptr || !v->Find(key)->is_string()) return "<no error>";
  return v->Find(key)->as_string();
}

}  // namespace ferry::http
