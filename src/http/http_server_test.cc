// Protocol-level tests of HttpServer over real sockets: keep-alive, pipelining, errors,
// limits, HEAD, request ids, shutdown. Streaming bodies are in http_server_stream_test.cc.

#include "http/http_server.h"

#include <atomic>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {
namespace {

using testing::RawHttpClient;
using testing::RawResponse;
using testing::RoundTrip;

ServerOptions QuietOptions() {
  ServerOptions options;
  options.access_log = false;
  return options;
}

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.Add("GET", "/hello", [](HttpRequest&) { return HttpResponse::Text(200, "hello"); });
    router_.Add("POST", "/echo", [](HttpRequest& request) {
      HttpResponse response = HttpResponse::Text(200, request.body);
      response.headers.emplace_back("X-Query", request.query);
      return response;
    });
    router_.Add("GET", "/files/*", [](HttpRequest& request) {
      return HttpResponse::Text(200, request.path_rest + "|" + request.request_id);
    });
    router_.Add("GET", "/throw",
                [](HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); });
    router_.Add("GET", "/big",
                [](HttpRequest&) { return HttpResponse::Text(200, std::string(3 << 20, 'b')); });
    router_.Add("GET", "/nocontent", [](HttpRequest&) { return HttpResponse::Text(204, ""); });
  }
  ~HttpServerTest() override {
    if (server_) server_->Shutdown(0);
  }

  // Tests pass options with access_log off unless they set it.
  void Start(ServerOptions options = QuietOptions()) {
    options.port = 0;
    options.threads = 2;
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
    port_ = server_->port();
  }

  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(HttpServerTest, KeepAliveAndRequestIds) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.connected());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    RawResponse response = client.Read();
    ASSERT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "hello");
    EXPECT_EQ(response.Header("content-length"), "5");
    EXPECT_EQ(response.Header("content-type"), "text/plain");
    EXPECT_EQ(response.Header("server"), "ferry");
    EXPECT_FALSE(response.HasHeader("connection"));
    ids.push_back(response.Header("x-request-id"));
    EXPECT_FALSE(ids.back().empty());
  }
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
  ASSERT_TRUE(
      client.Send("GET /files/a/b.txt HTTP/1.1\r\nHost: t\r\nX-Request-Id: client-42\r\n\r\n"));
  RawResponse echoed = client.Read();
  EXPECT_EQ(echoed.Header("x-request-id"), "client-42");
  EXPECT_EQ(echoed.body, "a/b.txt|client-42");
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  Start();
  RawHttpClient client(port_);
  std::string batch;
  for (int i = 0; i < 50; ++i) {
    batch += "POST /echo?i=" + std::to_string(i) +
             " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(std::to_string(i).size()) +
             "\r\n\r\n" + std::to_string(i);
    batch += "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  batch +=
      "GET /big HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\nConnection: "
      "close\r\n\r\n";
  ASSERT_TRUE(client.Send(batch));
  for (int i = 0; i < 50; ++i) {
    RawResponse echo = client.Read();
    ASSERT_EQ(echo.status, 200);
    EXPECT_EQ(echo.body, std::to_string(i));
    EXPECT_EQ(echo.Header("x-query"), "i=" + std::to_string(i));
    EXPECT_EQ(client.Read().body, "hello");
  }
  EXPECT_EQ(client.Read().body.size(), size_t{3} << 20);
  RawResponse last = client.Read();
  EXPECT_EQ(last.body, "hello");
  EXPECT_EQ(last.Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerTest, ByteAtATimeRequest) {
  Start();
  RawHttpClient client(port_);
  std::string request =
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  for (char c : request) ASSERT_TRUE(client.Send(std::string_view(&c, 1)));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "abc");
}

TEST_F(HttpServerTest, NotFoundAndMethodNotAllowed) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse not_found = client.Read();
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.body,
            R"({"error_code":"ENDPOINT_NOT_FOUND","message":"No endpoint for GET /nope"})");
  EXPECT_EQ(not_found.Header("content-type"), "application/json");
  // A small body on an unrouted request is read and dropped; the connection stays usable.
  ASSERT_TRUE(client.Send("POST /hello HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nabcd"));
  RawResponse not_allowed = client.Read();
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(
      not_allowed.body,
      R"({"error_code":"METHOD_NOT_ALLOWED","message":"Method POST is not allowed for /hello"})");
  EXPECT_EQ(not_allowed.Header("content-type"), "application/json");
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "hello");
}

TEST_F(HttpServerTest, Http10ClosesUnlessKeepAlive) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  RawResponse kept = client.Read();
  EXPECT_EQ(kept.status, 200);
  EXPECT_EQ(kept.Header("connection"), "keep-alive");
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.0\r\n\r\n"));
  RawResponse closed = client.Read();
  EXPECT_EQ(closed.body, "hello");
  EXPECT_EQ(closed.Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerTest, HeadSendsHeadersOnly) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse head = client.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "5");
  // Had the body been sent, it would now be read as the next status line.
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "hello");
  ASSERT_TRUE(client.Send("GET /nocontent HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse no_content = client.Read();
  EXPECT_EQ(no_content.status, 204);
  EXPECT_FALSE(no_content.HasHeader("content-length"));
}

TEST_F(HttpServerTest, BodyLimit) {
  ServerOptions options = QuietOptions();
  options.max_body_bytes = 1000;
  Start(options);
  const std::string expected =
      R"({"error_code":"INVALID_PARAMETER_VALUE","message":"Request body exceeds 1000 bytes"})";
  {
    RawHttpClient client(port_);
    ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                            std::string(100, 'x')));
    RawResponse response = client.Read();
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.body, expected);
    EXPECT_EQ(response.Header("connection"), "close");
    client.ShutdownWrite();
    EXPECT_TRUE(client.WaitForClose());
  }
  {
    RawHttpClient client(port_);
    ASSERT_TRUE(
        client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(client.Send("190\r\n" + std::string(400, 'y') + "\r\n"));
    RawResponse response = client.Read();
    EXPECT_EQ(response.status, 413);
    EXPECT_EQ(response.body, expected);
  }
  RawResponse fits =
      RoundTrip(port_, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
                           std::string(1000, 'z'));
  EXPECT_EQ(fits.status, 200);
  EXPECT_EQ(fits.body.size(), 1000u);
}

