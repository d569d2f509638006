#include "app/server.h"

#include <malloc.h>
#include <signal.h>

#include <cstdio>

#include "app/instance.h"
#include "common/logging.h"

namespace ferry::app {

int RunServer(const cli::ServerConfig& config) {
  // Block SIGINT/SIGTERM before any thread starts (threads inherit the mask), then wait for
  // one of them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Large responses (a 100k-point metric history is ~8 MB) would otherwise be mmap'ed and
  // returned to the OS after every request and faulted in again by the next one: measured,
  // that was ~30% of the server's time for such requests (docs/BENCHMARKS.md).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

  auto instance = Instance::Start(config);
  if (!instance.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(instance.status().message()).c_str());
    return 1;
  }
  std::printf("Ferry %s listening on http://%s:%d\n", FERRY_VERSION, config.host.c_str(),
              (*instance)->port());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  LogInfo("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*instance)->Shutdown(10000);
  LogInfo("stopped");
  return 0;
}

}  // namespace ferry::app
