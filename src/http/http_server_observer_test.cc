// ServerOptions::observer: it sees the final status of every response, from buffered, async
// and streamed routes, from a guard's refusal and from the server's own errors, with the
// route index and what the guard put on the request, before the client can read the answer.

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {
namespace {

using testing::RawHttpClient;
using testing::RawResponse;

struct Seen {
  std::string method, path, user, resource, request_id, peer;
  int route = -1;
  int status = 0;
};

class RecordingObserver : public RequestObserver {
 public:
  void OnResponse(const HttpRequest& request, int route_index, int status) override {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(Seen{request.method, request.path, request.user, request.audit_resource,
                         request.request_id, request.peer, route_index, status});
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  std::mutex mu_;
  std::vector<Seen> seen_;
};

class BufferSink : public BodySink {
 public:
  absl::Status Write(std::string_view chunk) override {
    bytes_ += chunk.size();
    return absl::OkStatus();
  }
  HttpResponse Finish() override {
    return HttpResponse::Json(201, "{\"bytes\":" + std::to_string(bytes_) + "}");
  }
  void Abort() override {}

 private:
  size_t bytes_ = 0;
};

class HttpServerObserverTest : public ::testing::Test {
 protected:
  HttpServerObserverTest() {
    router_.Add("POST", "/write", [](HttpRequest&) { return HttpResponse::Text(200, "ok"); });
    router_.AddAsync("POST", "/later", [](HttpRequest&, Responder responder) {
      std::thread([r = std::move(responder)]() mutable {
        r.Send(HttpResponse::Text(202, "later"));
      }).detach();
    });
    router_.AddAsync("POST", "/hang", [this](HttpRequest&, Responder responder) {
      std::lock_guard<std::mutex> lock(hung_mu_);
      hung_.push_back(std::move(responder));  // answered never (dropped with the fixture)
    });
    router_.AddStream("PUT", "/upload/*", [](HttpRequest&) {
      return std::variant<std::unique_ptr<BodySink>, HttpResponse>(std::make_unique<BufferSink>());
    });
    // The guard names the caller from a header and refuses /write without one.
    EXPECT_TRUE(
        router_
            .Guard([](std::string_view, std::string_view pattern) -> absl::StatusOr<Router::Check> {
              const bool needs_user = pattern == "/write";
              return Router::Check([needs_user](HttpRequest& request) {
                Router::Verdict verdict;
                if (const std::string* who = request.Header("x-user")) {
                  request.user = *who;
                  request.audit_resource = "thing " + request.path;
                } else if (needs_user) {
                  verdict.deny = HttpResponse::Text(401, "who?");
                }
                return verdict;
              });
            })
            .ok());
  }
  ~HttpServerObserverTest() override {
    if (server_) server_->Shutdown(0);
  }

  void Start(RequestObserver* observer) {
    ServerOptions options;
    options.access_log = false;
    options.port = 0;
    options.threads = 2;
    options.observer = observer;
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
    port_ = server_->port();
  }

  // Sends `request` on one connection and returns the response's status and id.
  RawResponse Send(RawHttpClient& client, const std::string& request) {
    EXPECT_TRUE(client.Send(request));
    return client.Read();
  }

  // Waits up to 5 s for the observer to have seen `count` responses.
  std::vector<Seen> SeenAtLeast(size_t count) {
    for (int i = 0; i < 500 && observer_.seen().size() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return observer_.seen();
  }

  size_t HungCount() {
    std::lock_guard<std::mutex> lock(hung_mu_);
    return hung_.size();
  }

  RecordingObserver observer_;  // outlives the server
  std::mutex hung_mu_;
  std::vector<Responder> hung_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(HttpServerObserverTest, SeesEveryKindOfResponseBeforeTheClient) {
  RecordingObserver& observer = observer_;
  Start(&observer);
  RawHttpClient client(port_);
  ASSERT_TRUE(client.connected());

  RawResponse ok = Send(client,
                        "POST /write HTTP/1.1\r\nHost: x\r\nX-User: alice\r\n"
                        "Content-Length: 2\r\n\r\nhi");
  ASSERT_EQ(ok.status, 200);
  std::vector<Seen> seen = observer.seen();  // recorded before the response was written
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/write");
  EXPECT_EQ(seen[0].user, "alice");
  EXPECT_EQ(seen[0].resource, "thing /write");
  EXPECT_EQ(seen[0].route, 0);
  EXPECT_EQ(seen[0].status, 200);
  EXPECT_EQ(seen[0].request_id, ok.Header("x-request-id"));
  EXPECT_EQ(seen[0].peer, "127.0.0.1");

  EXPECT_EQ(Send(client, "POST /write?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status,
            401);
  EXPECT_EQ(Send(client, "POST /later HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status,
            202);
  EXPECT_EQ(Send(client,
                 "PUT /upload/a.bin HTTP/1.1\r\nHost: x\r\nX-User: bob\r\n"
                 "Content-Length: 3\r\n\r\nabc")
                .status,
            201);
  EXPECT_EQ(Send(client, "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n").status, 404);

  seen = observer.seen();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[1].path, "/write");  // without the query
  EXPECT_EQ(seen[1].status, 401);
  EXPECT_EQ(seen[1].user, "");
  EXPECT_EQ(seen[2].route, 1);
  EXPECT_EQ(seen[2].status, 202);
  EXPECT_EQ(seen[3].route, 3);
  EXPECT_EQ(seen[3].status, 201);
  EXPECT_EQ(seen[3].user, "bob");
  EXPECT_EQ(seen[3].path, "/upload/a.bin");
  EXPECT_EQ(seen[4].route, -1);
  EXPECT_EQ(seen[4].status, 404);
}

// A request the client walks away from is seen as 499: an upload cut short, and an async
// request whose connection is reset before its answer.
TEST_F(HttpServerObserverTest, ClosedBeforeTheAnswerIs499) {
  Start(&observer_);
  {
    RawHttpClient client(port_);
    ASSERT_TRUE(
        client.Send("PUT /upload/cut HTTP/1.1\r\nHost: x\r\nX-User: carol\r\n"
                    "Content-Length: 100\r\n\r\nabc"));
    client.Close();
  }
  std::vector<Seen> seen = SeenAtLeast(1);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].status, kClientClosedRequest);
  EXPECT_EQ(seen[0].user, "carol");
  EXPECT_EQ(seen[0].path, "/upload/cut");
  {
    RawHttpClient client(port_);
    ASSERT_TRUE(client.Send("POST /hang HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"));
    for (int i = 0; i < 500 && HungCount() == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(HungCount(), 1u);
    client.Reset();
  }
  seen = SeenAtLeast(2);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].path, "/hang");
  EXPECT_EQ(seen[1].status, kClientClosedRequest);
}

TEST_F(HttpServerObserverTest, NoObserverNoCalls) {
  Start(nullptr);
  RawHttpClient client(port_);
  EXPECT_EQ(Send(client,
                 "POST /write HTTP/1.1\r\nHost: x\r\nX-User: alice\r\n"
                 "Content-Length: 0\r\n\r\n")
                .status,
            200);
}

}  // namespace
}  // namespace ferry::http
