#pragma once
// The flags that harden an HTTP server against slow or hostile clients, shared by
// `ferry server` and `ferry serve`: request deadlines, connection caps, the Host allowlist
// and TLS. Parsed here; app/ turns them into the HTTP server's options.

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
  // --tls-cert and --tls-key (PEM files): both or neither; empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Declares --allowed-hosts, --header-timeout, --min-body-rate, --max-connections,
// --max-connections-per-client, --tls-cert and --tls-key. --allowed-hosts defaults to
// $MLFLOW_SERVER_ALLOWED_HOSTS.
void DeclareServerLimitFlags(FlagSet& flags);
// kInvalidArgument naming the flag when a value is out of range, or when only one of
// --tls-cert and --tls-key is given.
absl::StatusOr<ServerLimits> ServerLimitsFromFlags(const FlagSet& flags);

}  // namespace ferry::cli
