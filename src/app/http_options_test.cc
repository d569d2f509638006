#include "app/http_options.h"

#include "gtest/gtest.h"

namespace ferry::app {
namespace {

TEST(HttpOptionsTest, LimitsAreCarriedOver) {
  cli::ServerLimits limits;
  limits.header_timeout_ms = 3000;
  limits.min_body_rate = 7;
  limits.max_connections = 11;
  limits.max_connections_per_client = 5;
  auto options = MakeServerOptions("127.0.0.1", 5000, 3, false, limits);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->port, 5000);
  EXPECT_EQ(options->threads, 3);
  EXPECT_FALSE(options->access_log);
  EXPECT_EQ(options->header_timeout_ms, 3000);
  EXPECT_EQ(options->min_body_rate, 7);
  EXPECT_EQ(options->max_connections, 11);
  EXPECT_EQ(options->max_connections_per_client, 5);
}

TEST(HttpOptionsTest, TlsFilesAreLoadedUpFront) {
  cli::ServerLimits limits;
  limits.tls_cert_file = "/nonexistent/cert.pem";
  limits.tls_key_file = "/nonexistent/key.pem";
  auto options = MakeServerOptions("127.0.0.1", 0, 0, false, limits);
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(options.status().message(),
            "TLS certificate /nonexistent/cert.pem: No such file or directory");
  auto plain = MakeServerOptions("127.0.0.1", 0, 0, false, {});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->tls, nullptr);
}

TEST(HttpOptionsTest, AllowedHostsDefaultToLoopbackNamesOnLoopbackOnly) {
  auto loopback = MakeServerOptions("127.0.0.1", 0, 0, false, {});
  ASSERT_TRUE(loopback.ok());
  EXPECT_EQ(loopback->allowed_hosts.ToString(), "localhost,127.0.0.1,[::1]");
  auto wildcard = MakeServerOptions("0.0.0.0", 0, 0, false, {});
  ASSERT_TRUE(wildcard.ok());
  EXPECT_TRUE(wildcard->allowed_hosts.allows_all());
}

TEST(HttpOptionsTest, AGivenListAlsoAllowsTheServersOwnAddress) {
  cli::ServerLimits limits;
  limits.allowed_hosts = "mlflow.corp:5000";
  auto bound = MakeServerOptions("10.0.0.5", 5000, 0, false, limits);
  ASSERT_TRUE(bound.ok());
  EXPECT_EQ(bound->allowed_hosts.ToString(), "mlflow.corp:5000,10.0.0.5");
  auto wildcard = MakeServerOptions("0.0.0.0", 5000, 0, false, limits);
  ASSERT_TRUE(wildcard.ok());
  EXPECT_TRUE(wildcard->allowed_hosts.Allows("127.0.0.1:5000"));  // --deploy's own requests
  EXPECT_FALSE(wildcard->allowed_hosts.Allows("evil.example:5000"));
  auto v6 = MakeServerOptions("fd00::5", 5000, 0, false, limits);
  ASSERT_TRUE(v6.ok());
  EXPECT_TRUE(v6->allowed_hosts.Allows("[fd00::5]:5000"));
}

TEST(HttpOptionsTest, MalformedListIsAnError) {
  cli::ServerLimits limits;
  limits.allowed_hosts = "a,,b";
  auto options = MakeServerOptions("127.0.0.1", 0, 0, false, limits);
  ASSERT_FALSE(options.ok());
  EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(options.status().message().find("--allowed-hosts"), std::string_view::npos);
}

TEST(HttpOptionsTest, ConnectionCapFitsTheOpenFileLimit) {
  int cap = 100;
  FitOpenFileLimit("test", &cap);  // 100 + spare fits any sane hard limit
  EXPECT_EQ(cap, 100);
  int huge = 2000000000;
  FitOpenFileLimit("test", &huge);
  EXPECT_LT(huge, 2000000000);
  EXPECT_GE(huge, 1);
}

// `ferry server` and `ferry serve` refuse an address beyond loopback without authentication.
TEST(HttpOptionsTest, ExposureNeedsAuthOrInsecureNoAuth) {
  for (const char* loopback : {"127.0.0.1", "::1", "localhost"}) {
    EXPECT_EQ(ExposureError(loopback, false, false, "run models"), "") << loopback;
  }
  const std::string refused = ExposureError("0.0.0.0", false, false, "run and control its models");
  EXPECT_NE(refused.find("refusing to listen on '0.0.0.0' without authentication"),
            std::string::npos);
  EXPECT_NE(refused.find("could run and control its models."), std::string::npos);
  EXPECT_NE(refused.find("--insecure-no-auth"), std::string::npos);
  EXPECT_EQ(ExposureError("0.0.0.0", true, false, "x"), "");
  EXPECT_EQ(ExposureError("10.0.0.5", false, true, "x"), "");
}

}  // namespace
}  // namespace ferry::app
