// Conformance of the inference endpoints over real sockets: an HttpServer on port 0 with the
// serving routes over FakeInferenceService (fake_inference_service.h describes its models).

#include "http/handlers/inference/serving_routes.h"

#include <string>

#include "gtest/gtest.h"
#include "http/handlers/inference/testing/serving_routes_fixture.h"

namespace ferry::http {
namespace {

using testing::RawResponse;

constexpr char kSumRequest[] =
    "{\"id\":\"r-1\",\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"FP64\","
    "\"data\":[[1,2,3],[4,5,6.5]]}]}";

TEST_F(ServingRoutesTest, ServerMetadataAndHealth) {
  RawResponse r = Get("/v2");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"name\":\"ferry\",\"version\":\"" FERRY_VERSION
                    "\",\"extensions\":[\"binary_tensor_data\"]}");
  EXPECT_EQ(Get("/v2/health/live").body, "{\"live\":true}");
  EXPECT_EQ(Get("/v2/health/ready").body, "{\"ready\":true}");
  service_.ready = false;
  EXPECT_EQ(Get("/v2/health/ready").status, 400);
  EXPECT_EQ(Get("/v2/health/live").status, 200);
  service_.live = false;
  EXPECT_EQ(Get("/v2/health/live").status, 400);
}

TEST_F(ServingRoutesTest, ModelMetadataAndReadiness) {
  RawResponse r = Get("/v2/models/sum");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body,
            "{\"name\":\"sum\",\"versions\":[\"1\",\"2\"],\"platform\":\"ferry_linear\","
            "\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[-1,3]}],"
            "\"outputs\":[{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[-1]},"
            "{\"name\":\"n\",\"datatype\":\"INT64\",\"shape\":[-1]}]}");
  EXPECT_EQ(Get("/v2/models/sum/versions/2").status, 200);
  static const struct {
    const char* path;
    int status;
    const char* body_part;
  } cases[] = {
      {"/v2/models/sum/ready", 200, "{\"name\":\"sum\",\"ready\":true}"},
      {"/v2/models/sum/versions/2/ready", 200, "\"ready\":true"},
      {"/v2/models/loading/ready", 400, "{\"name\":\"loading\",\"ready\":false}"},
      {"/v2/models/unloaded/ready", 400,
       "{\"name\":\"unloaded\",\"ready\":false,\"reason\":\"model \\\"unloaded\\\" has no version "
       "loaded: RuntimeError: weights are missing\"}"},
      {"/v2/models/unloaded", 503, "RuntimeError: weights are missing"},
      {"/v2/models/sum/versions/9", 404, "no version \\\"9\\\""},
      {"/v2/models/sum/versions/9/ready", 404, "no version"},
      {"/v2/models/nope", 404, "model \\\"nope\\\" not found"},
      {"/v2/models/sum/bogus", 404, "no OIP endpoint"},
      {"/v2/models/sum/versions", 404, "no OIP endpoint"},
      {"/v2/models//ready", 404, "no OIP endpoint"},
      {"/v2/models/sum/infer", 405, "method GET is not allowed"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    RawResponse res = Get(c.path);
    EXPECT_EQ(res.status, c.status);
    EXPECT_NE(res.body.find(c.body_part), std::string::npos) << res.body;
  }
}

TEST_F(ServingRoutesTest, InferSuccess) {
  RawResponse r = Post("/v2/models/sum/infer", kSumRequest);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/json");
  EXPECT_EQ(r.body,
            "{\"model_name\":\"sum\",\"model_version\":\"1\",\"id\":\"r-1\",\"outputs\":["
            "{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[2],\"data\":[6,15.5]},"
            "{\"name\":\"n\",\"datatype\":\"INT64\",\"shape\":[2],\"data\":[0,1]}]}");
  EXPECT_EQ(service_.last_request.id, "r-1");
  EXPECT_EQ(service_.last_request.deadline_ms, 0);
  EXPECT_FALSE(service_.last_request.request_id.empty());
  EXPECT_EQ(service_.serialize_calls, 1);
  // A version in the path reaches the service.
  EXPECT_EQ(Post("/v2/models/sum/versions/2/infer", kSumRequest).status, 200);
  EXPECT_EQ(service_.last_version, "2");
}

TEST_F(ServingRoutesTest, RequestedOutputsAndBinaryOutput) {
  RawResponse r = Post("/v2/models/sum/infer",
                       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\","
                       "\"data\":[1,2,3]}],\"outputs\":[{\"name\":\"y\",\"parameters\":"
                       "{\"binary_data\":true}}]}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(service_.last_request.requested_outputs, (std::vector<std::string>{"y"}));
  EXPECT_EQ(r.Header("content-type"), "application/octet-stream");
  size_t json_length = std::stoul(r.Header("inference-header-content-length"));
  EXPECT_EQ(r.body.substr(0, json_length),
            "{\"model_name\":\"sum\",\"model_version\":\"1\",\"outputs\":[{\"name\":\"y\","
            "\"datatype\":\"FP64\",\"shape\":[1],\"parameters\":{\"binary_data_size\":8}}]}");
  double y = 0;
  ASSERT_EQ(r.body.size(), json_length + 8);
  std::memcpy(&y, r.body.data() + json_length, 8);
  EXPECT_EQ(y, 6.0);
}

TEST_F(ServingRoutesTest, BinaryInput) {
  std::string json =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP32\",\"parameters\":"
      "{\"binary_data_size\":12}}]}";
  float x[3] = {1.5f, 2.5f, 3.0f};
  std::string body = json + std::string(reinterpret_cast<const char*>(x), 12);
  RawResponse r =
      Post("/v2/models/sum/infer", body,
           "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " +
               std::to_string(json.size()) + "\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"data\":[7]"), std::string::npos) << r.body;
}

TEST_F(ServingRoutesTest, EveryDatatypeRoundTripsThroughTheServer) {
  static const char* kTypes[][2] = {
      {"BOOL", "[true,false]"},     {"UINT8", "[1,255]"},      {"UINT16", "[1,65535]"},
      {"UINT32", "[1,4294967295]"}, {"UINT64", "[1,2]"},       {"INT8", "[-1,1]"},
      {"INT16", "[-300,300]"},      {"INT32", "[-70000,1]"},   {"INT64", "[-1,5000000000]"},
      {"FP32", "[0.25,-1.5]"},      {"FP64", "[0.1,2.5e-08]"}, {"BYTES", "[\"a b\",\"\"]"},
  };
  for (const auto& t : kTypes) {
    SCOPED_TRACE(t[0]);
    std::string body = "{\"inputs\":[{\"name\":\"v\",\"shape\":[2],\"datatype\":\"" +
                       std::string(t[0]) + "\",\"data\":" + t[1] + "}]}";
    RawResponse r = Post("/v2/models/identity/infer", body);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(
        r.body.find("\"datatype\":\"" + std::string(t[0]) + "\",\"shape\":[2],\"data\":" + t[1]),
        std::string::npos)
        << r.body;
  }
  // FP16 and BF16 travel as binary both ways.
  for (const char* type : {"FP16", "BF16"}) {
    SCOPED_TRACE(type);
    std::string json =
        "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":"
        "\"h\",\"shape\":[2],\"datatype\":\"" +
        std::string(type) + "\",\"parameters\":{\"binary_data_size\":4}}]}";
    std::string bits("\x00\x3c\x80\x3f", 4);
    RawResponse r =
        Post("/v2/models/identity/infer", json + bits,
             "Inference-Header-Content-Length: " + std::to_string(json.size()) + "\r\n");
    ASSERT_EQ(r.status, 200) << r.body;
    size_t n = std::stoul(r.Header("inference-header-content-length"));
    EXPECT_EQ(r.body.substr(n), bits);
  }
}

TEST_F(ServingRoutesTest, DeadlinesFromParameterAndHeader) {
  std::string with_timeout =
      "{\"parameters\":{\"timeout\":1500000},\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],"
      "\"datatype\":\"FP64\",\"data\":[1,2,3]}]}";
  ASSERT_EQ(Post("/v2/models/sum/infer", with_timeout).status, 200);
  EXPECT_EQ(service_.last_request.deadline_ms, 5000 + 1500);
  ASSERT_EQ(Post("/v2/models/sum/infer", with_timeout, "Ferry-Timeout-Ms: 250\r\n").status, 200);
  EXPECT_EQ(service_.last_request.deadline_ms, 5000 + 250);
  ASSERT_EQ(Post("/v2/models/sum/infer", kSumRequest, "Ferry-Timeout-Ms: 9000\r\n").status, 200);
  EXPECT_EQ(service_.last_request.deadline_ms, 5000 + 9000);
  RawResponse bad = Post("/v2/models/sum/infer", kSumRequest, "Ferry-Timeout-Ms: soon\r\n");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorOf(bad), "Ferry-Timeout-Ms must be a positive integer");
}

