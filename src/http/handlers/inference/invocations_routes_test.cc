// Conformance of the MLflow scoring endpoints over real sockets (/ping, /health, /version,
// /invocations), with FakeInferenceService (see fake_inference_service.h).

#include <string>

#include "gtest/gtest.h"
#include "http/handlers/inference/testing/serving_routes_fixture.h"

namespace ferry::http {
namespace {

using testing::RawResponse;

using InvocationsTest = ServingRoutesTest;

constexpr char kSplit[] =
    R"({"dataframe_split":{"columns":["a","b","c"],"data":[[1,2,3],[4,5,6]]}})";

TEST_F(InvocationsTest, PingHealthVersion) {
  for (const char* path : {"/ping", "/health"}) {
    RawResponse r = Get(path);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "\n");
    EXPECT_EQ(r.Header("content-type"), "application/json");
  }
  service_.ready = false;
  EXPECT_EQ(Get("/ping").status, 404);
  EXPECT_EQ(Get("/health").status, 404);
  RawResponse v = Get("/version");
  EXPECT_EQ(v.status, 200);
  EXPECT_EQ(v.body, "ferry " FERRY_VERSION);
}

TEST_F(InvocationsTest, ScoresTheOnlyDeploymentOrTheNamedOne) {
  service_.models = {"sum"};
  RawResponse r = Post("/invocations", kSplit);
  ASSERT_EQ(r.status, 200) << r.body;
  // Two outputs: one object per row.
  EXPECT_EQ(r.body, "{\"predictions\":[{\"y\":6,\"n\":0},{\"y\":15,\"n\":1}]}");
  EXPECT_EQ(service_.last_request.inputs[0].shape, (std::vector<int64_t>{2, 3}));

  r = Post("/invocations", "a,b,c\n1,1,1\n", "Content-Type: text/csv; charset=UTF-8\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[{\"y\":3,\"n\":0}]}");

  service_.models = {"echo", "sum"};
  r = Post("/invocations", R"({"instances":["ab","c"]})",
           "Content-Type: application/json\r\nFerry-Model: echo\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[\"AB\",\"C\"]}");
  EXPECT_EQ(service_.last_request.deadline_ms, 0);

  r = Post("/invocations", R"({"inputs":{"session":["x"]}})",
           "Content-Type: application/json\r\nFerry-Model: echo\r\nFerry-Timeout-Ms: 40\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(service_.last_request.deadline_ms, 5040);
}

TEST_F(InvocationsTest, Errors) {
  const struct {
    std::vector<std::string> models;
    std::string body;
    std::string headers;
    int status;
    const char* error_code;
    const char* message;
  } cases[] = {
      {{"sum"}, "{", "Content-Type: application/json\r\n", 400, "BAD_REQUEST", "Malformed JSON"},
      {{"sum"},
       "{}",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "exactly one of the input fields"},
      {{"sum"},
       R"({"instances":[[1,2,3]],"dataframe_records":[]})",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "exactly one"},
      {{"sum"},
       R"({"dataframe_split":{"columns":["a","c"],"data":[[1,2]]}})",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "missing column \"b\""},
      {{"sum"},
       "a,b,c\n1,2,3\n1,2\n",
       "Content-Type: text/csv\r\n",
       400,
       "BAD_REQUEST",
       "CSV input:3: expected 3 fields, got 2"},
      {{"sum", "echo"},
       kSplit,
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "name one in the Ferry-Model header"},
      {{},
       kSplit,
       "Content-Type: application/json\r\n",
       503,
       "TEMPORARILY_UNAVAILABLE",
       "no model is deployed"},
      {{"sum"},
       kSplit,
       "Content-Type: application/json\r\nFerry-Model: nope\r\n",
       404,
       "RESOURCE_DOES_NOT_EXIST",
       "model \"nope\" not found"},
      {{"busy"},
       R"({"inputs":[1]})",
       "Content-Type: application/json\r\n",
       503,
       "TEMPORARILY_UNAVAILABLE",
       "queue full"},
      {{"slow"},
       R"({"inputs":[1]})",
       "Content-Type: application/json\r\n",
       504,
       "DEADLINE_EXCEEDED",
       "Request processing time exceeded limit"},
      {{"broken"},
       R"({"inputs":[1]})",
       "Content-Type: application/json\r\n",
       500,
       "INTERNAL_ERROR",
       "predictor crashed"},
      {{"sum"},
       R"({"instances":[[1,2,null]]})",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "NaN"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body + " " + c.headers);
    service_.models = c.models;
    RawResponse r = Post("/invocations", c.body, c.headers);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(ErrorOf(r, "error_code"), c.error_code) << r.body;
    EXPECT_NE(ErrorOf(r, "message").find(c.message), std::string::npos) << r.body;
    EXPECT_EQ(r.Header("retry-after"), c.status == 503 ? "1" : "");
  }
}

TEST_F(InvocationsTest, UnsupportedContentTypes) {
  service_.models = {"sum"};
  for (const char* headers :
       {"Content-Type: text/plain\r\n", "", "Content-Type: application/json; charset=latin-1\r\n",
        "Content-Type: text/csv; charset=utf-16\r\n"}) {
    SCOPED_TRACE(headers);
    RawResponse r = Post("/invocations", kSplit, headers);
    EXPECT_EQ(r.status, 415);
    EXPECT_NE(r.body.find("only supports the following content types"), std::string::npos);
  }
  EXPECT_EQ(
      Post("/invocations", kSplit, "Content-Type: Application/JSON; charset=\"utf-8\"\r\n").status,
      200);
  EXPECT_EQ(Get("/invocations").status, 405);
}

}  // namespace
}  // namespace ferry::http
