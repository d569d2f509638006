#include "http/handlers/monitoring/monitoring_handlers.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "common/json.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {
namespace {

class FakeApi : public MonitoringApi {
 public:
  std::string DeploymentsJson() override { return R"([{"deployment":"iris"}])"; }
  absl::StatusOr<std::string> WindowsJson(std::string_view d, int max_results) override {
    if (d != "iris") return absl::NotFoundError("deployment 'x' is not monitored");
    last_max = max_results;
    return std::string(R"([{"window":1}])");
  }
  absl::StatusOr<std::string> AlertsJson(std::string_view d) override {
    if (d != "iris") return absl::NotFoundError("not monitored");
    return std::string(R"({"active":[],"events":[]})");
  }
  absl::StatusOr<LabelCounts> AddLabels(std::string_view d,
                                        std::vector<PostedLabel> labels) override {
    if (d != "iris") return absl::NotFoundError("not monitored");
    posted = std::move(labels);
    return LabelCounts{2, 1, 0, 0, 0};
  }
  int last_max = 0;
  std::vector<PostedLabel> posted;
};

class MonitoringHandlersTest : public ::testing::Test {
 protected:
  MonitoringHandlersTest() { RegisterMonitoringRoutes(router_, api_, worker_); }

  HttpResponse Call(const std::string& method, const std::string& path, std::string query = "",
                    std::string body = "") {
    Router::Match m = router_.Find(method, path);
    const Handler labels = LabelsHandler(api_);  // what the async labels route runs
    if (m.async_handler != nullptr) m.handler = &labels;
    if (m.handler == nullptr) return HttpResponse::Json(m.status, "{}");
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.query = std::move(query);
    req.body = std::move(body);
    req.path_rest = m.path_rest;
    if (method == "POST") req.headers.push_back({"content-type", "application/json"});
    return (*m.handler)(req);
  }
  static std::string ErrorCode(const HttpResponse& r) {
    auto v = ParseJson(r.body);
    if (!v.ok() || v->Find("error_code") == nullptr) return "<none>";
    return v->Find("error_code")->as_string();
  }

  FakeApi api_;
  BlockingWorker worker_{"labels", 1, 1};
  Router router_;
};

TEST_F(MonitoringHandlersTest, ListsDeployments) {
  HttpResponse r = Call("GET", "/api/ferry/v1/monitoring/deployments");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"deployments":[{"deployment":"iris"}]})");
}

TEST_F(MonitoringHandlersTest, WindowsTakeMaxResultsWithinBounds) {
  HttpResponse r = Call("GET", "/api/ferry/v1/monitoring/deployments/iris/windows");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"deployment":"iris","windows":[{"window":1}]})");
  EXPECT_EQ(api_.last_max, kDefaultWindowResults);
  EXPECT_EQ(
      Call("GET", "/api/ferry/v1/monitoring/deployments/iris/windows", "max_results=3").status,
      200);
  EXPECT_EQ(api_.last_max, 3);
  HttpResponse zero =
      Call("GET", "/api/ferry/v1/monitoring/deployments/iris/windows", "max_results=0");
  EXPECT_EQ(zero.status, 400);
  EXPECT_EQ(ErrorCode(zero), "INVALID_PARAMETER_VALUE");
  EXPECT_NE(zero.body.find("max_results"), std::string::npos);
  EXPECT_EQ(
      Call("GET", "/api/ferry/v1/monitoring/deployments/iris/windows", "max_results=x").status,
      400);
}

TEST_F(MonitoringHandlersTest, UnknownDeploymentIs404AndUnknownPathsTooWithTheirOwnCode) {
  HttpResponse r = Call("GET", "/api/ferry/v1/monitoring/deployments/nope/alerts");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ErrorCode(r), "RESOURCE_DOES_NOT_EXIST");
  HttpResponse other = Call("GET", "/api/ferry/v1/monitoring/deployments/iris/other");
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(ErrorCode(other), "ENDPOINT_NOT_FOUND");
  EXPECT_EQ(ErrorCode(Call("GET", "/api/ferry/v1/monitoring/deployments/iris")),
            "ENDPOINT_NOT_FOUND");
  HttpResponse alerts = Call("GET", "/api/ferry/v1/monitoring/deployments/iris/alerts");
  EXPECT_EQ(alerts.body, R"({"deployment":"iris","alerts":{"active":[],"events":[]}})");
}

