// HttpServer tests for streamed bodies: uploads through BodySink (Content-Length and chunked,
// Expect: 100-continue, errors, client disconnects) and downloads through BodySource (with
// and without an fd, unknown length).

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <string>

#include "gtest/gtest.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"

namespace ferry::http {
namespace {

using testing::RawHttpClient;
using testing::RawResponse;

char PatternByte(int64_t i) { return static_cast<char>('a' + (i * 7 + i / 4096) % 26); }

// What a CountingSink saw; shared with the test thread.
struct SinkLog {
  std::atomic<int64_t> bytes{0};
  std::atomic<int> writes{0};
  std::atomic<bool> pattern_ok{true};
  std::promise<std::string> ended;  // "finish" or "abort"
  std::atomic<bool> ended_set{false};
  int64_t fail_after = -1;  // Write() fails once this many bytes have arrived
  absl::Status failure = absl::ResourceExhaustedError("disk full");

  void End(const char* how) {
    if (!ended_set.exchange(true)) ended.set_value(how);
  }
};

class CountingSink : public BodySink {
 public:
  explicit CountingSink(SinkLog* log) : log_(log) {}
  // BodySink
  absl::Status Write(std::string_view chunk) override {
    for (size_t i = 0; i < chunk.size(); ++i) {
      if (chunk[i] != PatternByte(log_->bytes + static_cast<int64_t>(i))) {
        log_->pattern_ok = false;
        break;
      }
    }
    log_->bytes += static_cast<int64_t>(chunk.size());
    ++log_->writes;
    if (log_->fail_after >= 0 && log_->bytes > log_->fail_after) return log_->failure;
    return absl::OkStatus();
  }
  HttpResponse Finish() override {
    log_->End("finish");
    return HttpResponse::Json(201, "{\"bytes\":" + std::to_string(log_->bytes.load()) + "}");
  }
  void Abort() override { log_->End("abort"); }

 private:
  SinkLog* log_;
};

// Serves `size` pattern bytes, from a temp file (fd >= 0) or generated on the fly.
class PatternSource : public BodySource {
 public:
  PatternSource(int64_t size, bool with_fd, std::atomic<int>* reads, bool unknown_size = false)
      : size_(size), reads_(reads), unknown_size_(unknown_size) {
    if (!with_fd) return;
    char path[] = "/tmp/ferry_http_source_XXXXXX";
    fd_ = mkstemp(path);
    unlink(path);
    std::string data(static_cast<size_t>(size), '\0');
    for (int64_t i = 0; i < size; ++i) data[i] = PatternByte(i);
    EXPECT_EQ(write(fd_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
    lseek(fd_, 0, SEEK_SET);
  }
  ~PatternSource() override {
    if (fd_ >= 0) close(fd_);
  }
  // BodySource
  int64_t size() const override { return unknown_size_ ? -1 : size_; }
  int fd() const override { return fd_; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    ++*reads_;
    if (n > 256 * 1024) return absl::InternalError("chunk too large");
    size_t count = static_cast<size_t>(std::min<int64_t>(n, size_ - offset_));
    for (size_t i = 0; i < count; ++i) buf[i] = PatternByte(offset_ + static_cast<int64_t>(i));
    offset_ += static_cast<int64_t>(count);
    return count;
  }

 private:
  int64_t size_;
  std::atomic<int>* reads_;
  bool unknown_size_;
  int fd_ = -1;
  int64_t offset_ = 0;
};

std::string Pattern(int64_t begin, int64_t end) {
  std::string out(static_cast<size_t>(end - begin), '\0');
  for (int64_t i = begin; i < end; ++i) out[i - begin] = PatternByte(i);
  return out;
}

bool IsPattern(const std::string& body) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != PatternByte(static_cast<int64_t>(i))) return false;
  }
  return true;
}

class HttpServerStreamTest : public ::testing::Test {
 protected:
  HttpServerStreamTest() {
    router_.AddStream("PUT", "/upload/*", [this](HttpRequest& request) {
      using Result = std::variant<std::unique_ptr<BodySink>, HttpResponse>;
      if (request.path_rest == "forbidden") return Result(HttpResponse::Json(403, "{}"));
      return Result(std::make_unique<CountingSink>(&log_));
    });
    router_.Add("GET", "/download/*", [this](HttpRequest& request) {
      HttpResponse response;
      response.content_type = "application/octet-stream";
      bool with_fd = request.path_rest == "fd";
      bool unknown = request.path_rest == "unknown";
      response.source = std::make_unique<PatternSource>(download_size_, with_fd, &reads_, unknown);
      return response;
    });
  }
  ~HttpServerStreamTest() override {
    if (server_) server_->Shutdown(0);
  }

