// HttpServer over TLS: a certificate made at test time, OpenSSL as the client. Loading
// errors, the handshake (ALPN, the TLS 1.2 floor), requests and pipelining, a body streamed
// from a file descriptor (no sendfile under TLS), an upload, plain HTTP to the TLS port, and
// a silent client closed at the header deadline.

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"
#include "http/tls/tls_context.h"

namespace ferry::http {
namespace {

// A fresh P-256 key and a self-signed certificate for CN=localhost, as PEM files.
struct CertFiles {
  std::string dir;
  std::string cert;
  std::string key;
  std::string other_key;  // a second key that matches nothing
};

EVP_PKEY* NewKey() { return EVP_EC_gen("P-256"); }

bool WritePem(const std::string& path, EVP_PKEY* key, X509* cert) {
  FILE* file = std::fopen(path.c_str(), "w");
  if (file == nullptr) return false;
  bool ok = cert != nullptr
                ? PEM_write_X509(file, cert) == 1
                : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(file);
  return ok;
}

CertFiles MakeCertFiles() {
  CertFiles files;
  char dir[] = "/tmp/ferry_tls_test_XXXXXX";
  files.dir = mkdtemp(dir);
  files.cert = files.dir + "/cert.pem";
  files.key = files.dir + "/key.pem";
  files.other_key = files.dir + "/other.pem";
  EVP_PKEY* key = NewKey();
  EVP_PKEY* other = NewKey();
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  EXPECT_TRUE(WritePem(files.cert, nullptr, cert));
  EXPECT_TRUE(WritePem(files.key, key, nullptr));
  EXPECT_TRUE(WritePem(files.other_key, other, nullptr));
  X509_free(cert);
  EVP_PKEY_free(key);
  EVP_PKEY_free(other);
  return files;
}

// A blocking TLS client connection to 127.0.0.1:port that trusts `cert_file`.
class TlsClient {
 public:
  TlsClient(int port, const std::string& cert_file, int max_version = 0) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx_, cert_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (max_version != 0) {
      SSL_CTX_set_min_proto_version(ctx_, TLS1_VERSION);
      SSL_CTX_set_max_proto_version(ctx_, max_version);
      SSL_CTX_set_security_level(ctx_, 0);
    }
    static const unsigned char kAlpn[] = "\x02h2\x08http/1.1";
    SSL_CTX_set_alpn_protos(ctx_, kAlpn, sizeof(kAlpn) - 1);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) return;
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "localhost");
    SSL_set1_host(ssl_, "localhost");
    connected_ = SSL_connect(ssl_) == 1;
    ERR_clear_error();
  }
  ~TlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    close(fd_);
  }

  bool connected() const { return connected_; }
  std::string alpn() const {
    const unsigned char* data = nullptr;
    unsigned int length = 0;
    SSL_get0_alpn_selected(ssl_, &data, &length);
    return std::string(reinterpret_cast<const char*>(data), length);
  }
  bool Send(const std::string& bytes) {
    size_t written = 0;
    return SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) == 1;
  }
  // One response: status and body (Content-Length framing only); status 0 on EOF.
  std::pair<int, std::string> Read() {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return {0, ""};
    }
    const std::string head = buffer_.substr(0, end);
    const int status = std::atoi(head.c_str() + 9);
    const size_t at = head.find("Content-Length: ");
    const size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 16));
    while (buffer_.size() < end + 4 + length) {
      if (!Fill()) return {0, ""};
    }
    std::string body = buffer_.substr(end + 4, length);
    buffer_.erase(0, end + 4 + length);
    return {status, body};
  }
  // True once the server closed the TLS stream.
  bool Closed() { return !Fill(); }

 private:
  bool Fill() {
    char chunk[65536];
    size_t n = 0;
    if (SSL_read_ex(ssl_, chunk, sizeof(chunk), &n) != 1) {
      ERR_clear_error();
      return false;
    }
    buffer_.append(chunk, n);
    return true;
  }

  SSL_CTX* ctx_;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// Serves a 3 MB file (by descriptor, as artifact downloads do) and echoes uploads' sizes.
class FileSource : public BodySource {
 public:
  explicit FileSource(const std::string& data) {
    char path[] = "/tmp/ferry_tls_source_XXXXXX";
    fd_ = mkstemp(path);
    unlink(path);
    EXPECT_EQ(write(fd_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
    lseek(fd_, 0, SEEK_SET);
    size_ = static_cast<int64_t>(data.size());
  }
  ~FileSource() override { close(fd_); }
  int64_t size() const override { return size_; }
  int fd() const override { return fd_; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    ssize_t got = read(fd_, buf, n);
    if (got < 0) return absl::InternalError("read failed");
    return static_cast<size_t>(got);
  }

 private:
  int fd_;
  int64_t size_ = 0;
};

// Sends `bytes` on a new connection and reads until the server closes it (true) or 30 s pass.
bool ClosedAfterSending(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool closed = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    char chunk[4096];
    ssize_t n;
    while ((n = recv(fd, chunk, sizeof(chunk), 0)) > 0) {
    }
    closed = n == 0 || errno == ECONNRESET;
  }
  close(fd);
  return closed;
}

std::string Payload(size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>('a' + (i * 31 + i / 7919) % 26);
  return data;
}

class TlsServerTest : public ::testing::Test {
 protected:
  TlsServerTest() : files_(MakeCertFiles()), download_(Payload(3 << 20)) {
    router_.Add("GET", "/hello", [](HttpRequest&) { return HttpResponse::Text(200, "hi"); });
    router_.Add("GET", "/file", [this](HttpRequest&) {
      HttpResponse response;
      response.content_type = "application/octet-stream";
      response.source = std::make_unique<FileSource>(download_);
      return response;
    });
    router_.Add("POST", "/echo-size", [](HttpRequest& request) {
      return HttpResponse::Text(200,
                                std::to_string(request.body.size()) + ":" +
                                    std::to_string(request.body == Payload(request.body.size())));
    });
  }
  ~TlsServerTest() override {
    if (server_) server_->Shutdown(0);
    std::system(("rm -rf " + files_.dir).c_str());
  }

