// Tests of deferred responses (Router::AddAsync + Responder) over real sockets: answers from
// other threads, ordering with pipelined inline requests, clients that leave, shutdown,
// dropped responders and a multi-connection stress run with a worker pool.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
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
using testing::RoundTrip;

constexpr auto kWait = std::chrono::seconds(60);  // only a broken server waits this long
constexpr std::string_view kDropped =
    R"({"error_code":"INTERNAL_ERROR","message":"handler dropped the request"})";

// Responders handed over by async handlers, with a tag describing the request.
class ResponderQueue {
 public:
  struct Item {
    std::string tag;
    Responder responder;
  };

  void Push(std::string tag, Responder responder) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back({std::move(tag), std::move(responder)});
    cv_.notify_all();
  }
  // Waits for an item; nullopt once Close()d and empty, or after kWait.
  std::optional<Item> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, kWait, [this] { return closed_ || !items_.empty(); })) {
      return std::nullopt;
    }
    if (items_.empty()) return std::nullopt;
    Item item = std::move(items_.front());
    items_.pop_front();
    return item;
  }
  // Waits for at least one item and takes all there are; empty once Close()d and empty.
  std::vector<Item> PopAll() {
    std::vector<Item> items;
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return closed_ || !items_.empty(); });
    for (Item& item : items_) items.push_back(std::move(item));
    items_.clear();
    return items;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> items_;
  bool closed_ = false;
};

// A response body that reports its destruction, to show a dropped response is freed.
class TrackedBody : public BodySource {
 public:
  TrackedBody(std::string text, std::promise<void>* destroyed)
      : text_(std::move(text)), destroyed_(destroyed) {}
  ~TrackedBody() override { destroyed_->set_value(); }
  int64_t size() const override { return static_cast<int64_t>(text_.size()); }
  int fd() const override { return -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, text_.size() - offset_);
    text_.copy(buf, take, offset_);
    offset_ += take;
    return take;
  }

 private:
  std::string text_;
  size_t offset_ = 0;
  std::promise<void>* destroyed_;
};

HttpResponse Tracked(std::string text, std::promise<void>* destroyed) {
  HttpResponse response;
  response.source = std::make_unique<TrackedBody>(std::move(text), destroyed);
  return response;
}

// Sends on a thread of its own, as a batcher would.
void SendFromThread(Responder& responder, HttpResponse response) {
  std::thread([&responder, &response] { responder.Send(std::move(response)); }).join();
}

class HttpServerAsyncTest : public ::testing::Test {
 protected:
  HttpServerAsyncTest() {
    router_.Add("GET", "/hello", [](HttpRequest&) { return HttpResponse::Text(200, "hello"); });
    router_.AddAsync("GET", "/defer", [this](HttpRequest& request, Responder responder) {
      queue_.Push(request.query, std::move(responder));
    });
    router_.AddAsync("POST", "/defer", [this](HttpRequest& request, Responder responder) {
      queue_.Push(request.query + ":" + std::move(request.body), std::move(responder));
    });
    router_.AddAsync("GET", "/now", [](HttpRequest& request, Responder responder) {
      responder.Send(HttpResponse::Text(200, "now " + request.query));
    });
  }
  ~HttpServerAsyncTest() override {
    queue_.Close();
    if (server_) server_->Shutdown(0);
  }

  void Start(int threads = 2, int idle_timeout_ms = 60000, bool access_log = false) {
    ServerOptions options;
    options.port = 0;
    options.threads = threads;
    options.idle_timeout_ms = idle_timeout_ms;
    options.access_log = access_log;
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
    port_ = server_->port();
  }

  ResponderQueue queue_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(HttpServerAsyncTest, AnswerFromAnotherThread) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /defer?a=1 HTTP/1.1\r\nHost: t\r\nX-Request-Id: client-7\r\n\r\n"));
  std::optional<ResponderQueue::Item> item = queue_.Pop();
  ASSERT_TRUE(item);
  EXPECT_EQ(item->tag, "a=1");
  EXPECT_TRUE(item->responder.pending());
  HttpResponse answer = HttpResponse::Json(201, R"({"x":1})");
  answer.headers.emplace_back("X-Extra", "yes");
  SendFromThread(item->responder, std::move(answer));
  EXPECT_FALSE(item->responder.pending());
  item->responder.Send(HttpResponse::Text(200, "second send is ignored"));

  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"x":1})");
  EXPECT_EQ(response.Header("content-type"), "application/json");
  EXPECT_EQ(response.Header("x-extra"), "yes");
  EXPECT_EQ(response.Header("x-request-id"), "client-7");
  EXPECT_FALSE(response.HasHeader("connection"));

  // A POST body reaches the handler; HEAD gets headers only, as for inline routes.
  ASSERT_TRUE(client.Send("POST /defer?b=2 HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody"));
  item = queue_.Pop();
  ASSERT_TRUE(item);
  EXPECT_EQ(item->tag, "b=2:body");
  SendFromThread(item->responder, HttpResponse::Text(200, "posted"));
  EXPECT_EQ(client.Read().body, "posted");
  ASSERT_TRUE(client.Send("HEAD /defer?c=3 HTTP/1.1\r\nHost: t\r\n\r\n"));
  item = queue_.Pop();
  ASSERT_TRUE(item);
  SendFromThread(item->responder, HttpResponse::Text(200, "12345"));
  RawResponse head = client.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.Header("content-length"), "5");
  // Had the body been sent, it would now be read as the next status line.
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "hello");
}

