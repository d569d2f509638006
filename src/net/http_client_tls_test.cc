// HttpClient over https against `openssl s_server` with a throwaway self-signed certificate:
// trusted through set_ca_file it answers; with the system store the certificate is refused.
// A certificate that does not name 127.0.0.1 is refused through set_ca_file but answers when
// pinned (set_pinned_certificate), and pinning another certificate is refused.

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "common/fs.h"
#include "gtest/gtest.h"
#include "net/http_client.h"

namespace ferry::net {
namespace {

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

class TlsServer : public ::testing::Test {
 protected:
  // The certificate's subjectAltName.
  virtual std::string Names() const { return "IP:127.0.0.1"; }
  void SetUp() override {
    auto dir = TempDir::Create("ferry-tls-test");
    ASSERT_TRUE(dir.ok());
    dir_.emplace(std::move(*dir));
    cert_ = dir_->path() + "/cert.pem";
    std::string key = dir_->path() + "/key.pem";
    std::string gen =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 1 -subj /CN=ferry-test -addext subjectAltName=" +
        Names() + " -keyout " + key + " -out " + cert_ + " >/dev/null 2>&1";
    if (std::system(gen.c_str()) != 0) GTEST_SKIP() << "openssl cannot make a certificate";
    port_ = FreePort();
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string accept = std::to_string(port_);
      ::execlp("openssl", "openssl", "s_server", "-quiet", "-www", "-accept", accept.c_str(),
               "-cert", cert_.c_str(), "-key", key.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !Accepts(port_); ++i) ::usleep(20000);
    ASSERT_TRUE(Accepts(port_)) << "openssl s_server did not start";
  }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  std::optional<TempDir> dir_;
  std::string cert_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(TlsServer, TrustedCertificateAnswers) {
  auto client = HttpClient::ForUri(url());
  ASSERT_TRUE(client.ok());
  client->set_ca_file(cert_);
  auto resp = client->Send("GET", "/");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_NE(resp->body.find("s_server"), std::string::npos) << resp->body;
}

TEST_F(TlsServer, UntrustedCertificateIsRefused) {
  auto client = HttpClient::ForUri(url());
  ASSERT_TRUE(client.ok());
  auto resp = client->Send("GET", "/");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable) << resp.status();
  EXPECT_NE(resp.status().ToString().find("TLS"), std::string::npos) << resp.status();
}

class LocalhostOnlyServer : public TlsServer {
 protected:
  std::string Names() const override { return "DNS:localhost"; }
};

TEST_F(LocalhostOnlyServer, PinnedCertificateAnswersUnderAnyName) {
  auto client = HttpClient::ForUri(url());
  ASSERT_TRUE(client.ok());
  client->set_ca_file(cert_);
  auto refused = client->Send("GET", "/");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable) << refused.status();

  client->set_pinned_certificate(cert_);
  auto resp = client->Send("GET", "/");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
}

TEST_F(LocalhostOnlyServer, PinningAnotherCertificateIsRefused) {
  std::string other = dir_->path() + "/other.pem";
  std::string gen =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=other -keyout " +
      dir_->path() + "/other.key -out " + other + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(gen.c_str()), 0);
  auto client = HttpClient::ForUri(url());
  ASSERT_TRUE(client.ok());
  client->set_pinned_certificate(other);
  auto resp = client->Send("GET", "/");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kUnavailable) << resp.status();
}

}  // namespace
}  // namespace ferry::net
