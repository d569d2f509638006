// `ferry server`'s hard edges seen from outside: /metrics carries per-route request counts
// and latencies and store timings beside the inference series (one HELP/TYPE per family),
// and the Host allowlist defaults to the loopback names on a loopback address.

#include <string>

#include "common/testing/exposition_parser.h"
#include "gtest/gtest.h"
#include "http/testing/raw_http_client.h"
#include "integration/test_server.h"

namespace ferry::testing {
namespace {

using ferry::testing::Find;

TEST(ServerMetricsTest, MetricsCountRequestsPerRouteAndTimeTheStore) {
  TestServer server;
  EXPECT_EQ(server.Post("/experiments/create", R"({"name":"m1"})").status, 200);
  EXPECT_EQ(server.Post("/experiments/create", R"({"name":"m1"})").status, 400);  // exists
  for (const char* id : {"0", "1", "0"}) {
    EXPECT_EQ(server.Get(std::string("/api/2.0/mlflow/experiments/get?experiment_id=") + id).status,
              200);
  }
  EXPECT_EQ(server.Get("/no/such/path").status, 404);

  net::ClientResponse metrics = server.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  auto samples = ferry::testing::Parse(metrics.body);  // fails on a family declared twice
  const std::string create = R"(route="/api/2.0/mlflow/experiments/create",method="POST")";
  const std::string get = R"(route="/api/2.0/mlflow/experiments/get",method="GET")";
  EXPECT_EQ(Find(samples, "ferry_http_requests_total", create + R"(,status="2xx")"), 1);
  EXPECT_EQ(Find(samples, "ferry_http_requests_total", create + R"(,status="4xx")"), 1);
  EXPECT_EQ(Find(samples, "ferry_http_requests_total", get + R"(,status="2xx")"), 3);
  EXPECT_EQ(
      Find(samples, "ferry_http_requests_total", R"(route="unmatched",method="GET",status="4xx")"),
      1);
  EXPECT_EQ(Find(samples, "ferry_http_request_duration_seconds_count", get), 3);
  EXPECT_EQ(Find(samples, "ferry_http_request_duration_seconds_bucket", get + R"(,le="+Inf")"), 3);
  EXPECT_EQ(Find(samples, "ferry_http_request_duration_seconds_bucket", get + R"(,le="10")"), 3);
  EXPECT_EQ(metrics.body.find("experiment_id="), std::string::npos);  // patterns, not paths
  EXPECT_GE(Find(samples, "ferry_store_transaction_seconds_count", R"(kind="write")"), 2);
  EXPECT_GE(Find(samples, "ferry_store_transaction_seconds_count", R"(kind="read")"), 3);
  EXPECT_GE(Find(samples, "ferry_http_open_connections", ""), 1);
  ferry::testing::CheckHistograms(samples);
  // The inference families are still there.
  EXPECT_NE(metrics.body.find("# TYPE ferry_inference_requests_total counter"), std::string::npos);
}

TEST(ServerMetricsTest, LoopbackServerAnswersOnlyLoopbackHostNames) {
  TestServer server;
  http::testing::RawResponse ok = http::testing::RoundTrip(
      server.port(),
      "GET /health HTTP/1.1\r\nHost: localhost:" + std::to_string(server.port()) + "\r\n\r\n");
  EXPECT_EQ(ok.status, 200);
  http::testing::RawResponse rebound = http::testing::RoundTrip(
      server.port(), "GET /health HTTP/1.1\r\nHost: attacker.example\r\n\r\n");
  EXPECT_EQ(rebound.status, 403);
  EXPECT_NE(rebound.body.find("PERMISSION_DENIED"), std::string::npos) << rebound.body;
  http::testing::RawResponse no_host =
      http::testing::RoundTrip(server.port(), "GET /health HTTP/1.1\r\n\r\n");
  EXPECT_EQ(no_host.status, 400);
}

}  // namespace
}  // namespace ferry::testing
