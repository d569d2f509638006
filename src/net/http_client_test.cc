// HttpClient against one-shot canned servers: response framing (length, chunked, EOF,
// 100 Continue), streaming to and from files, absolute URLs, the response size limit,
// timeouts, unreachable servers, redirects (off by default, opt-in) and the address filter.

#include "net/http_client.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "common/fs.h"
#include "gtest/gtest.h"
#include "net/testing/canned_server.h"

namespace ferry::net {
namespace {

using testing::CannedServer;
using testing::Listen;

HttpClient ClientFor(const CannedServer& server) {
  auto client = HttpClient::ForUri(server.url() + "/prefix/");
  EXPECT_TRUE(client.ok()) << client.status();
  return *client;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find("\r\n")); }

TEST(HttpClientTest, ContentLengthBodyAndHeaders) {
  CannedServer server("HTTP/1.1 201 Created\r\nLocation: /v2/x\r\nContent-Length: 5\r\n\r\nhello",
                      2);
  auto resp = ClientFor(server).Send("POST", "/a?b=1", "{}");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "hello");
  EXPECT_EQ(resp->body_bytes, 5);
  EXPECT_EQ(resp->Header("location"), "/v2/x");
  EXPECT_EQ(resp->Header("missing"), "");
  const std::string& req = server.request();
  EXPECT_EQ(FirstLine(req), "POST /prefix/a?b=1 HTTP/1.1");
  EXPECT_NE(req.find("Content-Length: 2\r\n"), std::string::npos);
  EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(req.find("User-Agent: ferry/"), std::string::npos);
  EXPECT_EQ(req.find("Expect:"), std::string::npos);
  EXPECT_EQ(req.substr(req.find("\r\n\r\n") + 4), "{}");
}

TEST(HttpClientTest, RefusesBodiesLongerThanTheLimit) {
  std::string big(100000, 'b');
  CannedServer server("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + big);
  ClientRequest req;
  req.target = "/big";
  req.max_response_bytes = 4096;
  auto resp = ClientFor(server).Do(req);
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kResourceExhausted) << resp.status();
  EXPECT_NE(resp.status().ToString().find("4096 bytes"), std::string::npos);
}

TEST(HttpClientTest, ChunkedBodyWithExtensionsAndTrailers) {
  CannedServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3;ext=1\r\nabc\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
  auto resp = ClientFor(server).Send("GET", "/c");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->body, "abc0123456789");
  EXPECT_EQ(FirstLine(server.request()), "GET /prefix/c HTTP/1.1");
}