TEST_F(HttpServerAsyncTest, AnswerOnTheLoopThreadAtOnce) {
  Start(2, 60000, /*access_log=*/true);
  RawHttpClient client(port_);
  std::string batch;
  for (int i = 0; i < 20; ++i) {
    batch += "GET /now?" + std::to_string(i) +
             " HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n";
  }
  ASSERT_TRUE(
      client.Send(batch + "GET /now?last HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  for (int i = 0; i < 20; ++i) {
    RawResponse response = client.Read();
    EXPECT_EQ(response.body, "now " + std::to_string(i));
    EXPECT_FALSE(response.Header("x-request-id").empty());
    EXPECT_EQ(client.Read().body, "hello");
  }
  RawResponse last = client.Read();
  EXPECT_EQ(last.body, "now last");
  EXPECT_EQ(last.Header("connection"), "close");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerAsyncTest, PipelinedRequestsWaitForTheAsyncAnswer) {
  // /count reports how many async answers were sent when it ran: had the server handled it
  // before the async response arrived, it would see one fewer.
  std::atomic<int> sent{0};
  router_.Add("GET", "/count",
              [&sent](HttpRequest&) { return HttpResponse::Text(200, std::to_string(sent)); });
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(
      client.Send("GET /defer?1 HTTP/1.1\r\nHost: t\r\n\r\nGET /count HTTP/1.1\r\nHost: t\r\n\r\n"
                  "POST /defer?2 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabcGET /count "
                  "HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (int i = 1; i <= 2; ++i) {
    std::optional<ResponderQueue::Item> item = queue_.Pop();
    ASSERT_TRUE(item);
    EXPECT_EQ(item->tag, i == 1 ? "1" : "2:abc");
    ++sent;
    SendFromThread(item->responder, HttpResponse::Text(200, "async " + std::to_string(i)));
  }
  EXPECT_EQ(client.Read().body, "async 1");
  EXPECT_EQ(client.Read().body, "1");
  EXPECT_EQ(client.Read().body, "async 2");
  EXPECT_EQ(client.Read().body, "2");
}

TEST_F(HttpServerAsyncTest, IdleTimeoutSparesAConnectionAwaitingItsAnswer) {
  Start(/*threads=*/1, /*idle_timeout_ms=*/20);
  RawHttpClient waiting(port_);
  ASSERT_TRUE(waiting.Send("GET /defer HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<ResponderQueue::Item> item = queue_.Pop();
  ASSERT_TRUE(item);
  // A connection that went idle later than `waiting` is closed by the idle timeout, so the
  // timeout has passed for `waiting` too.
  RawHttpClient idle(port_);
  ASSERT_TRUE(idle.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(idle.Read().status, 200);
  EXPECT_TRUE(idle.WaitForClose());
  SendFromThread(item->responder, HttpResponse::Text(200, "late"));
  EXPECT_EQ(waiting.Read().body, "late");
}

TEST_F(HttpServerAsyncTest, ClientLeavesBeforeTheAnswer) {
  Start(/*threads=*/1);
  for (bool reset : {true, false}) {
    RawHttpClient client(port_);
    ASSERT_TRUE(client.Send("GET /defer HTTP/1.1\r\nHost: t\r\n\r\n"));
    std::optional<ResponderQueue::Item> item = queue_.Pop();
    ASSERT_TRUE(item);
    if (reset) {
      client.Reset();
    } else {
      client.Close();
    }
    // The single loop handles the close before it can answer this request.
    EXPECT_EQ(RoundTrip(port_, "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").body, "hello") << reset;
    std::promise<void> destroyed;
    SendFromThread(item->responder, Tracked("unwanted", &destroyed));
    EXPECT_EQ(destroyed.get_future().wait_for(kWait), std::future_status::ready) << reset;
    EXPECT_EQ(RoundTrip(port_, "GET /now?x HTTP/1.1\r\nHost: t\r\n\r\n").body, "now x") << reset;
  }
}

TEST_F(HttpServerAsyncTest, ShutdownWaitsForTheAnswer) {
  Start(/*threads=*/1);
  RawHttpClient waiting(port_);
  ASSERT_TRUE(waiting.Send("GET /defer HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<ResponderQueue::Item> item = queue_.Pop();
  ASSERT_TRUE(item);
  RawHttpClient idle(port_);
  ASSERT_TRUE(idle.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_EQ(idle.Read().status, 200);
  auto done = std::async(std::launch::async, [this] { server_->Shutdown(600000); });
  EXPECT_TRUE(idle.WaitForClose());  // the drain has begun
  SendFromThread(item->responder, HttpResponse::Text(200, "drained"));
  RawResponse response = waiting.Read();
  EXPECT_EQ(response.body, "drained");
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_TRUE(waiting.WaitForClose());
  ASSERT_EQ(done.wait_for(kWait), std::future_status::ready);
}

TEST_F(HttpServerAsyncTest, SendAfterShutdownIsHarmless) {
  Start();
  RawHttpClient first(port_);
  RawHttpClient second(port_);
  ASSERT_TRUE(first.Send("GET /defer?1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(second.Send("GET /defer?2 HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<ResponderQueue::Item> one = queue_.Pop();
  std::optional<ResponderQueue::Item> two = queue_.Pop();
  ASSERT_TRUE(one && two);
  server_->Shutdown(0);  // the drain deadline passes at once: waiting connections close
  EXPECT_TRUE(first.WaitForClose());
  EXPECT_TRUE(second.WaitForClose());
  // The loops are gone, so the response is dropped on this thread, before Send() returns.
  std::promise<void> destroyed;
  std::future<void> destroyed_future = destroyed.get_future();
  one->responder.Send(Tracked("too late", &destroyed));
  EXPECT_EQ(destroyed_future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  server_.reset();
  two.reset();  // dropped after the server is destroyed
}

TEST_F(HttpServerAsyncTest, DroppedResponderAnswers500) {
  router_.AddAsync("GET", "/drop", [](HttpRequest&, Responder) {});
  router_.AddAsync("GET", "/throw",
                   [](HttpRequest&, Responder) { throw std::runtime_error("boom"); });
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(
      client.Send("GET /drop HTTP/1.1\r\nHost: t\r\n\r\nGET /throw HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    RawResponse response = client.Read();
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body, kDropped);
  }
  ASSERT_TRUE(client.Send("GET /defer HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<ResponderQueue::Item> item = queue_.Pop();
  ASSERT_TRUE(item);
  std::thread([item = std::move(item)]() mutable { item.reset(); }).join();
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(response.body, kDropped);
  // Overwriting an unsent Responder drops it too.
  ASSERT_TRUE(client.Send("GET /defer?1 HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<ResponderQueue::Item> first = queue_.Pop();
  ASSERT_TRUE(first);
  first->responder = Responder();
  EXPECT_EQ(client.Read().body, kDropped);
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().body, "hello");
}

// Worker threads answer what is queued in batches, newest first, so answers cross between
// connections and loops; each connection pipelines windows of async and inline requests.
TEST_F(HttpServerAsyncTest, ManyConnectionsWithAWorkerPool) {
  constexpr int kConnections = 8;
  constexpr int kRequests = 2000;  // per connection
  constexpr int kWindow = 4;       // pipelined requests: three async, then one inline
  Start();
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([this] {
      for (auto batch = queue_.PopAll(); !batch.empty(); batch = queue_.PopAll()) {
        for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
          it->responder.Send(HttpResponse::Text(200, "re:" + it->tag));
        }
      }
    });
  }
  std::atomic<int> mismatches{0};
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c] {
      RawHttpClient client(port_);
      for (int i = 0; i < kRequests; i += kWindow) {
        std::string batch;
        for (int k = 0; k < kWindow - 1; ++k) {
          batch += "GET /defer?c" + std::to_string(c) + "-" + std::to_string(i + k) +
                   " HTTP/1.1\r\nHost: t\r\n\r\n";
        }
        batch += "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";
        if (!client.Send(batch)) return;
        for (int k = 0; k < kWindow; ++k) {
          std::string expected =
              k < kWindow - 1 ? "re:c" + std::to_string(c) + "-" + std::to_string(i + k) : "hello";
          RawResponse response = client.Read();
          if (response.status == 0) return;
          if (response.body != expected) ++mismatches;
          ++answered;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  queue_.Close();
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(answered.load(), kConnections * kRequests);
}

}  // namespace
}  // namespace ferry::http
