// A minimal server for load tests of the HTTP layer alone (not built by default):
//   ninja http_hello_server && http_hello_server [port] [threads] [--async | --async-worker]
//   wrk -t1 -c64 -d10s http://127.0.0.1:8080/ping
// /ping answers inline by default; --async answers through a Responder sent at once on the
// loop thread, --async-worker through a Responder sent by one worker thread (the shape of a
// batcher). Stops on SIGINT/SIGTERM.

#include <signal.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "http/http_server.h"

namespace {

using ferry::http::HttpResponse;
using ferry::http::Responder;

HttpResponse Pong() { return HttpResponse::Json(200, "{\"ok\": true}  "); }

// Answers queued Responders from one thread, a batch at a time.
class Worker {
 public:
  Worker() : thread_([this] { Loop(); }) {}
  ~Worker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void Push(Responder responder) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(responder));
    if (queue_.size() == 1) cv_.notify_one();
  }

 private:
  void Loop() {
    std::vector<Responder> batch;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        batch.swap(queue_);
      }
      for (Responder& responder : batch) responder.Send(Pong());
      batch.clear();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Responder> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace ferry::http;
  bool async = false;
  bool async_worker = false;
  std::vector<char*> positional;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--async") == 0) {
      async = true;
    } else if (std::strcmp(argv[i], "--async-worker") == 0) {
      async_worker = true;
    } else {
      positional.push_back(argv[i]);
    }
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // loop threads inherit the mask

  Worker worker;
  Router router;
  if (async_worker) {
    router.AddAsync("GET", "/ping", [&worker](HttpRequest&, Responder responder) {
      worker.Push(std::move(responder));
    });
  } else if (async) {
    router.AddAsync("GET", "/ping",
                    [](HttpRequest&, Responder responder) { responder.Send(Pong()); });
  } else {
    router.Add("GET", "/ping", [](HttpRequest&) { return Pong(); });
  }
  router.Add("POST", "/echo", [](HttpRequest& r) { return HttpResponse::Json(200, r.body); });
  ServerOptions options;
  options.port = positional.size() > 0 ? std::atoi(positional[0]) : 8080;
  options.threads = positional.size() > 1 ? std::atoi(positional[1]) : 2;
  options.access_log = false;
  auto server = HttpServer::Create(options, router);
  if (!server.ok()) {
    std::fprintf(stderr, "%s\n", server.status().ToString().c_str());
    return 1;
  }
  (*server)->Start();
  std::fprintf(stderr, "listening on %d\n", (*server)->port());
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  (*server)->Shutdown(5000);
  return 0;
}
