#include "http/handlers/inference/deployment_handlers.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "serving/serving_test_util.h"

namespace ferry::http {
namespace {

using serving::testing::Ref;

class DeploymentHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddDeploymentRoutes(router_, manager_, clock_, [this](const std::string& name, int percent) {
      if (name != "fraud") return absl::NotFoundError("no canary target");
      percent_ = percent;
      return absl::OkStatus();
    });
  }
  HttpResponse Call(const std::string& method, const std::string& path, std::string body = "") {
    Router::Match m = router_.Find(method, path);
    EXPECT_NE(m.handler, nullptr) << method << " " << path;
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.path_rest = m.path_rest;
    r.body = std::move(body);
    return (*m.handler)(r);
  }
  JsonValue Json(const HttpResponse& r) {
    auto v = ParseJson(r.body);
    EXPECT_TRUE(v.ok()) << r.body;
    return v.ok() ? *v : JsonValue();
  }

  serving::testing::Fleet fleet_;
  serving::testing::FakeClock clock_;
  serving::ServingMetrics metrics_;
  serving::ModelManager manager_{fleet_.Loader(), clock_, metrics_};
  Router router_;
  int percent_ = -1;
};

TEST_F(DeploymentHandlersTest, ListsArmsWithTheirFigures) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  manager_.Find("fraud")->primary()->arm()->RecordRequest();
  manager_.Find("fraud")->primary()->arm()->RecordRequest();
  manager_.Find("fraud")->primary()->arm()->RecordError();
  HttpResponse list = Call("GET", "/api/ferry/v1/deployments");
  ASSERT_EQ(list.status, 200);
  JsonValue v = Json(list);
  ASSERT_EQ(v.Find("deployments")->items().size(), 1u);
  const JsonValue& d = v.Find("deployments")->items()[0];
  EXPECT_EQ(d.Find("name")->as_string(), "fraud");
  EXPECT_TRUE(d.Find("challenger")->is_null());
  const JsonValue* primary = d.Find("primary");
  EXPECT_EQ(primary->Find("version")->as_string(), "1");
  EXPECT_EQ(primary->Find("state")->as_string(), "READY");
  EXPECT_EQ(primary->Find("requests")->as_int(), 2);
  EXPECT_EQ(primary->Find("errors")->as_int(), 1);
  EXPECT_DOUBLE_EQ(primary->Find("error_rate")->as_double(), 0.5);

  ASSERT_TRUE(
      manager_.SetChallenger("fraud", Ref("2"), {serving::ChallengerMode::kCanary, 20}).ok());
  JsonValue one = Json(Call("GET", "/api/ferry/v1/deployments/fraud"));
  const JsonValue* challenger = one.Find("challenger");
  ASSERT_TRUE(challenger->is_object());
  EXPECT_EQ(challenger->Find("version")->as_string(), "2");
  EXPECT_EQ(challenger->Find("mode")->as_string(), "canary");
  EXPECT_EQ(challenger->Find("percent")->as_int(), 20);
  EXPECT_EQ(challenger->Find("requests")->as_int(), 0);
  EXPECT_TRUE(one.Find("monitoring")->is_null());
  EXPECT_EQ(Call("GET", "/api/ferry/v1/deployments/nope").status, 404);
}

TEST_F(DeploymentHandlersTest, EmbedsTheMonitoringEntry) {
  Router router;
  AddDeploymentRoutes(router, manager_, clock_, nullptr, [](const std::string& name) {
    return name == "fraud" ? std::string(R"({"version":"1","monitored":true})") : "";
  });
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  Router::Match m = router.Find("GET", "/api/ferry/v1/deployments/fraud");
  HttpRequest r;
  r.path_rest = m.path_rest;
  JsonValue v = Json((*m.handler)(r));
  EXPECT_TRUE(v.Find("monitoring")->Find("monitored")->as_bool());
  m = router.Find("POST", "/api/ferry/v1/deployments/fraud/canary");
  r.path_rest = m.path_rest;
  r.body = R"({"percent": 5})";
  EXPECT_EQ((*m.handler)(r).status, 501);  // no canary control on this server
}

TEST_F(DeploymentHandlersTest, ShowsTheLastFailedLoadUntilThatArmLoads) {
  EXPECT_FALSE(manager_.SetPrimary("fraud", Ref("1", "missing")).ok());
  JsonValue v = Json(Call("GET", "/api/ferry/v1/deployments/fraud"));
  EXPECT_TRUE(v.Find("primary")->is_null());
  const JsonValue* error = v.Find("last_error");
  ASSERT_TRUE(error != nullptr && error->is_object()) << ToJsonString(v);
  EXPECT_EQ(error->Find("arm")->as_string(), "primary");
  EXPECT_EQ(error->Find("version")->as_string(), "1");
  EXPECT_EQ(error->Find("message")->as_string(),
            "loading version 1 of \"fraud\": no package at missing");
  EXPECT_EQ(error->Find("at_ms")->as_int(), clock_.NowMillis());
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("2")).ok());
  JsonValue list = Json(Call("GET", "/api/ferry/v1/deployments"));
  const JsonValue& d = list.Find("deployments")->items()[0];
  EXPECT_TRUE(d.Find("last_error")->is_null());
  EXPECT_EQ(d.Find("primary")->Find("version")->as_string(), "2");
}

TEST_F(DeploymentHandlersTest, SetsTheCanaryPercent) {
  ASSERT_TRUE(manager_.SetPrimary("fraud", Ref("1")).ok());
  HttpResponse ok = Call("POST", "/api/ferry/v1/deployments/fraud/canary", R"({"percent": 30})");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(percent_, 30);
  EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/fraud/canary", R"({"percent": 130})").status,
            400);
  EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/fraud/canary", R"({"pct": 3})").status, 400);
  EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/other/canary", R"({"percent": 3})").status,
            404);
  EXPECT_EQ(Call("POST", "/api/ferry/v1/deployments/fraud", R"({"percent": 3})").status, 404);
  EXPECT_EQ(percent_, 30);
}

}  // namespace
}  // namespace ferry::http
