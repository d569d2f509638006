#include "http/handlers/auth/serve_guard.h"

#include "common/sha256.h"
#include "gtest/gtest.h"
#include "http/handlers/auth/serve_rules.h"

namespace ferry::http {
namespace {

constexpr char kInferA[] = "infer-on-a-0123456789";
constexpr char kInferAll[] = "infer-on-all-0123456789";
constexpr char kMetrics[] = "metrics-0123456789";
constexpr char kAdmin[] = "admin-0123456789ab";

auth::ServeTokens Tokens() {
  auto parsed = auth::ParseServeTokens(std::string("a infer:a ") + kInferA + "\nall infer " +
                                       kInferAll + "\nprom metrics " + kMetrics +
                                       "\nroot admin sha256:" + Sha256Hex(kAdmin) + "\n");
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return auth::ServeTokens(*std::move(parsed));
}

// A router with the routes of `ferry serve` (handlers answering 200 "ok"), guarded.
class ServeGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ok = [](HttpRequest&) { return HttpResponse::Json(200, "ok"); };
    for (auto [method, pattern] : std::vector<std::pair<const char*, const char*>>{
             {"GET", "/v2/health/ready"},
             {"GET", "/ping"},
             {"GET", "/v2"},
             {"GET", "/v2/models/*"},
             {"POST", "/v2/models/*"},
             {"POST", "/invocations"},
             {"GET", "/metrics"},
             {"POST", "/api/ferry/v1/deployments/*"},
             {"POST", "/api/ferry/v1/hooks/registry"}}) {
      router_.Add(method, pattern, ok);
    }
    router_.SetErrorFormat("/v2", [](int status, std::string_view message) {
      return HttpResponse::Json(status, "{\"error\":\"" + std::string(message) + "\"}");
    });
    ASSERT_TRUE(
        router_.Guard(ServeAuthPolicy(router_, tokens_, [this] { return deployed_; })).ok());
  }

  HttpResponse Call(const char* method, const char* path, std::string authorization = "",
                    const char* model_header = nullptr) {
    HttpRequest request;
    request.method = method;
    request.path = path;
    if (!authorization.empty()) request.headers.emplace_back("authorization", authorization);
    if (model_header) request.headers.emplace_back("ferry-model", model_header);
    Router::Match match = router_.Find(method, path);
    EXPECT_NE(match.handler, nullptr) << path;
    request.path_rest = match.path_rest;
    last_user_ = "";
    HttpResponse response = (*match.handler)(request);
    last_user_ = request.user;
    return response;
  }
  static std::string Bearer(const char* token) { return std::string("Bearer ") + token; }
  static std::string Challenge(const HttpResponse& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "WWW-Authenticate") return value;
    }
    return "";
  }

  auth::ServeTokens tokens_ = Tokens();
  std::vector<std::string> deployed_ = {"a"};
  Router router_;
  std::string last_user_;
};

TEST_F(ServeGuardTest, ProbesAreOpen) {
  EXPECT_EQ(Call("GET", "/v2/health/ready").status, 200);
  EXPECT_EQ(Call("GET", "/ping").status, 200);
}

TEST_F(ServeGuardTest, NoTokenIs401WithTheChallengeInTheRoutesShape) {
  HttpResponse oip = Call("POST", "/v2/models/a/infer");
  EXPECT_EQ(oip.status, 401);
  EXPECT_EQ(Challenge(oip), "Bearer realm=\"ferry\"");
  EXPECT_EQ(oip.body, "{\"error\":\"Authentication required: send Authorization: Bearer TOKEN\"}");
  HttpResponse mlflow = Call("POST", "/invocations");
  EXPECT_EQ(mlflow.status, 401);
  EXPECT_NE(mlflow.body.find("\"error_code\":\"UNAUTHENTICATED\""), std::string::npos);
  EXPECT_EQ(Call("GET", "/v2").status, 401);  // server metadata is not open
}

TEST_F(ServeGuardTest, WrongOrBasicCredentialsAre401) {
  HttpResponse wrong = Call("POST", "/v2/models/a/infer", "Bearer not-a-token-0123456789");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Challenge(wrong), "Bearer realm=\"ferry\", error=\"invalid_token\"");
  EXPECT_EQ(wrong.body, "{\"error\":\"Unknown token\"}");
  // The hash of a token (what the token file may hold) is not the token.
  EXPECT_EQ(Call("GET", "/metrics", "Bearer " + Sha256Hex(kAdmin)).status, 401);
  HttpResponse basic = Call("POST", "/invocations", "Basic YTpi");
  EXPECT_EQ(basic.status, 401);
  EXPECT_EQ(Challenge(basic), "Bearer realm=\"ferry\", error=\"invalid_request\"");
}

