// The one Status -> HTTP table, and the scrubbing of server paths from error messages.

#include "http/status_mapping.h"

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(StatusMappingTest, EveryCode) {
  using C = absl::StatusCode;
  const struct {
    C code;
    int http;
  } cases[] = {
      {C::kOk, 500},  // never an error answer; not a success either
      {C::kCancelled, 499},
      {C::kUnknown, 500},
      {C::kInvalidArgument, 400},
      {C::kDeadlineExceeded, 504},
      {C::kNotFound, 404},
      {C::kAlreadyExists, 400},
      {C::kPermissionDenied, 403},
      {C::kResourceExhausted, 507},
      {C::kFailedPrecondition, 400},
      {C::kAborted, 409},
      {C::kOutOfRange, 400},
      {C::kUnimplemented, 501},
      {C::kInternal, 500},
      {C::kUnavailable, 503},
      {C::kDataLoss, 500},
      {C::kUnauthenticated, 401},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(absl::StatusCodeToString(c.code));
    EXPECT_EQ(HttpStatusFor(c.code), c.http);
  }
  // A full disk or database is never 429, which MLflow's client retries.
  EXPECT_NE(HttpStatusFor(C::kResourceExhausted), 429);
}

TEST(StatusMappingTest, RetryAfterOnlyOn503) {
  HttpResponse busy = JsonError(503, "{}");
  ASSERT_EQ(busy.headers.size(), 1u);
  EXPECT_EQ(busy.headers[0].first, "Retry-After");
  EXPECT_EQ(busy.headers[0].second, "1");
  EXPECT_TRUE(JsonError(507, "{}").headers.empty());
  EXPECT_EQ(JsonError(507, "{}").content_type, "application/json");
}

TEST(StatusMappingTest, PublicMessageCutsQuotedServerPaths) {
  EXPECT_EQ(PublicMessage("open '/srv/ferry/artifacts/intake/staging-1/index.json': No such file"),
            "open 'index.json': No such file");
  EXPECT_EQ(PublicMessage("rename '/a/b' to '/c/d/e': busy"), "rename 'b' to 'e': busy");
  EXPECT_EQ(PublicMessage("mkdir '/data/dir/': Permission denied"),
            "mkdir 'dir/': Permission denied");
  // Not a quoted absolute path: unchanged.
  EXPECT_EQ(PublicMessage("no OIP endpoint at /v2/models/x"), "no OIP endpoint at /v2/models/x");
  EXPECT_EQ(PublicMessage("name 'a/b' is odd"), "name 'a/b' is odd");
  EXPECT_EQ(PublicMessage("unterminated '/x/y"), "unterminated '/x/y");
  EXPECT_EQ(PublicMessage(""), "");
}

}  // namespace
}  // namespace ferry::http