TEST_F(HttpServerTest, MalformedRequestsGetErrorAndClose) {
  Start();
  static const struct {
    const char* request;
    int status;
  } cases[] = {
      {"GARBAGE\r\n\r\n", 400},
      {"GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n", 400},
      {"GET /a%00 HTTP/1.1\r\nHost: t\r\n\r\n", 400},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
      {"GET / HTTP/3.0\r\n\r\n", 505},
      {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    RawHttpClient client(port_);
    ASSERT_TRUE(client.Send(c.request));
    RawResponse response = client.Read();
    EXPECT_EQ(response.status, c.status) << c.request;
    EXPECT_EQ(response.Header("connection"), "close") << c.request;
    EXPECT_FALSE(response.Header("x-request-id").empty());
    EXPECT_TRUE(client.WaitForClose()) << c.request;
  }
  std::string huge_header =
      "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(70000, 'h') + "\r\n\r\n";
  EXPECT_EQ(RoundTrip(port_, huge_header).status, 431);
  std::string huge_target = "GET /" + std::string(70000, 'p') + " HTTP/1.1\r\nHost: t\r\n\r\n";
  EXPECT_EQ(RoundTrip(port_, huge_target).status, 414);
  EXPECT_EQ(RoundTrip(port_, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").status, 200);
}

TEST_F(HttpServerTest, AccessLogOn) {
  ServerOptions options;
  options.access_log = true;
  Start(options);
  EXPECT_EQ(RoundTrip(port_, "GET /hello?x=1 HTTP/1.1\r\nHost: t\r\n\r\n").status, 200);
  EXPECT_EQ(RoundTrip(port_, "BAD\r\n\r\n").status, 400);
}

TEST_F(HttpServerTest, HandlerExceptionBecomes500) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("\"error_code\":\"INTERNAL_ERROR\""), std::string::npos);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(HttpServerTest, ManyConcurrentClients) {
  Start();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([this, &ok] {
      RawHttpClient client(port_);
      for (int i = 0; i < 200; ++i) {
        if (!client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")) return;
        if (client.Read().body == "hello") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 8 * 200);
}

TEST_F(HttpServerTest, IdleConnectionsTimeOut) {
  ServerOptions options = QuietOptions();
  options.idle_timeout_ms = 50;
  Start(options);
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().status, 200);
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerTest, SecondServerOnSamePortFails) {
  Start();
  ServerOptions options;
  options.port = port_;
  auto second = HttpServer::Create(options, router_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(second.status().message(),
            "Cannot listen on 127.0.0.1:" + std::to_string(port_) + ": Address already in use");
  options.host = "no-such-host.invalid";
  EXPECT_EQ(HttpServer::Create(options, router_).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(HttpServerTest, ShutdownClosesIdleConnectionsAndStopsListening) {
  Start();
  std::vector<std::unique_ptr<RawHttpClient>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<RawHttpClient>(port_));
    ASSERT_TRUE(clients.back()->Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_EQ(clients.back()->Read().status, 200);
  }
  // A generous drain: Shutdown must not wait for idle keep-alive connections at all.
  auto done = std::async(std::launch::async, [this] { server_->Shutdown(600000); });
  for (auto& client : clients) EXPECT_TRUE(client->WaitForClose());
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  RawHttpClient late(port_);
  EXPECT_FALSE(late.connected());
  server_->Shutdown(0);  // a second call is a no-op
}

TEST_F(HttpServerTest, ShutdownLetsRequestInProgressFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router_.Add("GET", "/slow", [&entered, released](HttpRequest&) {
    entered.set_value();
    released.wait();
    return HttpResponse::Text(200, "slow");
  });
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n"));
  entered.get_future().wait();
  auto done = std::async(std::launch::async, [this] { server_->Shutdown(600000); });
  release.set_value();
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "slow");
  EXPECT_TRUE(client.WaitForClose());
  ASSERT_EQ(done.wait_for(std::chrono::seconds(60)), std::future_status::ready);
}

TEST_F(HttpServerTest, ShutdownFromHandlerDoesNotDeadlock) {
  router_.Add("POST", "/stop", [this](HttpRequest&) {
    server_->Shutdown(600000);
    return HttpResponse::Text(200, "stopping");
  });
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("POST /stop HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.body, "stopping");
  EXPECT_TRUE(client.WaitForClose());
  server_->Shutdown(0);  // joins the loops
  EXPECT_FALSE(RawHttpClient(port_).connected());
}

}  // namespace
}  // namespace ferry::http
