#include "cli/server/server_limits.h"

#include <cstdlib>

#include "cli/flags.h"
#include "common/strings.h"

namespace ferry::cli {

void DeclareServerLimitFlags(FlagSet& flags) {
  const char* env_hosts = std::getenv("MLFLOW_SERVER_ALLOWED_HOSTS");
  flags.String("allowed-hosts", env_hosts != nullptr ? env_hosts : "",
               "Host headers answered, against DNS rebinding: comma-separated host[:port] "
               "patterns with '*' wildcards, '*' for all (default: localhost, 127.0.0.1 and "
               "[::1] when --host is loopback, else all; or $MLFLOW_SERVER_ALLOWED_HOSTS)");
  flags.String("header-timeout", "10",
               "seconds a client has to send a request's headers, however steadily it "
               "trickles them (then 408)");
  flags.String("min-body-rate", "1024",
               "bytes/s a request body must keep up, averaged over 10 s windows (then 408; "
               "0: off)");
  flags.String("max-connections", "10000",
               "open client connections; more are answered 503 and closed (0: no cap)");
  flags.String("max-connections-per-client", "256",
               "open connections per client IP address, loopback included (0: no cap; raise "
               "it behind a reverse proxy, whose clients share its address)");
  flags.String("tls-cert", "",
               "serve HTTPS with this PEM certificate (chain, the server's first); needs "
               "--tls-key");
  flags.String("tls-key", "", "the PEM private key (unencrypted) of --tls-cert");
}

absl::StatusOr<ServerLimits> ServerLimitsFromFlags(const FlagSet& flags) {
  ServerLimits limits;
  ASSIGN_OR_RETURN(int64_t header_s, flags.GetInt("header-timeout", 1, 3600));
  limits.header_timeout_ms = static_cast<int>(header_s * 1000);
  ASSIGN_OR_RETURN(limits.min_body_rate, flags.GetInt("min-body-rate", 0, int64_t{1} << 40));
  ASSIGN_OR_RETURN(int64_t total, flags.GetInt("max-connections", 0, 10000000));
  limits.max_connections = static_cast<int>(total);
  ASSIGN_OR_RETURN(int64_t per_client, flags.GetInt("max-connections-per-client", 0, 10000000));
  limits.max_connections_per_client = static_cast<int>(per_client);
  limits.allowed_hosts = flags.Get("allowed-hosts");
  limits.tls_cert_file = flags.Get("tls-cert");
  limits.tls_key_file = flags.Get("tls-key");
  if (limits.tls_cert_file.empty() != limits.tls_key_file.empty()) {
    return absl::InvalidArgumentError(limits.tls_cert_file.empty()
                                          ? "--tls-key needs --tls-cert (the certificate)"
                                          : "--tls-cert needs --tls-key (its private key)");
  }
  return limits;
}

}  // namespace ferry::cli