TEST(HttpClientTest, SkipsInterimContinueAndReadsToEof) {
  CannedServer server("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nX-A: 1\r\n\r\nuntil-eof");
  auto resp = ClientFor(server).Send("GET", "/e");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "until-eof");
  EXPECT_EQ(resp->Header("x-a"), "1");
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
  CannedServer other("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", 4);
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
  EXPECT_EQ(FirstLine(sent), "PATCH /v2/repo/blobs/uploads/u1?x=1 HTTP/1.1");
  EXPECT_NE(sent.find("Content-Length: 4\r\n"), std::string::npos);
  EXPECT_EQ(sent.substr(sent.find("\r\n\r\n") + 4), "3456");

  req.body_file_length = 40;  // past the end of the file
  EXPECT_EQ(HttpClient::ForUri(other.url())->Do(req).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(HttpClientTest, ErrorsNameTheProblem) {
  EXPECT_EQ(HttpClient::ForUri("ftp://x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpClient::ForUri("http://:80").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(HttpClient::ForUri("https://example.com/p").ok());

  EXPECT_EQ(HttpClient::ForUri("http://127.0.0.1:1")->Send("GET", "/a b\r\nX: y").status().code(),
            absl::StatusCode::kInvalidArgument);

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
}

TEST(HttpClientTest, TotalAndStallTimeouts) {
  {
    CannedServer slow("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 600);
    HttpClient client = ClientFor(slow);
    client.set_total_timeout_ms(100);
    EXPECT_EQ(client.Send("GET", "/").status().code(), absl::StatusCode::kDeadlineExceeded);
  }
  // No total limit: a reply that stalls longer than the (1 s) stall limit fails too.
  CannedServer stalled("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 3000);
  HttpClient client = ClientFor(stalled);
  client.set_timeout_ms(1000);
  EXPECT_EQ(client.Send("GET", "/").status().code(), absl::StatusCode::kDeadlineExceeded);
}

TEST(HttpClientTest, CancelStopsAStalledRequest) {
  CannedServer stalled("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 3000);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    ::usleep(200 * 1000);
    cancel = true;
  });
  ClientRequest req;
  req.target = "/";
  req.cancel = &cancel;
  auto resp = ClientFor(stalled).Do(req);
  canceller.join();
  // Not the 200 the server sends after 3 s: the flag is checked about once a second.
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kCancelled) << resp.status();
}

TEST(HttpClientTest, RedirectsAreReturnedUnlessFollowingIsAskedFor) {
  CannedServer target("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nthere!");
  std::string location = "Location: " + target.url() + "/moved\r\n";
  {
    CannedServer hop("HTTP/1.1 302 Found\r\n" + location + "Content-Length: 4\r\n\r\nhop!");
    auto resp = ClientFor(hop).Send("GET", "/x");
    ASSERT_TRUE(resp.ok()) << resp.status();
    EXPECT_EQ(resp->status, 302);
    EXPECT_EQ(resp->Header("location"), target.url() + "/moved");
  }
  CannedServer hop("HTTP/1.1 302 Found\r\n" + location + "Content-Length: 4\r\n\r\nhop!");
  HttpClient client = ClientFor(hop);
  client.set_max_redirects(2);
  auto resp = client.Send("GET", "/x");
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "there!");
  EXPECT_EQ(FirstLine(target.request()), "GET /moved HTTP/1.1");
}

TEST(HttpClientTest, AddressFilterRefusesBeforeConnecting) {
  int port = 0;
  int listen_fd = Listen(&port);
  auto client = HttpClient::ForUri("http://127.0.0.1:" + std::to_string(port));
  std::string seen_host;
  client->set_address_filter([&](const std::string& host, const sockaddr* addr) {
    seen_host = host;
    return addr->sa_family == AF_INET ? absl::PermissionDeniedError("no loopback for you")
                                      : absl::OkStatus();
  });
  auto resp = client->Send("POST", "/hook", "{}");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(resp.status().message(), "no loopback for you");
  EXPECT_EQ(seen_host, "127.0.0.1");
  pollfd p{listen_fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 100), 0) << "the server saw a connection";
  ::close(listen_fd);
}

TEST(HttpClientTest, AddressFilterVetsEveryRedirectHop) {
  int port = 0;
  int target_fd = Listen(&port);
  std::string target = "http://127.0.0.1:" + std::to_string(port) + "/inside";
  CannedServer hop("HTTP/1.1 302 Found\r\nLocation: " + target + "\r\nContent-Length: 0\r\n\r\n");
  HttpClient client = ClientFor(hop);
  client.set_max_redirects(3);
  int calls = 0;
  client.set_address_filter([&](const std::string&, const sockaddr*) {
    return ++calls == 1 ? absl::OkStatus() : absl::PermissionDeniedError("hop refused");
  });
  auto resp = client.Send("GET", "/out");
  EXPECT_EQ(resp.status().code(), absl::StatusCode::kPermissionDenied) << resp.status();
  EXPECT_EQ(calls, 2);
  pollfd p{target_fd, POLLIN, 0};
  EXPECT_EQ(::poll(&p, 1, 100), 0) << "the redirect target saw a connection";
  ::close(target_fd);
}

}  // namespace
}  // namespace ferry::net