TEST_F(MonitoringHandlersTest, PostsLabelsAndAnswersCounts) {
  HttpResponse r =
      Call("POST", "/api/ferry/v1/monitoring/labels", "",
           R"({"deployment":"iris","labels":[{"request_id":"a","label":1},)"
           R"({"request_id":"b","label":"setosa"},{"request_id":"c","label":true,"row":2}]})");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      r.body,
      R"({"deployment":"iris","matched":2,"unknown":1,"duplicate":0,"late":0,"unbuffered":0})");
  ASSERT_EQ(api_.posted.size(), 3u);
  EXPECT_TRUE(api_.posted[0].numeric);
  EXPECT_EQ(api_.posted[0].number, 1);
  EXPECT_FALSE(api_.posted[1].numeric);
  EXPECT_EQ(api_.posted[1].text, "setosa");
  EXPECT_EQ(api_.posted[2].number, 1);
  EXPECT_EQ(api_.posted[2].row, 2u);
  EXPECT_EQ(api_.posted[0].row, 0u);
  HttpResponse missing = Call("POST", "/api/ferry/v1/monitoring/labels", "",
                              R"({"deployment":"nope","labels":[{"request_id":"a","label":1}]})");
  EXPECT_EQ(missing.status, 404);
}

TEST_F(MonitoringHandlersTest, LabelErrorsNameTheFieldAndIndex) {
  struct Case {
    const char* body;
    const char* message;
  } cases[] = {
      {R"({"labels":[]})", "deployment: missing"},
      {R"({"deployment":3,"labels":[]})", "deployment: expected a non-empty string"},
      {R"({"deployment":"iris"})", "labels: missing"},
      {R"({"deployment":"iris","labels":{}})", "labels: expected an array"},
      {R"({"deployment":"iris","labels":[]})", "labels: empty"},
      {R"({"deployment":"iris","labels":[{"request_id":"a","label":1},{"label":2}]})",
       "labels[1].request_id: missing"},
      {R"({"deployment":"iris","labels":[{"request_id":"a"}]})", "labels[0].label: missing"},
      {R"({"deployment":"iris","labels":[{"request_id":"a","label":[1]}]})",
       "labels[0].label: expected a number, a string or a boolean"},
      {R"({"deployment":"iris","labels":[7]})", "labels[0]: expected an object"},
      {R"({"deployment":"iris","labels":[{"request_id":"a","label":1,"row":-1}]})",
       "labels[0].row: expected a non-negative integer"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    auto body = ParseJson(c.body);
    ASSERT_TRUE(body.ok());
    auto parsed = ParseLabelsRequest(*body);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(), c.message);
    HttpResponse r = Call("POST", "/api/ferry/v1/monitoring/labels", "", c.body);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(ErrorCode(r), "INVALID_PARAMETER_VALUE");
  }
}

TEST_F(MonitoringHandlersTest, BatchesAreBounded) {
  std::string body = R"({"deployment":"iris","labels":[)";
  for (size_t i = 0; i <= kMaxLabelsPerBatch; ++i) {
    if (i > 0) body += ",";
    body += R"({"request_id":"r)" + std::to_string(i) + R"(","label":0})";
  }
  body += "]}";
  auto parsed = ParseLabelsRequest(*ParseJson(body));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "labels: 10001 labels, at most 10000 per request");
}

// An AddLabels that blocks until released, as LiveMonitoring's does while predictions are
// still queued.
class BlockingApi : public FakeApi {
 public:
  absl::StatusOr<LabelCounts> AddLabels(std::string_view d,
                                        std::vector<PostedLabel> labels) override {
    std::unique_lock<std::mutex> lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [this] { return released; });
    return FakeApi::AddLabels(d, std::move(labels));
  }
  void WaitEntered() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return entered; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu);
    released = true;
    cv.notify_all();
  }
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, released = false;
};

// With one event-loop thread, a labels request waiting in AddLabels must not hold the loop:
// another request is answered meanwhile.
TEST(MonitoringLabelsRoute, WaitsOnTheWorkerNotOnTheEventLoop) {
  BlockingApi api;
  BlockingWorker worker("labels", 1, 1);
  Router router;
  RegisterMonitoringRoutes(router, api, worker);
  ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.access_log = false;
  auto server = HttpServer::Create(options, router);
  ASSERT_TRUE(server.ok()) << server.status();
  (*server)->Start();
  const int port = (*server)->port();
  const std::string body = R"({"deployment":"iris","labels":[{"request_id":"a","label":1}]})";
  testing::RawHttpClient labels(port);
  ASSERT_TRUE(
      labels.Send("POST /api/ferry/v1/monitoring/labels HTTP/1.1\r\nHost: t\r\n"
                  "Content-Type: application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\n\r\n" + body));
  api.WaitEntered();
  testing::RawResponse other = testing::RoundTrip(
      port, "GET /api/ferry/v1/monitoring/deployments HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body, R"({"deployments":[{"deployment":"iris"}]})");
  api.Release();
  testing::RawResponse answered = labels.Read();
  EXPECT_EQ(answered.status, 200) << answered.body;
  EXPECT_NE(answered.body.find(R"("matched":2)"), std::string::npos) << answered.body;
  (*server)->Shutdown(0);
}

}  // namespace
}  // namespace ferry::http
