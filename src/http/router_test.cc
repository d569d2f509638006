#include "http/router.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

Handler Tagged(std::string tag) {
  return [tag](HttpRequest&) { return HttpResponse::Text(200, tag); };
}

std::string Call(const Router::Match& match) {
  HttpRequest request;
  if (match.handler == nullptr) return "<none>";
  return (*match.handler)(request).body;
}

TEST(RouterTest, ExactPrefixAndMethods) {
  Router router;
  router.Add("GET", "/api/2.0/mlflow/runs/get", Tagged("get-run"));
  router.Add("POST", "/api/2.0/mlflow/runs/create", Tagged("create-run"));
  router.Add("GET", "/artifacts/*", Tagged("artifacts"));
  router.Add("GET", "/artifacts/special/*", Tagged("special"));
  router.Add("GET", "/artifacts/exact", Tagged("exact"));
  router.AddStream("PUT", "/artifacts/*", [](HttpRequest&) {
    return std::variant<std::unique_ptr<BodySink>, HttpResponse>(HttpResponse::Text(201, ""));
  });

  static const struct {
    const char* method;
    const char* path;
    int status;
    const char* tag;
    const char* rest;
  } cases[] = {
      {"GET", "/api/2.0/mlflow/runs/get", 200, "get-run", ""},
      {"HEAD", "/api/2.0/mlflow/runs/get", 200, "get-run", ""},
      {"POST", "/api/2.0/mlflow/runs/get", 405, "<none>", ""},
      {"POST", "/api/2.0/mlflow/runs/create", 200, "create-run", ""},
      {"GET", "/api/2.0/mlflow/runs/create", 405, "<none>", ""},
      {"GET", "/api/2.0/mlflow/runs", 404, "<none>", ""},
      {"GET", "/artifacts/a/b.txt", 200, "artifacts", "a/b.txt"},
      {"GET", "/artifacts/", 200, "artifacts", ""},
      {"GET", "/artifacts", 404, "<none>", ""},
      {"GET", "/artifacts/special/x", 200, "special", "x"},
      {"GET", "/artifacts/exact", 200, "exact", ""},
      {"DELETE", "/artifacts/a", 405, "<none>", ""},
      {"get", "/api/2.0/mlflow/runs/get", 405, "<none>", ""},
  };
  for (const auto& c : cases) {
    Router::Match match = router.Find(c.method, c.path);
    EXPECT_EQ(match.status, c.status) << c.method << " " << c.path;
    EXPECT_EQ(Call(match), c.tag) << c.method << " " << c.path;
    EXPECT_EQ(match.path_rest, c.rest) << c.method << " " << c.path;
  }
  Router::Match put = router.Find("PUT", "/artifacts/x/y");
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.handler, nullptr);
  ASSERT_NE(put.stream_handler, nullptr);
  EXPECT_EQ(put.path_rest, "x/y");
}

TEST(RouterTest, AsyncRoutes) {
  Router router;
  router.AddAsync("POST", "/v2/models/*", [](HttpRequest&, Responder) {});
  router.Add("GET", "/v2/models/*", Tagged("metadata"));
  Router::Match infer = router.Find("POST", "/v2/models/m/infer");
  EXPECT_EQ(infer.status, 200);
  EXPECT_EQ(infer.handler, nullptr);
  EXPECT_EQ(infer.stream_handler, nullptr);
  ASSERT_NE(infer.async_handler, nullptr);
  EXPECT_EQ(infer.path_rest, "m/infer");
  Router::Match metadata = router.Find("GET", "/v2/models/m");
  EXPECT_EQ(metadata.async_handler, nullptr);
  EXPECT_EQ(Call(metadata), "metadata");
  EXPECT_EQ(router.Find("PUT", "/v2/models/m").status, 405);
}

TEST(RouterTest, GuardChecksEveryRouteKindAndRunsAfterHooks) {
  Router router;
  router.Add("GET", "/open", Tagged("open"));
  router.Add("POST", "/closed", Tagged("closed"));
  router.AddStream("PUT", "/upload/*", [](HttpRequest&) {
    return std::variant<std::unique_ptr<BodySink>, HttpResponse>(HttpResponse::Text(201, "up"));
  });
  std::string after;
  ASSERT_TRUE(router
                  .Guard([&](std::string_view method,
                             std::string_view pattern) -> absl::StatusOr<Router::Check> {
                    bool open = pattern == "/open";
                    return [open, &after](HttpRequest&) {
                      Router::Verdict verdict;
                      if (!open) verdict.deny = HttpResponse::Text(403, "denied");
                      verdict.after = [&after](const HttpResponse& r) { after = r.body; };
                      return verdict;
                    };
                  })
                  .ok());
  EXPECT_EQ(Call(router.Find("GET", "/open")), "open");
  EXPECT_EQ(after, "open");
  EXPECT_EQ(Call(router.Find("POST", "/closed")), "denied");
  HttpRequest request;
  auto streamed = (*router.Find("PUT", "/upload/x").stream_handler)(request);
  ASSERT_TRUE(std::holds_alternative<HttpResponse>(streamed));
  EXPECT_EQ(std::get<HttpResponse>(streamed).status, 403);
  EXPECT_DEATH(router.Add("GET", "/late", Tagged("late")), "added after Router::Guard");
}

TEST(RouterTest, GuardFailsClosedNamingEveryRouteWithoutARule) {
  Router router;
  router.Add("GET", "/a", Tagged("a"));
  router.Add("GET", "/b/*", Tagged("b"));
  router.Add("GET", "/c", Tagged("c"));
  absl::Status status =
      router.Guard([](std::string_view, std::string_view pattern) -> absl::StatusOr<Router::Check> {
        if (pattern == "/c") return [](HttpRequest&) { return Router::Verdict{}; };
        return absl::NotFoundError("no rule");
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("GET /a: no rule"), std::string_view::npos);
  EXPECT_NE(status.message().find("GET /b/*: no rule"), std::string_view::npos);
  EXPECT_EQ(Call(router.Find("GET", "/a")), "a");  // unchanged: the server will not start
}

TEST(RouterTest, NotFoundHandler) {
  Router router;
  HttpRequest request;
  HttpResponse response = router.not_found()(request);
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("\"error_code\":\"ENDPOINT_NOT_FOUND\""), std::string::npos)
      << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  router.SetNotFound([](HttpRequest&) { return HttpResponse::Json(404, "{}"); });
  EXPECT_EQ(router.not_found()(request).body, "{}");
}

TEST(HttpTypesTest, HeaderAndFactories) {
  HttpRequest request;
  request.headers = {{"content-type", "application/json"}, {"x-a", "1"}, {"x-a", "2"}};
  ASSERT_NE(request.Header("x-a"), nullptr);
  EXPECT_EQ(*request.Header("x-a"), "1");
  EXPECT_EQ(request.Header("missing"), nullptr);
  HttpResponse json = HttpResponse::Json(201, "{\"a\":1}");
  EXPECT_EQ(json.status, 201);
  EXPECT_EQ(json.content_type, "application/json");
  HttpResponse text = HttpResponse::Text(200, "hi");
  EXPECT_EQ(text.content_type, "text/plain");
  EXPECT_EQ(text.body, "hi");
}

}  // namespace
}  // namespace ferry::http
