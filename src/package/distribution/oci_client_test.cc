#include "package/distribution/oci_client.h"

#include <gtest/gtest.h>

namespace ferry::package {
namespace {

net::ClientResponse Response(int status, std::string body) {
  net::ClientResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

TEST(RegistryErrorTest, NamesRequestCodeAndMessage) {
  absl::Status s = DistributionError(
      "PUT", "/v2/models/iris/manifests/1",
      Response(400, R"({"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"blob unknown to )"
                    R"(registry","detail":"sha256:ab"}]})"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()),
            "registry PUT /v2/models/iris/manifests/1: HTTP 400 MANIFEST_BLOB_UNKNOWN: blob "
            "unknown to registry");
}

TEST(RegistryErrorTest, MapsStatusCodes) {
  struct {
    int status;
    absl::StatusCode code;
  } cases[] = {
      {404, absl::StatusCode::kNotFound},         {401, absl::StatusCode::kPermissionDenied},
      {403, absl::StatusCode::kPermissionDenied}, {405, absl::StatusCode::kInvalidArgument},
      {500, absl::StatusCode::kUnavailable},      {503, absl::StatusCode::kUnavailable},
      {418, absl::StatusCode::kUnknown},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DistributionError("GET", "/v2/", Response(c.status, "")).code(), c.code) << c.status;
  }
}

TEST(RegistryErrorTest, NonJsonBodyIsQuotedWhenShort) {
  absl::Status s = DistributionError("GET", "/v2/", Response(502, "bad gateway"));
  EXPECT_EQ(std::string(s.message()), "registry GET /v2/: HTTP 502: bad gateway");
}

TEST(OciDistributionClientTest, UnreachableRegistryIsUnavailable) {
  auto ref = ParseDistributionReference("127.0.0.1:1/models/iris:v1");
  ASSERT_TRUE(ref.ok());
  auto client = OciDistributionClient::Create(*ref);
  ASSERT_TRUE(client.ok());
  absl::Status s = client->Ping();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
  EXPECT_NE(std::string(s.message()).find("Is the registry running at 127.0.0.1:1?"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace ferry::package
