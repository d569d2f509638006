#pragma once
// The flags that harden an HTTP server against slow or hostile clients, shared by
// `ferry server` and `ferry serve`: request deadlines, connection caps and the Host
// allowlist. Parsed here; app/ turns them into the HTTP server's options.

#include <cstdint>
#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

struct ServerLimits {
  int header_timeout_ms = 10000;
  int64_t min_body_rate = 1024;  // bytes/s averaged over 10 s windows; 0: off
  int max_connections = 10000;
  int max_connections_per_client = 256;  // 0: no per-client cap
  // --allowed-hosts as given ("" when not given: the default depends on --host).
  std::string allowed_hosts;
};

// Declares --allowed-hosts, --header-timeout, --min-body-rate, --max-connections and
// --max-connections-per-client. --allowed-hosts defaults to $MLFLOW_SERVER_ALLOWED_HOSTS.
void DeclareServerLimitFlags(FlagSet& flags);
// kInvalidArgument naming the flag when a value is out of range.
absl::StatusOr<ServerLimits> ServerLimitsFromFlags(const FlagSet& flags);

}  // namespace ferry::cli
