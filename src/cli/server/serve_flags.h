#pragma once
// The command lines of `ferry serve` and `ferry predict`, parsed here like `ferry server`'s
// (cli.cc) and handed to app/ as plain configs: app/ composes runtime, serving and http.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cli/server/monitor_flags.h"
#include "cli/server/python_flags.h"
#include "cli/server/server_limits.h"
#include "cli/server/ui_flags.h"

namespace ferry::cli {

// --max-batch-size auto: the model's own default (serving::kAutoBatch).
inline constexpr int kAutoBatchSize = -1;

// `ferry serve --auth` (docs/AUTH.md, "Inference servers"): Bearer tokens with scopes from
// the operator's token file, created with new tokens when it does not exist.
struct ServeAuthFlags {
  bool enabled = false;
  bool insecure_no_auth = false;  // listen beyond loopback without --auth, knowingly
  std::string token_file;
};

struct ServeConfig {
  std::string model;  // models:/... reference or package path
  std::string name;   // model name on the wire (empty: the registered or package name)
  std::string canary;
  std::string shadow;
  int canary_percent = 10;
  std::string host = "127.0.0.1";
  int port = 8080;
  int threads = 0;
  bool access_log = true;
  int max_batch_size = kAutoBatchSize;
  int64_t max_queue_delay_us = 0;
  int max_queue_size = 1024;
  int batch_workers = 1;
  std::string prediction_log;  // directory; empty: off
  double log_sample_rate = 1;
  int64_t poll_seconds = 10;
  std::string tracking_uri;
  std::string cache_dir;
  // A package's signature must verify under this policy before its pickles load (Python
  // backend); --allow-unsigned-pickle loads them anyway.
  std::string trust_policy;
  bool allow_unsigned_pickle = false;
  // Slow-client deadlines, connection caps and the Host allowlist (--allowed-hosts ...).
  ServerLimits limits;
  LiveMonitorConfig monitor;  // --monitor*
  PythonFlags python;         // --python*
  UiFlags ui;                 // --no-ui, --ui-dir
  ServeAuthFlags auth;        // --auth, --token-file, --insecure-no-auth
};

struct PredictConfig {
  std::string model;
  bool csv = false;
  std::string tracking_uri;
  std::string cache_dir;
  std::string trust_policy;  // as ServeConfig's
  bool allow_unsigned_pickle = false;
  PythonFlags python;
};

// --allow-unsigned-pickle, shared by serve, predict and server.
inline constexpr char kAllowUnsignedPickleFlag[] = "allow-unsigned-pickle";
inline constexpr char kAllowUnsignedPickleHelp[] =
    "load pickles (Python-backend MLflow models) from bare directories and unsigned packages";

// Parse `ferry serve` / `ferry predict` (help and usage errors handled here, exit 0 / 2) and
// return `run(config)`.
int ServeCommand(const std::vector<std::string>& args,
                 const std::function<int(const ServeConfig&)>& run);
int PredictCommand(const std::vector<std::string>& args,
                   const std::function<int(const PredictConfig&)>& run);

// $XDG_CACHE_HOME/ferry/packages, else $HOME/.cache/ferry/packages, else
// /tmp/ferry-cache/packages.
std::string DefaultPackageCache();

}  // namespace ferry::cli
