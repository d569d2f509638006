// `ferry models` against an in-process server, and register's waiting against a fake registry
// whose version stays pending and then fails verification.

#include <atomic>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "gtest/gtest.h"
#include "http/http_server.h"
#include "integration/test_server.h"

namespace ferry::testing {
namespace {

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result Models(std::vector<std::string> args) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int code = cli::ModelsCommand(args);
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  return {code, out, err};
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(ModelsCliTest, RegisterAliasStageListShow) {
  TestServer server;
  std::string uri = "--tracking-uri=" + server.url();
  Result r = Models({"register", "fraud", "--source", "s3://b/fraud/1", "--run-id", "r1", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "Registered model 'fraud' version 1 (READY)")) << r.out;
  EXPECT_TRUE(Contains(r.err, "Created registered model 'fraud'")) << r.err;
  // The model exists now: RESOURCE_ALREADY_EXISTS is tolerated, as MLflow's client does.
  r = Models({"register", "fraud", "--source", "s3://b/fraud/2", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "version 2 (READY)")) << r.out;

  r = Models({"alias", "fraud", "champion", "2", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "models:/fraud@champion -> version 2")) << r.out;
  r = Models({"stage", "fraud", "1", "production", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "now in stage Production")) << r.out;

  r = Models({"list", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "NAME")) << r.out;
  EXPECT_TRUE(Contains(r.out, "champion=v2")) << r.out;
  r = Models({"show", "fraud", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, "Production")) << r.out;
  EXPECT_TRUE(Contains(r.out, "s3://b/fraud/2")) << r.out;
  r = Models({"show", "fraud", "--json", uri});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(Contains(r.out, R"("registered_model":)")) << r.out;

  r = Models({"show", "ghost", uri});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Contains(r.err, "Registered Model with name=ghost not found")) << r.err;
  EXPECT_TRUE(Contains(r.err, "ferry models list")) << r.err;
  r = Models({"alias", "fraud", "latest", "1", uri});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Contains(r.err, "reserved")) << r.err;
  r = Models({"alias", "fraud", "champion", "--delete", uri});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Models({"register", "fraud", uri}).code, 2);  // no --source
  EXPECT_EQ(Models({"frobnicate"}).code, 2);
  r = Models({"list", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(Contains(r.out, "--filter")) << r.out;
}

TEST(ModelsCliTest, RegisterWaitsAndReportsFailedRegistration) {
  std::atomic<int> gets{0};
  http::Router router;
  router.Add("POST", "/api/2.0/mlflow/registered-models/create", [](http::HttpRequest&) {
    return http::HttpResponse::Json(
        400, R"({"error_code": "RESOURCE_ALREADY_EXISTS", "message": "exists"})");
  });
  router.Add("POST", "/api/2.0/mlflow/model-versions/create", [](http::HttpRequest&) {
    return http::HttpResponse::Json(
        200,
        R"({"model_version": {"name": "m", "version": "4", "status": "PENDING_REGISTRATION"}})");
  });
  router.Add("GET", "/api/2.0/mlflow/model-versions/get", [&gets](http::HttpRequest&) {
    if (++gets < 3) {
      return http::HttpResponse::Json(
          200,
          R"({"model_version": {"name": "m", "version": "4", "status": "PENDING_REGISTRATION"}})");
    }
    return http::HttpResponse::Json(
        200, R"({"model_version": {"name": "m", "version": "4", "status": "FAILED_REGISTRATION",
                 "status_message": "signature does not verify"}})");
  });
  http::ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.access_log = false;
  auto server = http::HttpServer::Create(options, router);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Start();
  Result r = Models({"register", "m", "--source", "s3://x",
                     "--tracking-uri=http://127.0.0.1:" + std::to_string((*server)->port())});
  (*server)->Shutdown(0);
  EXPECT_EQ(r.code, 1);
  EXPECT_GE(gets.load(), 3);
  EXPECT_TRUE(Contains(r.err, "Waiting for version 4 of 'm' to be verified")) << r.err;
  EXPECT_TRUE(Contains(r.err, "failed registration: signature does not verify")) << r.err;
}

}  // namespace
}  // namespace ferry::testing
