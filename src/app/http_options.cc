#include "app/http_options.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

#include "http/admission/host_allowlist.h"
#include "http/tls/tls_context.h"

namespace ferry::app {
namespace {

constexpr rlim_t kSpareDescriptors = 1024;  // stores, artifacts, uploads, loaded models

}  // namespace

absl::StatusOr<http::ServerOptions> MakeServerOptions(const std::string& host, int port,
                                                      int threads, bool access_log,
                                                      const cli::ServerLimits& limits) {
  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.threads = threads;
  options.access_log = access_log;
  options.header_timeout_ms = limits.header_timeout_ms;
  options.min_body_rate = limits.min_body_rate;
  options.max_connections = limits.max_connections;
  options.max_connections_per_client = limits.max_connections_per_client;
  if (!limits.tls_cert_file.empty()) {
    ASSIGN_OR_RETURN(options.tls,
                     http::TlsContext::Load(limits.tls_cert_file, limits.tls_key_file));
  }
  if (limits.allowed_hosts.empty()) {
    options.allowed_hosts = http::HostAllowlist::DefaultFor(host);
  } else {
    ASSIGN_OR_RETURN(options.allowed_hosts, http::HostAllowlist::Parse(limits.allowed_hosts));
    // The server's own address as its in-process clients (--deploy) name it: 127.0.0.1 for
    // a wildcard address. A rebinding page sends its own domain as Host, never an address
    // literal, so allowing these is safe.
    const bool wildcard = host.empty() || host == "0.0.0.0" || host == "::";
    const std::string self = wildcard ? "127.0.0.1" : host;
    options.allowed_hosts.Add(self.find(':') != std::string::npos ? "[" + self + "]" : self);
  }
  return options;
}

std::string ExposureError(const std::string& host, bool auth, bool insecure_no_auth,
                          std::string_view risk) {
  if (auth || insecure_no_auth || http::IsLoopbackHost(host)) return "";
  return "refusing to listen on '" + host + "' without authentication: anyone who reaches the " +
         "port could " + std::string(risk) +
         ". Add --auth (docs/AUTH.md), bind to 127.0.0.1, or give --insecure-no-auth if an "
         "authenticating proxy stands in front.";
}

void FitOpenFileLimit(const char* command, int* max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = *max_connections > 0
                            ? static_cast<rlim_t>(*max_connections) + kSpareDescriptors
                            : limit.rlim_max;
  if (wanted > limit.rlim_cur) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (*max_connections <= 0 || wanted <= limit.rlim_cur) return;
  const int fitted = static_cast<int>(std::max<rlim_t>(
      limit.rlim_cur / 2,
      limit.rlim_cur > kSpareDescriptors * 2 ? limit.rlim_cur - kSpareDescriptors : 0));
  std::fprintf(stderr,
               "%s: the open-file limit (%llu) is too low for --max-connections %d; using %d "
               "(raise it with ulimit -n)\n",
               command, static_cast<unsigned long long>(limit.rlim_cur), *max_connections, fitted);
  *max_connections = std::max(1, fitted);
}

}  // namespace ferry::app