TEST_F(ServingRoutesTest, InferErrors) {
  std::string one_row =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\","
      "\"data\":[1,2,3]}]}";
  const struct {
    const char* path;
    std::string body;
    std::string headers;
    int status;
    const char* error;  // substring of the "error" member
  } cases[] = {
      {"/v2/models/sum/infer", "{\"inputs\":[", "", 400, "Malformed JSON"},
      {"/v2/models/sum/infer", "{\"inputs\":[]}", "", 400, "missing input \"x\""},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"BYTES\",\"data\":"
       "[\"a\",\"b\",\"c\"]}]}",
       "", 400, "datatype BYTES not accepted"},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1,2]}]}", "",
       400, "expected shape [-1,3], got [1,2]"},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\",\"data\":[1,2]}]}", "",
       400, "shape [1,3] has 3 elements, data has 2"},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"UINT8\",\"data\":[1,2,300]}]}",
       "", 400, "input \"x\": element 2: 300 is out of range for UINT8"},
      {"/v2/models/sum/infer", one_row, "Inference-Header-Content-Length: x\r\n", 400,
       "Inference-Header-Content-Length must be"},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\",\"parameters\":"
       "{\"binary_data_size\":16}}]}0123456789abcdef",
       "Inference-Header-Content-Length: 94\r\n", 400, "binary_data_size 16 does not match"},
      {"/v2/models/sum/infer",
       "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\",\"parameters\":"
       "{\"binary_data_size\":24}}]}0123456789abcdef",
       "Inference-Header-Content-Length: 94\r\n", 400, "exceeds the 16 bytes of binary data left"},
      {"/v2/models/nope/infer", one_row, "", 404, "model \"nope\" not found"},
      {"/v2/models/busy/infer", one_row, "", 503, "queue full"},
      {"/v2/models/slow/infer", one_row, "", 504, "deadline exceeded"},
      {"/v2/models/broken/infer", one_row, "", 500, "predictor crashed"},
      {"/v2/models/invalid/infer", one_row, "", 400, "NaN at element 0"},
      {"/v2/models/sum", one_row, "", 405, "method POST is not allowed"},
      {"/v2/models/sum/ready", one_row, "", 405, "method POST is not allowed"},
      {"/v2/models/sum/inference", one_row, "", 404, "no OIP endpoint"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.path) + " " + c.body);
    RawResponse r = Post(c.path, c.body, c.headers);
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(r.Header("content-type"), "application/json");
    EXPECT_NE(ErrorOf(r).find(c.error), std::string::npos) << r.body;
    EXPECT_EQ(r.Header("retry-after"), c.status == 503 ? "1" : "");
  }
  // Methods no route has.
  EXPECT_EQ(Send("PUT", "/v2/models/sum/infer", one_row).status, 405);
  EXPECT_EQ(Send("DELETE", "/v2", "").status, 405);
}

