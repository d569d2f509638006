// Issue 10 item 3: handlers never block an event loop. With ONE loop thread, GET /health
// answers in under 50 ms, measured again and again, while a package import (slow: its store
// takes 0.3 s per file, as a big package's import and verification take seconds) and a 50 MB
// OIP inference request are in progress. The control runs the same load with the work on
// the loop (no workers) and must show the loop blocked, so the load is real.
//
// The gate covers the whole in-flight window: the calls made while the loop still receives
// the 50 MB body (it reserves the declared length and reads at most 512 KiB per turn, so other
// connections get theirs) as well as those made once the import, decoding and inference run.
// Each call is paired with one to an idle one-loop server, a control for the machine's own
// scheduling noise, printed beside the figures.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "gtest/gtest.h"
#include "http/handlers/blocking_worker.h"
#include "http/handlers/inference/serving_routes.h"
#include "http/handlers/inference/testing/fake_inference_service.h"
#include "http/handlers/mlflow/package_handlers.h"
#include "http/http_server.h"
#include "http/testing/raw_http_client.h"
#include "package/build/builder.h"
#include "package/layout/layout_archive.h"

namespace ferry {
namespace {

using http::testing::RawResponse;
using http::testing::RoundTrip;

constexpr int64_t kHealthLimitMs = 50;

struct Figures {
  double max_health_ms = 0;  // calls made once both bodies were sent
  int health_calls = 0;
  double max_transfer_ms = 0;  // calls made while the bodies were being sent
  int transfer_calls = 0;
  double max_idle_ms = 0;  // the same calls to an idle server: the machine's noise
  double max_ms() const { return std::max(max_health_ms, max_transfer_ms); }
  int package_status = 0;
  int infer_status = 0;
};

class LoopLatencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ferry::testing::TestDir("loop_latency");
    root_ = new std::string(dir_->path());
    ASSERT_TRUE(MakeDirs(*root_ + "/model").ok());
    ASSERT_TRUE(WriteFileAtomic(*root_ + "/model/weights.bin", std::string(8 << 20, 'w')).ok());
    package::BuildOptions options;
    options.model_dir = *root_ + "/model";
    options.out_dir = *root_ + "/layout";
    options.name = "big";
    options.version = "1";
    ASSERT_TRUE(package::Build(options).ok());
    ASSERT_TRUE(package::Export(*root_ + "/layout", *root_ + "/big.tar").ok());
    auto tar = ReadFile(*root_ + "/big.tar");
    ASSERT_TRUE(tar.ok());
    package_request_ = new std::string(
        "POST /api/ferry/v1/packages HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-tar\r\n"
        "Content-Length: " +
        std::to_string(tar->size()) + "\r\n\r\n" + *tar);
    // {"inputs":[{"name":"x","shape":[N,3],"datatype":"FP64","data":[...]}]}, about 50 MB.
    constexpr size_t kRows = 1600000;
    std::string body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + std::to_string(kRows) +
                       ",3],\"datatype\":\"FP64\",\"data\":[";
    body.reserve(52 << 20);
    for (size_t i = 0; i < kRows * 3; ++i) body += i == 0 ? "1234.56789" : ",1234.56789";
    body += "]}]}";
    infer_request_ = new std::string(
        "POST /v2/models/sum/infer HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
  }
  static void TearDownTestSuite() {
    delete root_;
    delete dir_;
    delete package_request_;
    delete infer_request_;
  }

  // Runs the package upload and the inference request at once against a one-loop server and
  // measures GET /health until both are answered.
  static void AddHealth(http::Router& router) {
    router.Add("GET", "/health",
               [](http::HttpRequest&) { return http::HttpResponse::Text(200, "OK"); });
  }

  // A one-loop server, started.
  static std::unique_ptr<http::HttpServer> StartServer(http::Router& router) {
    http::ServerOptions options;
    options.port = 0;
    options.threads = 1;  // ONE event loop
    options.access_log = false;
    options.max_body_bytes = int64_t{128} << 20;
    auto server = http::HttpServer::Create(options, router);
    EXPECT_TRUE(server.ok());
    if (!server.ok()) return nullptr;
    (*server)->Start();
    return std::move(*server);
  }

