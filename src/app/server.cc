#include "app/server.h"

#include <malloc.h>

#include <cstdio>

#include "app/auth/auth_setup.h"
#include "app/http_options.h"
#include "app/instance.h"
#include "app/stop_signals.h"
#include "common/logging.h"

namespace ferry::app {

int RunServer(const cli::ServerConfig& config) {
  const sigset_t stop_signals = BlockStopSignals();

  // Large responses (a 100k-point metric history is ~8 MB) would otherwise be mmap'ed and
  // returned to the OS after every request and faulted in again by the next one: measured,
  // that was ~30% of the server's time for such requests (docs/BENCHMARKS.md).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);

  if (std::string exposed = ExposureError(config.host, config.auth); !exposed.empty()) {
    std::fprintf(stderr, "ferry server: %s\n", exposed.c_str());
    return 2;
  }
  // Malformed flags are usage errors (exit 2), found before anything is opened.
  if (auto options = MakeServerOptions(config.host, config.port, config.threads, config.access_log,
                                       config.limits);
      !options.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(options.status().message()).c_str());
    return 2;
  }
  cli::ServerConfig fitted = config;
  FitOpenFileLimit("ferry server", &fitted.limits.max_connections);
  auto instance = Instance::Start(fitted);
  if (!instance.ok()) {
    std::fprintf(stderr, "ferry server: %s\n", std::string(instance.status().message()).c_str());
    return 1;
  }
  const char* scheme = config.limits.tls_cert_file.empty() ? "http" : "https";
  std::printf("Ferry %s listening on %s://%s:%d\n", FERRY_VERSION, scheme, config.host.c_str(),
              (*instance)->port());
  std::fflush(stdout);

  WaitForStopSignal(stop_signals);
  (*instance)->Shutdown(10000);
  LogInfo("stopped");
  return 0;
}

}  // namespace ferry::app
