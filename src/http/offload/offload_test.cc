// OffloadSink and OffloadSource: a sink or source that blocks (a slow S3) runs on a worker
// while the one event loop answers other requests; a full upload queue stops the reading of
// the client; a client that leaves mid-upload or mid-download has its sink or source
// released on the worker. Ordering is shown by events and gates, never by timing.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "http/http_server.h"
#include "http/offload/offload_sink.h"
#include "http/offload/offload_source.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {
namespace {

using testing::RawHttpClient;
using testing::RawResponse;
using testing::RoundTrip;

constexpr auto kWait = std::chrono::seconds(60);  // only a broken server waits this long

// What happened, in order, from any thread.
class Events {
 public:
  void Add(std::string event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(event));
    cv_.notify_all();
  }
  // Waits until `event` happened; false after kWait.
  bool WaitFor(const std::string& event) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kWait, [&] {
      return std::find(events_.begin(), events_.end(), event) != events_.end();
    });
  }
  std::vector<std::string> list() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> events_;
};

// Closed until Open(): Pass() blocks until then.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void Pass() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// A worker thread with an unbounded queue (BlockingWorker's shape, without its cap).
class Worker {
 public:
  Worker() : thread_([this] { Run(); }) {}
  ~Worker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  JobRunner runner() {
    return [this](std::function<void()> job) {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
      cv_.notify_all();
      return absl::OkStatus();
    };
  }

 private:
  void Run() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

// Writes block at the gate; counts bytes; logs its end and its destruction.
class SlowSink : public BodySink {
 public:
  SlowSink(Gate* gate, Events* events, std::atomic<int64_t>* bytes)
      : gate_(gate), events_(events), bytes_(bytes) {}
  ~SlowSink() override { events_->Add("sink destroyed"); }
  absl::Status Write(std::string_view chunk) override {
    if (first_) events_->Add("write entered");
    first_ = false;
    gate_->Pass();
    *bytes_ += static_cast<int64_t>(chunk.size());
    return absl::OkStatus();
  }
  HttpResponse Finish() override {
    events_->Add("finish");
    return HttpResponse::Json(201, "{\"bytes\":" + std::to_string(bytes_->load()) + "}");
  }
  void Abort() override { events_->Add("abort"); }

 private:
  Gate* gate_;
  Events* events_;
  std::atomic<int64_t>* bytes_;
  bool first_ = true;
};

// Every write fails, as a full disk would.
class FailingSink : public BodySink {
 public:
  explicit FailingSink(Events* events) : events_(events) {}
  ~FailingSink() override { events_->Add("failing sink destroyed"); }
  absl::Status Write(std::string_view) override {
    return absl::ResourceExhaustedError("disk full");
  }
  HttpResponse Finish() override { return HttpResponse::Json(200, "{}"); }
  void Abort() override {}

 private:
  Events* events_;
};

char PatternByte(int64_t i) { return static_cast<char>('a' + (i * 7 + i / 4096) % 26); }

// `size` pattern bytes; every Read() blocks at the gate.
class SlowSource : public BodySource {
 public:
  SlowSource(int64_t size, Gate* gate, Events* events)
      : size_(size), gate_(gate), events_(events) {}
  ~SlowSource() override { events_->Add("source destroyed"); }
  int64_t size() const override { return size_; }
  int fd() const override { return -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (offset_ == 0) events_->Add("read entered");
    gate_->Pass();
    size_t k = static_cast<size_t>(std::min<int64_t>(n, size_ - offset_));
    for (size_t i = 0; i < k; ++i) buf[i] = PatternByte(offset_ + static_cast<int64_t>(i));
    offset_ += static_cast<int64_t>(k);
    return k;
  }

 private:
  int64_t size_;
  int64_t offset_ = 0;
  Gate* gate_;
  Events* events_;
};

std::string Pattern(int64_t size) {
  std::string data(static_cast<size_t>(size), '\0');
  for (int64_t i = 0; i < size; ++i) data[i] = PatternByte(i);
  return data;
}

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxQueued = 256 * 1024;

class OffloadTest : public ::testing::Test {
 protected:
  OffloadTest() {
    router_.Add("GET", "/ping", [this](HttpRequest&) {
      events_.Add("ping");
      return HttpResponse::Text(200, "pong");
    });
    router_.AddStream("PUT", "/up", [this](HttpRequest&) {
      OffloadSinkOptions options;
      options.chunk_bytes = kChunk;
      options.max_queued_bytes = kMaxQueued;
      options.on_queued = [this](size_t queued) {
        size_t peak = peak_queued_.load();
        while (queued > peak && !peak_queued_.compare_exchange_weak(peak, queued)) {
        }
        if (queued >= kMaxQueued) events_.Add("queue full");
      };
      auto inner = std::make_unique<SlowSink>(&gate_, &events_, &written_);
      return std::variant<std::unique_ptr<BodySink>, HttpResponse>(
          std::make_unique<OffloadSink>(std::move(inner), worker_.runner(), options));
    });
    router_.AddStream("PUT", "/fail", [this](HttpRequest&) {
      return std::variant<std::unique_ptr<BodySink>, HttpResponse>(
          std::make_unique<OffloadSink>(std::make_unique<FailingSink>(&events_), worker_.runner(),
                                        OffloadSinkOptions{kChunk, kMaxQueued, nullptr}));
    });
    router_.Add("GET", "/down", [this](HttpRequest& request) {
      HttpResponse response;
      response.content_type = "application/octet-stream";
      auto inner = std::make_unique<SlowSource>(std::stoll(request.query), &gate_, &events_);
      response.source = std::make_unique<OffloadSource>(std::move(inner), worker_.runner(),
                                                        OffloadSourceOptions{kChunk, 2});
      return response;
    });
    ServerOptions options;
    options.port = 0;
    options.threads = 1;  // one loop: a blocked loop would block /ping
    auto server = HttpServer::Create(options, router_);
    EXPECT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
    port_ = server_->port();
  }
  ~OffloadTest() override {
    gate_.Open();
    server_->Shutdown(0);
  }

