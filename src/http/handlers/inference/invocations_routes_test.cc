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
  EXPECT_EQ(r.body, "{\"predictions\":[{\"y\":6.0,\"n\":0},{\"y\":15.0,\"n\":1}]}");
  EXPECT_EQ(service_.last_request.inputs[0].shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(r.Header("ferry-model"), "sum");  // who answered, outside MLflow's body
  EXPECT_EQ(r.Header("ferry-model-version"), "1");

  r = Post("/invocations", "a,b,c\n1,1,1\n", "Content-Type: text/csv; charset=UTF-8\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[{\"y\":3.0,\"n\":0}]}");

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
      {{"sum"},
       "{",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "Invalid input. Ensure that input is a valid JSON formatted string."},
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
       "INVALID_PARAMETER_VALUE",
       "Model is missing inputs ['b']."},
      {{"typed"},
       R"({"dataframe_records":[{"n":"x","s":"a"}]})",
       "Content-Type: application/json\r\n",
       400,
       "BAD_REQUEST",
       "Failed to convert column n to type 'int64'. Error: 'invalid literal for int() with "
       "base 10: 'x''"},
      {{"typed"},
       R"({"dataframe_records":[{"n":1.5,"s":"a"}]})",
       "Content-Type: application/json\r\n",
       400,
       "INVALID_PARAMETER_VALUE",
       "Incompatible input types for column n. Can not safely convert float64 to int64."},
      {{"typed"},
       "s,n\na,x\n",
       "Content-Type: text/csv\r\n",
       400,
       "BAD_REQUEST",
       "Error: 'invalid literal for int() with base 10: 'x'' (column 'n', row 0)"},
      {{"sum"},
       R"({"instances":[[1,2,3]]})",
       "Content-Type: application/json\r\n",
       400,
       "INVALID_PARAMETER_VALUE",
       "predict_method 'predict_proba' is not available"},
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
    // The predict_proba case asks through the query string.
    bool proba = c.message == std::string("predict_method 'predict_proba' is not available");
    RawResponse r = Post(proba ? "/invocations?predict_method=predict_proba" : "/invocations",
                         c.body, c.headers);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(ErrorOf(r, "error_code"), c.error_code) << r.body;
    EXPECT_NE(ErrorOf(r, "message").find(c.message), std::string::npos) << r.body;
    EXPECT_EQ(r.Header("retry-after"), c.status == 503 ? "1" : "");
  }
}

TEST_F(InvocationsTest, UnsupportedContentTypes) {
  service_.models = {"sum"};
  const struct {
    const char* headers;
    const char* message;
  } cases[] = {
      {"Content-Type: text/plain\r\n", "only supports the following content types"},
      {"", "only supports the following content types"},
      {"Content-Type: application/json; charset=latin-1\r\n",
       "The scoring server only supports UTF-8"},
      {"Content-Type: text/csv; charset=utf-16\r\n", "The scoring server only supports UTF-8"},
      {"Content-Type: application/json; format=pandas\r\n",
       "Unrecognized content type parameters: format."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.headers);
    RawResponse r = Post("/invocations", kSplit, c.headers);
    EXPECT_EQ(r.status, 415);
    EXPECT_NE(r.body.find(c.message), std::string::npos) << r.body;
  }
  EXPECT_EQ(
      Post("/invocations", kSplit, "Content-Type: Application/JSON; charset=\"utf-8\"\r\n").status,
      200);
  EXPECT_EQ(Get("/invocations").status, 405);
}

// Ferry's classifiers answer as MLflow's sklearn flavor: labels, or probabilities on request.
TEST_F(InvocationsTest, ClassifierLabelsOrProbabilities) {
  service_.models = {"clf"};
  RawResponse r = Post("/invocations", kSplit);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[1,1]}");
  r = Post("/invocations",
           R"({"dataframe_split":{"columns":["a","b","c"],"data":[[1,1,1],[4,5,6]]},)"
           R"("params":{"predict_method":"predict_proba"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[[0.9,0.1],[0.1,0.9]]}");
  r = Post("/invocations?predict_method=predict_proba", "a,b,c\n1,1,1\n",
           "Content-Type: text/csv\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[[0.9,0.1]]}");
  r = Post("/invocations?predict_method=predict", kSplit);
  EXPECT_EQ(r.body, "{\"predictions\":[1,1]}");
  r = Post("/invocations?predict_method=transform", kSplit);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ErrorOf(r, "error_code"), "INVALID_PARAMETER_VALUE");
}

// An MLflow column-based signature: typed columns in schema order, optional ones left out,
// several outputs (a DataFrame) as records.
TEST_F(InvocationsTest, ColumnSignatureAnswersRecords) {
  service_.models = {"typed"};
  RawResponse r = Post("/invocations",
                       R"({"dataframe_records":[{"s":"a","n":2,"x":0},{"s":"b","n":3.0,"x":1}]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[{\"n\":2,\"s\":\"a\"},{\"n\":3,\"s\":\"b\"}]}");
  ASSERT_EQ(service_.last_request.inputs.size(), 2u);
  EXPECT_EQ(service_.last_request.inputs[0].datatype, DataType::kInt64);
  r = Post("/invocations", R"({"inputs":{"n":[1],"s":["a"],"opt":[null]}})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "{\"predictions\":[{\"n\":1,\"s\":\"a\",\"opt\":\"NaN\"}]}");
}

// OIP /infer, given the same rows (one tensor, or one input per column), returns the values
// /invocations answers, under the outputs' names.
TEST_F(InvocationsTest, OipInferGivesTheSameValues) {
  service_.models = {"clf", "typed"};
  RawResponse inv =
      Post("/invocations", kSplit, "Content-Type: application/json\r\nFerry-Model: clf\r\n");
  ASSERT_EQ(inv.status, 200) << inv.body;
  RawResponse oip =
      Post("/v2/models/clf/infer", R"({"inputs":[{"name":"x","shape":[2,3],"datatype":"FP64",)"
                                   R"("data":[1,2,3,4,5,6]}],"outputs":[{"name":"predictions"}]})");
  ASSERT_EQ(oip.status, 200) << oip.body;
  EXPECT_EQ(inv.body, "{\"predictions\":[1,1]}");
  EXPECT_NE(oip.body.find("\"data\":[1,1]"), std::string::npos) << oip.body;

  inv = Post("/invocations", R"({"dataframe_split":{"columns":["n","s"],"data":[[7,"q"]]}})",
             "Content-Type: application/json\r\nFerry-Model: typed\r\n");
  ASSERT_EQ(inv.status, 200) << inv.body;
  EXPECT_EQ(inv.body, "{\"predictions\":[{\"n\":7,\"s\":\"q\"}]}");
  oip = Post("/v2/models/typed/infer",
             R"({"inputs":[{"name":"n","shape":[1],"datatype":"INT64","data":[7]},)"
             R"({"name":"s","shape":[1],"datatype":"BYTES","data":["q"]}]})");
  ASSERT_EQ(oip.status, 200) << oip.body;
  EXPECT_NE(oip.body.find("\"name\":\"n\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[7]"),
            std::string::npos)
      << oip.body;
  EXPECT_NE(oip.body.find("\"data\":[\"q\"]"), std::string::npos) << oip.body;
}

}  // namespace
}  // namespace ferry::http