  void Start(int idle_timeout_ms = 60000) {
    ServerOptions options;
    options.idle_timeout_ms = idle_timeout_ms;
    options.port = 0;
    options.threads = 2;
    options.access_log = false;
    options.max_body_bytes = 1024;  // streaming routes are not limited by this
    auto server = HttpServer::Create(options, router_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    server_->Start();
    port_ = server_->port();
  }

  std::string WaitForEnd() {
    auto future = log_.ended.get_future();
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) return "timeout";
    return future.get();
  }

  Router router_;
  SinkLog log_;
  std::atomic<int> reads_{0};
  int64_t download_size_ = 0;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

TEST_F(HttpServerStreamTest, UploadsFiftyMegabytesWithContentLength) {
  Start();
  constexpr int64_t kSize = 50 << 20;
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("PUT /upload/big HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                          std::to_string(kSize) + "\r\n\r\n"));
  for (int64_t offset = 0; offset < kSize; offset += 1 << 20) {
    ASSERT_TRUE(client.Send(Pattern(offset, offset + (1 << 20))));
  }
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "{\"bytes\":" + std::to_string(kSize) + "}");
  EXPECT_EQ(WaitForEnd(), "finish");
  EXPECT_EQ(log_.bytes.load(), kSize);
  EXPECT_TRUE(log_.pattern_ok.load());
  EXPECT_GT(log_.writes.load(), 50);  // fed piecewise, never buffered whole
  // The connection stays usable.
  ASSERT_TRUE(client.Send("GET /download/nofd HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().status, 200);
}

TEST_F(HttpServerStreamTest, UploadsChunkedWithExpectContinue) {
  Start();
  constexpr int64_t kSize = 5 << 20;
  constexpr int64_t kChunk = 100000;
  RawHttpClient client(port_);
  ASSERT_TRUE(
      client.Send("PUT /upload/c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nExpect: "
                  "100-continue\r\n\r\n"));
  RawResponse interim = client.Read();
  ASSERT_EQ(interim.status, 100);
  for (int64_t offset = 0; offset < kSize; offset += kChunk) {
    int64_t end = std::min(kSize, offset + kChunk);
    char size_line[32];
    snprintf(size_line, sizeof(size_line), "%lx;x=y\r\n", static_cast<long>(end - offset));
    ASSERT_TRUE(client.Send(size_line + Pattern(offset, end) + "\r\n"));
  }
  ASSERT_TRUE(client.Send("0\r\nX-Checksum: none\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(WaitForEnd(), "finish");
  EXPECT_EQ(log_.bytes.load(), kSize);
  EXPECT_TRUE(log_.pattern_ok.load());
}

TEST_F(HttpServerStreamTest, ExpectContinueOnBufferedRouteAndLimit) {
  router_.Add("POST", "/small", [](HttpRequest& request) {
    return HttpResponse::Text(200, std::to_string(request.body.size()));
  });
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send(
      "POST /small HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n"));
  ASSERT_EQ(client.Read().status, 100);
  ASSERT_TRUE(client.Send("0123456789"));
  EXPECT_EQ(client.Read().body, "10");
  // Over the limit: the final status comes at once, without 100 Continue.
  ASSERT_TRUE(client.Send(
      "POST /small HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n"));
  RawResponse rejected = client.Read();
  EXPECT_EQ(rejected.status, 413);
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerStreamTest, SinkWriteErrorAbortsAndAnswers) {
  log_.fail_after = 1 << 20;
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("PUT /upload/x HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n"));
  for (int64_t offset = 0; offset < (2 << 20); offset += 1 << 18) {
    if (!client.Send(Pattern(offset, offset + (1 << 18)))) break;  // server may close early
  }
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 507);
  EXPECT_EQ(response.body, R"({"error_code":"RESOURCE_EXHAUSTED","message":"disk full"})");
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_EQ(WaitForEnd(), "abort");
}

TEST_F(HttpServerStreamTest, ClientDisconnectMidUploadAborts) {
  Start();
  {
    RawHttpClient client(port_);
    ASSERT_TRUE(client.Send("PUT /upload/x HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n" +
                            Pattern(0, 5000)));
  }
  EXPECT_EQ(WaitForEnd(), "abort");
  EXPECT_EQ(log_.bytes.load(), 5000);
}

TEST_F(HttpServerStreamTest, StalledUploadTimesOutAndAborts) {
  Start(/*idle_timeout_ms=*/50);
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("PUT /upload/x HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
                          Pattern(0, 10)));
  EXPECT_EQ(WaitForEnd(), "abort");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerStreamTest, MalformedChunkAborts) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(
      client.Send("PUT /upload/x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\nzz\r\n"));
  EXPECT_EQ(client.Read().status, 400);
  EXPECT_EQ(WaitForEnd(), "abort");
}

TEST_F(HttpServerStreamTest, ImmediateResponseFromStreamHandler) {
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send(
      "PUT /upload/forbidden HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.Header("connection"), "close");  // body pending: connection closes
  client.ShutdownWrite();
  EXPECT_TRUE(client.WaitForClose());
  RawHttpClient small(port_);
  ASSERT_TRUE(small.Send("PUT /upload/forbidden HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"));
  EXPECT_EQ(small.Read().status, 403);
  ASSERT_TRUE(small.Send("GET /download/nofd HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(small.Read().status, 200);
}

TEST_F(HttpServerStreamTest, DownloadsFromFdWithSendfile) {
  download_size_ = 20 << 20;
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /download/fd HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("content-length"), std::to_string(download_size_));
  EXPECT_EQ(response.body.size(), static_cast<size_t>(download_size_));
  EXPECT_TRUE(IsPattern(response.body));
  EXPECT_EQ(reads_.load(), 0);  // sendfile, not Read()
  ASSERT_TRUE(client.Send("HEAD /download/fd HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse head = client.Read(/*head=*/true);
  EXPECT_EQ(head.Header("content-length"), std::to_string(download_size_));
  ASSERT_TRUE(client.Send("GET /download/nofd HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_EQ(client.Read().body.size(), static_cast<size_t>(download_size_));
}

TEST_F(HttpServerStreamTest, DownloadsFromReadInBoundedChunks) {
  download_size_ = (10 << 20) + 123;
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(
      client.Send("GET /download/nofd HTTP/1.1\r\nHost: t\r\n\r\nGET /download/nofd "
                  "HTTP/1.1\r\nHost: t\r\n\r\n"));
  for (int i = 0; i < 2; ++i) {
    RawResponse response = client.Read();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body.size(), static_cast<size_t>(download_size_));
    EXPECT_TRUE(IsPattern(response.body));
  }
  EXPECT_GE(reads_.load(), 2 * 40);  // 256 KB at a time
}

TEST_F(HttpServerStreamTest, DownloadOfUnknownLengthEndsWithConnection) {
  download_size_ = 1 << 20;
  Start();
  RawHttpClient client(port_);
  ASSERT_TRUE(client.Send("GET /download/unknown HTTP/1.1\r\nHost: t\r\n\r\n"));
  RawResponse response = client.Read();
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.HasHeader("content-length"));
  EXPECT_EQ(response.Header("connection"), "close");
  EXPECT_EQ(response.body.size(), static_cast<size_t>(download_size_));
  EXPECT_TRUE(IsPattern(response.body));
}

}  // namespace
}  // namespace ferry::http