  RawResponse Ping() { return RoundTrip(port_, "GET /ping HTTP/1.1\r\nHost: t\r\n\r\n"); }

  Events events_;
  Gate gate_;
  std::atomic<int64_t> written_{0};
  std::atomic<size_t> peak_queued_{0};
  Worker worker_;  // destroyed after the server (declared before it)
  Router router_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(OffloadTest, SlowSinkDoesNotBlockTheLoop) {
  const std::string body = Pattern(100 * 1024);
  RawHttpClient upload(port_);
  ASSERT_TRUE(upload.Send("PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body));
  ASSERT_TRUE(events_.WaitFor("write entered"));
  EXPECT_EQ(Ping().body, "pong");  // answered while the sink's first write is stuck
  gate_.Open();
  RawResponse response = upload.Read();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "{\"bytes\":102400}");
  std::vector<std::string> events = events_.list();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events[0], "write entered");
  EXPECT_EQ(events[1], "ping");
  EXPECT_EQ(events[2], "finish");
}

TEST_F(OffloadTest, FullQueueStopsReadingTheClient) {
  const int64_t size = 16 << 20;  // 64 times the queue bound
  const std::string body = Pattern(size);
  RawHttpClient upload(port_);
  std::thread sender([&] {
    upload.Send("PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(size) +
                "\r\n\r\n" + body);
  });
  ASSERT_TRUE(events_.WaitFor("queue full"));
  EXPECT_EQ(Ping().body, "pong");  // the loop is free while the upload waits
  EXPECT_LT(written_.load(), size);
  gate_.Open();
  sender.join();
  RawResponse response = upload.Read();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(written_.load(), size);
  // The queue never held more than its bound plus one chunk and one socket read.
  EXPECT_LE(peak_queued_.load(), kMaxQueued + kChunk + 256 * 1024);
}

TEST_F(OffloadTest, ClientLeavingMidUploadAbortsOnTheWorker) {
  RawHttpClient upload(port_);
  ASSERT_TRUE(upload.Send("PUT /up HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n" +
                          Pattern(200 * 1024)));
  ASSERT_TRUE(events_.WaitFor("write entered"));
  upload.Reset();
  EXPECT_EQ(Ping().body, "pong");
  gate_.Open();
  ASSERT_TRUE(events_.WaitFor("sink destroyed"));
  std::vector<std::string> events = events_.list();
  EXPECT_NE(std::find(events.begin(), events.end(), "abort"), events.end());
  EXPECT_EQ(std::find(events.begin(), events.end(), "finish"), events.end());
}

TEST_F(OffloadTest, SlowSourceDoesNotBlockTheLoop) {
  const int64_t size = 1 << 20;
  RawHttpClient download(port_);
  ASSERT_TRUE(download.Send("GET /down?" + std::to_string(size) + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(events_.WaitFor("read entered"));
  EXPECT_EQ(Ping().body, "pong");  // answered while the source's first read is stuck
  gate_.Open();
  RawResponse response = download.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body == Pattern(size));
  std::vector<std::string> events = events_.list();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[0], "read entered");
  EXPECT_EQ(events[1], "ping");
}

TEST_F(OffloadTest, ClientLeavingMidDownloadReleasesTheSource) {
  RawHttpClient download(port_);
  ASSERT_TRUE(download.Send("GET /down?100000000 HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(events_.WaitFor("read entered"));
  download.Reset();
  EXPECT_EQ(Ping().body, "pong");
  gate_.Open();
  EXPECT_TRUE(events_.WaitFor("source destroyed"));
}

TEST_F(OffloadTest, FailedWriteAnswersTheUpload) {
  RawResponse response = RoundTrip(
      port_, "PUT /fail HTTP/1.1\r\nHost: t\r\nContent-Length: 300000\r\n\r\n" + Pattern(300000));
  EXPECT_EQ(response.status, 507);
  EXPECT_NE(response.body.find("disk full"), std::string::npos) << response.body;
  EXPECT_TRUE(events_.WaitFor("failing sink destroyed"));
}

}  // namespace
}  // namespace ferry::http