TEST_F(ServeGuardTest, ATokenScopedToOneModelInfersOnItOnly) {
  EXPECT_EQ(Call("POST", "/v2/models/a/infer", Bearer(kInferA)).status, 200);
  EXPECT_EQ(last_user_, "a");  // the token's name, for the access log
  EXPECT_EQ(Call("POST", "/v2/models/a/versions/1/infer", Bearer(kInferA)).status, 200);
  EXPECT_EQ(Call("GET", "/v2/models/a", Bearer(kInferA)).status, 200);
  HttpResponse other = Call("POST", "/v2/models/b/infer", Bearer(kInferA));
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.body, "{\"error\":\"Permission denied: infer on model 'b' is required\"}");
  EXPECT_EQ(Call("GET", "/v2/models/b/ready", Bearer(kInferA)).status, 403);
  // /invocations: the Ferry-Model header, else the only deployment.
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferA)).status, 200);
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferA), "a").status, 200);
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferA), "b").status, 403);
  deployed_ = {"b"};
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferA)).status, 403);
  deployed_ = {"a", "b"};  // no model named: refused rather than guessed
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferA)).status, 403);
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kInferAll)).status, 200);
  EXPECT_EQ(Call("GET", "/v2", Bearer(kInferA)).status, 200);
}

TEST_F(ServeGuardTest, InferTokensCannotControlModelsOrReadMetrics) {
  for (const char* token : {kInferA, kInferAll, kMetrics}) {
    EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/a/canary", Bearer(token)).status, 403);
    EXPECT_EQ(Call("POST", "/api/ferry/v1/hooks/registry", Bearer(token)).status, 403);
  }
  EXPECT_EQ(Call("GET", "/metrics", Bearer(kInferAll)).status, 403);
  EXPECT_EQ(Call("GET", "/metrics", Bearer(kMetrics)).status, 200);
  EXPECT_EQ(Call("POST", "/v2/models/a/infer", Bearer(kMetrics)).status, 403);
  EXPECT_EQ(Call("GET", "/v2", Bearer(kMetrics)).status, 403);
}

TEST_F(ServeGuardTest, AdminMayDoEverything) {
  EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/a/canary", Bearer(kAdmin)).status, 200);
  EXPECT_EQ(Call("POST", "/api/ferry/v1/hooks/registry", Bearer(kAdmin)).status, 200);
  EXPECT_EQ(Call("GET", "/metrics", Bearer(kAdmin)).status, 200);
  EXPECT_EQ(Call("POST", "/v2/models/b/infer", Bearer(kAdmin)).status, 200);
  EXPECT_EQ(Call("POST", "/invocations", Bearer(kAdmin), "b").status, 200);
}

TEST(ServeGuardRoutesTest, ARouteWithoutARuleStopsTheServer) {
  Router router;
  router.Add("GET", "/v2/health/live", [](HttpRequest&) { return HttpResponse::Json(200, ""); });
  router.Add("POST", "/api/ferry/v1/new-thing",
             [](HttpRequest&) { return HttpResponse::Json(200, ""); });
  auth::ServeTokens tokens = Tokens();
  absl::Status guarded = router.Guard(ServeAuthPolicy(router, tokens, {}));
  EXPECT_FALSE(guarded.ok());
  EXPECT_NE(guarded.message().find("POST /api/ferry/v1/new-thing"), std::string::npos);
}

TEST(ServeRulesTest, ControlNeedsAdminAndProbesAreOpen) {
  for (const char* path : {"/ping", "/health", "/v2/health/live", "/v2/health/ready"}) {
    ASSERT_NE(FindServeRule("GET", path), nullptr) << path;
    EXPECT_EQ(FindServeRule("GET", path)->need, ServeNeed::kOpen) << path;
  }
  for (const char* path : {"/api/ferry/v1/deployments/*", "/api/ferry/v1/hooks/registry",
                           "/api/ferry/v1/monitoring/labels"}) {
    ASSERT_NE(FindServeRule("POST", path), nullptr) << path;
    EXPECT_EQ(FindServeRule("POST", path)->need, ServeNeed::kAdmin) << path;
  }
  EXPECT_EQ(FindServeRule("GET", "/v2/models/*")->need, ServeNeed::kInfer);
  EXPECT_EQ(FindServeRule("DELETE", "/v2/models/*"), nullptr);
}

}  // namespace
}  // namespace ferry::http
