// One Status -> HTTP mapping: the same service error gets the same HTTP status on every
// protocol (OIP, MLflow scoring, MLflow REST); only the body differs.

#include "gtest/gtest.h"
#include "http/handlers/error_response.h"
#include "http/handlers/inference/testing/serving_routes_fixture.h"

namespace ferry::http {
namespace {

using testing::RawResponse;

constexpr char kOneValue[] =
    R"({"inputs":[{"name":"v","shape":[1],"datatype":"FP64","data":[1]}]})";

TEST_F(ServingRoutesTest, SameStatusOnEveryRoute) {
  for (int n = 1; n <= 16; ++n) {
    auto code = static_cast<absl::StatusCode>(n);
    SCOPED_TRACE(absl::StatusCodeToString(code));
    std::string model = "code-" + std::to_string(n);
    int expected = HttpStatusFor(code);

    RawResponse oip = Post("/v2/models/" + model + "/infer", kOneValue);
    EXPECT_EQ(oip.status, expected) << oip.body;
    EXPECT_NE(ErrorOf(oip), "<no error>") << oip.body;

    RawResponse scoring = Post("/invocations", R"({"inputs":[1]})",
                               "Content-Type: application/json\r\nFerry-Model: " + model + "\r\n");
    EXPECT_EQ(scoring.status, expected) << scoring.body;
    EXPECT_NE(ErrorOf(scoring, "error_code"), "<no error>") << scoring.body;

    EXPECT_EQ(ErrorResponse(absl::Status(code, "x")).status, expected);
    EXPECT_EQ(oip.Header("retry-after"), expected == 503 ? "1" : "");
    EXPECT_EQ(scoring.Header("retry-after"), expected == 503 ? "1" : "");
  }
}

TEST_F(ServingRoutesTest, FullDiskIs507NotRetried) {
  RawResponse oip = Post("/v2/models/code-8/infer", kOneValue);
  EXPECT_EQ(oip.status, 507);
  EXPECT_EQ(ErrorResponse(absl::ResourceExhaustedError("disk full")).status, 507);
}

}  // namespace
}  // namespace ferry::http