TEST_F(ServingRoutesTest, AnswerFromAnotherThread) {
  RawResponse r = Post("/v2/models/later/infer",
                       "{\"id\":\"z\",\"inputs\":[{\"name\":\"v\",\"shape\":[1],\"datatype\":"
                       "\"INT32\",\"data\":[3]}]}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            "{\"model_name\":\"later\",\"id\":\"z\",\"outputs\":[{\"name\":\"v\",\"datatype\":"
            "\"INT32\",\"shape\":[1],\"data\":[3]}]}");
}

// The server's own 413 takes the protocol's error shape: OIP's {"error"} under /v2/, MLflow's
// {"error_code", "message"} elsewhere.
TEST_F(ServingRoutesTest, BodyTooLargeInTheProtocolsShape) {
  std::string huge = "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n";
  RawResponse oip = testing::RoundTrip(server_->port(),
                                       "POST /v2/models/sum/infer HTTP/1.1\r\nHost: t\r\n" + huge);
  EXPECT_EQ(oip.status, 413);
  EXPECT_EQ(oip.Header("content-type"), "application/json");
  EXPECT_NE(ErrorOf(oip).find("Request body exceeds"), std::string::npos) << oip.body;
  EXPECT_EQ(oip.body.find("error_code"), std::string::npos) << oip.body;

  RawResponse scoring =
      testing::RoundTrip(server_->port(), "POST /invocations HTTP/1.1\r\nHost: t\r\n" + huge);
  EXPECT_EQ(scoring.status, 413);
  EXPECT_EQ(ErrorOf(scoring, "error_code"), "INVALID_PARAMETER_VALUE") << scoring.body;
}

TEST_F(ServingRoutesTest, Metrics) {
  RawResponse r = Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4");
  EXPECT_EQ(r.body, service_.RenderMetrics());
}

}  // namespace
}  // namespace ferry::http
