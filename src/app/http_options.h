#pragma once
// The HTTP server options that `ferry server` and `ferry serve` build alike from their flags,
// and what they do before listening: refuse an address reachable from elsewhere without
// authentication, and make room for the connection cap in the open-file limit.

#include <string>
#include <string_view>

#include "cli/server/server_limits.h"
#include "common/status.h"
#include "http/http_server.h"

namespace ferry::app {

// kInvalidArgument for a malformed --allowed-hosts. Without one, the allowlist is the
// loopback names when `host` is a loopback address, else every Host; with one, `host` itself
// (127.0.0.1 for a wildcard address) is added, so that --deploy reaches its own registry.
// With --tls-cert, loads the certificate and key: kInvalidArgument naming the file and the
// problem.
absl::StatusOr<http::ServerOptions> MakeServerOptions(const std::string& host, int port,
                                                      int threads, bool access_log,
                                                      const cli::ServerLimits& limits);

// The refusal to listen on `host` beyond loopback without authentication (neither `auth` nor
// `insecure_no_auth`), as a message naming what anyone reaching the port could do (`risk`,
// e.g. "read, change and delete everything"); empty when the address is fine.
std::string ExposureError(const std::string& host, bool auth, bool insecure_no_auth,
                          std::string_view risk);

// Raises the soft RLIMIT_NOFILE (up to the hard limit) so that `*max_connections` sockets
// and the server's own files fit, so that a connection over the cap gets its 503 instead of
// the accept failing for want of descriptors. When the hard limit is too low, lowers
// *max_connections to fit and says so on stderr.
void FitOpenFileLimit(const char* command, int* max_connections);

}  // namespace ferry::app
