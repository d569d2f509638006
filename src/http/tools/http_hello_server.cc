// A minimal server for load tests of the HTTP layer alone (not built by default):
//   ninja http_hello_server && http_hello_server [port] [threads]
//   wrk -t1 -c64 -d10s http://127.0.0.1:8080/ping
// Stops on SIGINT/SIGTERM.

#include <signal.h>

#include <cstdio>
#include <cstdlib>

#include "http/http_server.h"

int main(int argc, char** argv) {
  using namespace ferry::http;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // loop threads inherit the mask

  Router router;
  router.Add("GET", "/ping",
             [](HttpRequest&) { return HttpResponse::Json(200, "{\"ok\": true}  "); });
  router.Add("POST", "/echo", [](HttpRequest& r) { return HttpResponse::Json(200, r.body); });
  ServerOptions options;
  options.port = argc > 1 ? std::atoi(argv[1]) : 8080;
  options.threads = argc > 2 ? std::atoi(argv[2]) : 2;
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
