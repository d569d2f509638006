// HttpClient against a one-shot canned server: response framing (length, chunked, EOF,
// 100 Continue), streaming to and from files, absolute URLs, and failure modes.

#include "http/client/http_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>

#include "common/fs.h"
#include "gtest/gtest.h"

namespace ferry::http {
namespace {

// Accepts one connection, reads the request until `expect_bytes` arrived or the head ends
// (when 0), writes `reply` and closes.
class CannedServer {
 public:
  explicit CannedServer(std::string reply, size_t expect_bytes = 0, int delay_ms = 0) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 1);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, reply = std::move(reply), expect_bytes, delay_ms] {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      char buf[4096];
      while (true) {
        ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n <= 0) break;
        request_.append(buf, static_cast<size_t>(n));
        if (expect_bytes ? request_.size() >= expect_bytes
                         : request_.find("\r\n\r\n") != std::string::npos) {
          break;
        }
      }
      if (delay_ms) ::usleep(delay_ms * 1000);
      ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(fd);
    });
  }
  ~CannedServer() {
    thread_.join();
    ::close(listen_fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  const std::string& request() {
    thread_.join();
    thread_ = std::thread([] {});
    return request_;
  }

 private:
  int listen_fd_;
  int port_;
  std::thread thread_;
  std::string request_;
};

HttpClient ClientFor(const CannedServer& server) {
  auto client = HttpClient::ForUri(server.url() + "/prefix/");
  EXPECT_TRUE(client.ok());
  return *client;
}

TEST(HttpClientTest, ContentLengthBodyAndHeaders) {
  CannedServer server("HTTP/1.1 201 Created\r\nLocation: /v2/x\r\nContent-Length: 5\r\n\r\nhello");
  auto resp = ClientFor(server).Send("POST", "/a?b=1", "{}");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "hello");
  EXPECT_EQ(resp->Header("location"), "/v2/x");
  EXPECT_EQ(resp->Header("missing"), "");
  const std::string& req = server.request();
  EXPECT_EQ(req.substr(0, req.find("\r\n")), "POST /prefix/a?b=1 HTTP/1.1");
  EXPECT_NE(req.find("Content-Length: 2\r\n"), std::string::npos);
  EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos);
}

TEST(HttpClientTest, RefusesBodiesLongerThanTheLimit) {
  std::string big(10000, 'b');
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + big);
  ClientRequest req;
  req.target = "/big";
  req.max_response_bytes = 4096;
  auto resp = ClientFor(server).Do(req);
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kResourceExhausted) << resp.status();
}

TEST(HttpClientTest, ChunkedBodyWithExtensionsAndTrailers) {
  CannedServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
  auto resp = ClientFor(server).Send("GET", "/c");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->body, "abc0123456789");
}

TEST(HttpClientTest, SkipsInterimContinueAndReadsToEof) {
  CannedServer server("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nuntil-eof");
  auto resp = ClientFor(server).Send("GET", "/e");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "until-eof");
}

TEST(HttpClientTest, StreamsSuccessBodyToFileButKeepsErrorsInMemory) {
  std::string dir = ::testing::TempDir();
  std::string out = dir + "/client_out.bin";
  {
    CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndata");
    ClientRequest req;
    req.target = "/blob";
    req.response_file = out;
    auto resp = ClientFor(server).Do(req);
    ASSERT_TRUE(resp.ok()) << resp.status();
    EXPECT_EQ(resp->body, "");
    EXPECT_EQ(resp->body_bytes, 4);
    EXPECT_EQ(*ReadFile(out), "data");
  }
  CannedServer server("HTTP/1.1 404 Not Found\r\nContent-Length: 7\r\n\r\nmissing");
  ClientRequest req;
  req.target = "/blob";
  req.response_file = dir + "/never_written.bin";
  auto resp = ClientFor(server).Do(req);
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->status, 404);
  EXPECT_EQ(resp->body, "missing");
  EXPECT_FALSE(PathExists(dir + "/never_written.bin"));
}

TEST(HttpClientTest, SendsAFileRangeToAnAbsoluteUrl) {
  std::string file = ::testing::TempDir() + "/client_in.bin";
  ASSERT_TRUE(WriteFileAtomic(file, "0123456789").ok());
  std::string reply = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
  CannedServer other(reply, 0);
  ClientRequest req;
  req.method = "PATCH";
  req.target = other.url() + "/v2/repo/blobs/uploads/u1?x=1";
  req.body_file = file;
  req.body_file_offset = 3;
  req.body_file_length = 4;
  // The base address is closed: the absolute URL must win.
  auto resp = HttpClient::ForUri("http://127.0.0.1:1")->Do(req);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 202);
  std::string sent = other.request();
  EXPECT_EQ(sent.substr(0, sent.find("\r\n")), "PATCH /v2/repo/blobs/uploads/u1?x=1 HTTP/1.1");
  EXPECT_NE(sent.find("Content-Length: 4\r\n"), std::string::npos);
}

TEST(HttpClientTest, ErrorsNameTheProblem) {
  EXPECT_EQ(HttpClient::ForUri("https://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpClient::ForUri("http://:80").status().code(), absl::StatusCode::kInvalidArgument);

  auto closed = HttpClient::ForUri("http://127.0.0.1:1");
  closed->set_unreachable_hint("Start one.");
  auto refused = closed->Send("GET", "/");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(refused.status().ToString().find("127.0.0.1:1"), std::string::npos);
  EXPECT_NE(refused.status().ToString().find("Start one."), std::string::npos);

  {
    CannedServer truncated("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
    EXPECT_EQ(ClientFor(truncated).Send("GET", "/").status().code(), absl::StatusCode::kDataLoss);
  }
  {
    CannedServer garbage("SMTP ready\r\n\r\n");
    EXPECT_EQ(ClientFor(garbage).Send("GET", "/").status().code(), absl::StatusCode::kDataLoss);
  }
  CannedServer slow("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 400);
  HttpClient client = ClientFor(slow);
  client.set_timeout_ms(100);
  EXPECT_EQ(client.Send("GET", "/").status().code(), absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace ferry::http