  // Milliseconds for one GET /health on a new connection.
  static double TimeHealth(int port) {
    auto start = std::chrono::steady_clock::now();
    RawResponse health = RoundTrip(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(health.status, 200);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  }

  static Figures Measure(bool offload) {
    http::Router idle_router;
    AddHealth(idle_router);
    std::unique_ptr<http::HttpServer> idle = StartServer(idle_router);
    http::Router router;
    AddHealth(router);
    std::unique_ptr<http::BlockingWorker> intake_worker, infer_worker;
    if (offload) {
      intake_worker = std::make_unique<http::BlockingWorker>("package intake", 1, 4);
      infer_worker = std::make_unique<http::BlockingWorker>("large inference", 2, 8);
    }
    package::PackageIntake intake(*root_ + "/work", std::nullopt,
                                  [](const std::string&, const std::string&) {
                                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                                    return absl::OkStatus();
                                  });
    http::RegisterPackageRoutes(router, intake, intake_worker.get());
    http::testing::FakeInferenceService service;
    http::AddServingRoutes(router, service, SystemClock(), false, infer_worker.get());
    std::unique_ptr<http::HttpServer> server = StartServer(router);
    if (server == nullptr || idle == nullptr) return {};
    int port = server->port();

    Figures f;
    std::atomic<int> in_flight{2};
    std::atomic<int> sending{2};
    // Sends `request`, counts it sent, and returns the response status.
    auto call = [port, &sending](const std::string& request) {
      http::testing::RawHttpClient client(port);
      bool sent = client.Send(request);
      --sending;
      return sent ? client.Read().status : 0;
    };
    std::thread upload([&] {
      f.package_status = call(*package_request_);
      --in_flight;
    });
    std::thread infer([&] {
      f.infer_status = call(*infer_request_);
      --in_flight;
    });
    while (in_flight.load() > 0) {
      bool transfer = sending.load() > 0;
      double ms = TimeHealth(port);
      f.max_idle_ms = std::max(f.max_idle_ms, TimeHealth(idle->port()));
      if (transfer) {
        f.max_transfer_ms = std::max(f.max_transfer_ms, ms);
        ++f.transfer_calls;
      } else {
        f.max_health_ms = std::max(f.max_health_ms, ms);
        ++f.health_calls;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    upload.join();
    infer.join();
    server->Shutdown(1000);
    idle->Shutdown(1000);
    return f;
  }

  static ferry::testing::TestDir* dir_;
  static std::string* root_;
  static std::string* package_request_;
  static std::string* infer_request_;
};

ferry::testing::TestDir* LoopLatencyTest::dir_ = nullptr;
std::string* LoopLatencyTest::root_ = nullptr;
std::string* LoopLatencyTest::package_request_ = nullptr;
std::string* LoopLatencyTest::infer_request_ = nullptr;

void Print(const char* what, const Figures& f) {
  std::printf(
      "%s: max GET /health %.1f ms over %d calls during the transfer, %.1f ms over %d calls "
      "after it; idle server (control) %.1f ms\n",
      what, f.max_transfer_ms, f.transfer_calls, f.max_health_ms, f.health_calls, f.max_idle_ms);
}

TEST_F(LoopLatencyTest, HealthAnswersWhileImportAndLargeInferenceRun) {
  Figures control = Measure(/*offload=*/false);
  Print("control, work on the loop", control);
  EXPECT_EQ(control.package_status, 200);
  EXPECT_EQ(control.infer_status, 200);
  // The load blocks a loop that does the work itself (the store alone sleeps 0.3 s per file).
  EXPECT_GT(control.max_ms(), kHealthLimitMs);

  // A blocked loop fails every attempt; a busy machine (other builds preempting the loop
  // thread) may spoil one, so the best of three attempts counts. The bound holds for every
  // call of the attempt, the 50 MB transfer included.
  Figures best;
  best.max_health_ms = 1e9;
  for (int attempt = 0; attempt < 3 && best.max_ms() >= kHealthLimitMs; ++attempt) {
    Figures offloaded = Measure(/*offload=*/true);
    Print("workers", offloaded);
    EXPECT_EQ(offloaded.package_status, 200);
    EXPECT_EQ(offloaded.infer_status, 200);
    EXPECT_GE(offloaded.transfer_calls + offloaded.health_calls, 10);  // spans the work
    if (offloaded.max_ms() < best.max_ms()) best = offloaded;
  }
  EXPECT_LT(best.max_ms(), kHealthLimitMs)
      << "idle server meanwhile (the machine's noise): " << best.max_idle_ms << " ms";
}

// A full intake queue answers at once: 503 + Retry-After, while the running import goes on.
TEST_F(LoopLatencyTest, FullIntakeQueueIsBusy) {
  http::Router router;
  http::BlockingWorker worker("package intake", 1, 0);  // one import, none waiting
  package::PackageIntake intake(*root_ + "/work-busy", std::nullopt,
                                [](const std::string&, const std::string&) {
                                  std::this_thread::sleep_for(std::chrono::milliseconds(300));
                                  return absl::OkStatus();
                                });
  http::RegisterPackageRoutes(router, intake, &worker);
  http::ServerOptions options;
  options.port = 0;
  options.threads = 1;
  options.access_log = false;
  auto server = http::HttpServer::Create(options, router);
  ASSERT_TRUE(server.ok());
  (*server)->Start();
  int port = (*server)->port();

  RawResponse first;
  std::thread running([&] { first = RoundTrip(port, *package_request_); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // its import is running
  RawResponse second = RoundTrip(port, *package_request_);
  running.join();
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(second.status, 503) << second.body;
  EXPECT_EQ(second.Header("retry-after"), "1");
  EXPECT_NE(second.body.find("TEMPORARILY_UNAVAILABLE"), std::string::npos) << second.body;
  (*server)->Shutdown(1000);
}

}  // namespace
}  // namespace ferry
