#include "package/distribution/oci_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>
#include <vector>

#include "common/fs.h"
#include "common/sha256.h"
#include "common/testing/test_dir.h"

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

// A registry that answers each connection with the next canned reply (and closes it), after
// reading the request's head and Content-Length body.
class ScriptedRegistry {
 public:
  explicit ScriptedRegistry(std::vector<std::string> replies) {
    listen_fd_ = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(listen_fd_.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_.get(), 4) != 0 ||
        ::getsockname(listen_fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      std::abort();
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, replies = std::move(replies)] {
      for (const std::string& reply : replies) Answer(reply);
    });
  }
  ~ScriptedRegistry() { thread_.join(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  void Answer(const std::string& reply) {
    Fd fd(::accept(listen_fd_.get(), nullptr, nullptr));
    std::string got;
    char buf[4096];
    while (true) {
      size_t head = got.find("\r\n\r\n");
      if (head != std::string::npos) {
        size_t cl = got.find("Content-Length: ");
        size_t body = cl == std::string::npos || cl > head ? 0 : std::atoi(got.c_str() + cl + 16);
        if (got.size() >= head + 4 + body) break;
      }
      ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    (void)WriteAll(fd.get(), reply, "socket");
  }

  Fd listen_fd_;
  int port_ = 0;
  std::thread thread_;
};

TEST(OciDistributionClientTest, PushAndPullReportBytesThroughTheOneProgressType) {
  const std::string blob = "model weights";
  const std::string digest = "sha256:" + Sha256Hex(blob);
  const std::string length = std::to_string(blob.size());
  ScriptedRegistry registry({
      "HTTP/1.1 202 Accepted\r\nLocation: /v2/models/iris/blobs/uploads/u1\r\n"
      "Content-Length: 0\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n" + blob,
  });
  testing::TestDir dir("ferry-oci-client-test");
  ASSERT_TRUE(WriteFileAtomic(dir.path() + "/blob", blob).ok());
  auto ref = ParseDistributionReference(registry.address() + "/models/iris:v1");
  ASSERT_TRUE(ref.ok()) << ref.status();
  auto client = OciDistributionClient::Create(*ref);
  ASSERT_TRUE(client.ok()) << client.status();
  std::vector<std::string> seen;
  client->set_progress([&](const Progress& p) {
    EXPECT_EQ(p.unit, ProgressUnit::kBytes);
    seen.push_back(std::string(p.label) + " " + std::to_string(p.done) + "/" +
                   std::to_string(p.total));
  });
  const int64_t size = static_cast<int64_t>(blob.size());
  ASSERT_TRUE(client->UploadBlob(digest, dir.path() + "/blob", size).ok());
  ASSERT_TRUE(client->DownloadBlob(digest, size, dir.path() + "/pulled").ok());
  const std::string done = digest + " " + length + "/" + length;
  EXPECT_EQ(seen, (std::vector<std::string>{done, done}));
  EXPECT_EQ(*ReadFile(dir.path() + "/pulled"), blob);
}

}  // namespace
}  // namespace ferry::package