  void Start(int header_timeout_ms = 10000) {
    auto tls = TlsContext::Load(files_.cert, files_.key);
    ASSERT_TRUE(tls.ok()) << tls.status();
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    options.header_timeout_ms = header_timeout_ms;
    options.tls = *tls;
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    server_->Start();
    port_ = server_->port();
  }

  CertFiles files_;
  std::string download_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(TlsServerTest, LoadNamesTheProblem) {
  auto missing = TlsContext::Load(files_.dir + "/nope.pem", files_.key);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("nope.pem: No such file"), std::string::npos)
      << missing.status();

  auto mismatch = TlsContext::Load(files_.cert, files_.other_key);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("does not match the certificate"), std::string::npos)
      << mismatch.status();

  auto swapped = TlsContext::Load(files_.key, files_.cert);
  ASSERT_FALSE(swapped.ok());
  EXPECT_NE(swapped.status().message().find("not a PEM certificate"), std::string::npos)
      << swapped.status();

  auto directory = TlsContext::Load(files_.cert, files_.dir);
  ASSERT_FALSE(directory.ok());
  EXPECT_NE(directory.status().message().find("TLS key"), std::string::npos) << directory.status();

  EXPECT_TRUE(TlsContext::Load(files_.cert, files_.key).ok());
}

TEST_F(TlsServerTest, ServesRequestsAndPipelinesOverTls) {
  Start();
  TlsClient client(port_, files_.cert);
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.alpn(), "http/1.1");  // offered h2 first; the server speaks HTTP/1.1
  ASSERT_TRUE(
      client.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\n"
                  "Host: x\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    auto [status, body] = client.Read();
    EXPECT_EQ(status, 200);
    EXPECT_EQ(body, "hi");
  }
}

TEST_F(TlsServerTest, StreamsAFileBodyAndReadsALargeUpload) {
  Start();
  TlsClient client(port_, files_.cert);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto [status, body] = client.Read();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body.size(), download_.size());
  EXPECT_TRUE(body == download_);  // not sendfile's plaintext: decrypted, it is the file

  const std::string upload = Payload(5 << 20);
  ASSERT_TRUE(client.Send("POST /echo-size HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                          std::to_string(upload.size()) + "\r\n\r\n" + upload));
  auto [upload_status, answer] = client.Read();
  EXPECT_EQ(upload_status, 200);
  EXPECT_EQ(answer, std::to_string(upload.size()) + ":1");
}

// Small and large responses pipelined: the queue grows while TLS writes wait for the socket
// (a retried write sees its bytes moved or extended), and every byte arrives in order.
TEST_F(TlsServerTest, PipelinedDownloadsArriveInOrder) {
  Start();
  TlsClient client(port_, files_.cert);
  ASSERT_TRUE(client.connected());
  std::string requests;
  for (int i = 0; i < 3; ++i) {
    requests += "GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /file HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  ASSERT_TRUE(client.Send(requests + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  for (int i = 0; i < 3; ++i) {
    auto [hello_status, hello] = client.Read();
    EXPECT_EQ(hello_status, 200);
    EXPECT_EQ(hello, "hi");
    auto [file_status, file] = client.Read();
    EXPECT_EQ(file_status, 200);
    EXPECT_TRUE(file == download_) << "download " << i << ": " << file.size() << " bytes";
  }
  EXPECT_EQ(client.Read().second, "hi");
}

TEST_F(TlsServerTest, RefusesTlsBelow12) {
  Start();
  TlsClient old(port_, files_.cert, TLS1_1_VERSION);
  EXPECT_FALSE(old.connected());
  TlsClient current(port_, files_.cert);
  EXPECT_TRUE(current.connected());  // the server goes on
}

TEST_F(TlsServerTest, AnswersPlainHttpInPlainTextAndCloses) {
  Start();
  testing::RawHttpClient plain(port_);
  ASSERT_TRUE(plain.connected());
  ASSERT_TRUE(plain.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  testing::RawResponse response = plain.Read();
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("https://"), std::string::npos) << response.body;
  EXPECT_TRUE(plain.WaitForClose());

  TlsClient client(port_, files_.cert);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(client.Read().first, 200);
}

TEST_F(TlsServerTest, ClosesAClientThatNeverStartsTheHandshake) {
  Start(/*header_timeout_ms=*/300);
  testing::RawHttpClient silent(port_);
  ASSERT_TRUE(silent.connected());
  EXPECT_TRUE(silent.WaitForClose());  // within the client's 30 s receive timeout

  // A broken handshake: the server may send an alert, then closes.
  EXPECT_TRUE(ClosedAfterSending(port_, std::string("\x16\x03\x01\x00\x05hello", 10)));
  EXPECT_TRUE(ClosedAfterSending(port_, std::string("\x01\x02\x03garbage", 10)));
}

}  // namespace
}  // namespace ferry::http
