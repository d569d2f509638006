#pragma once
// The composition root for `ferry server`: opens the configured stores, builds the
// services, registers every route and runs the HTTP server until SIGTERM/SIGINT.

#include "cli/cli.h"

namespace ferry::app {

// Returns the process exit code. Start-up problems (port in use, unwritable data dir,
// database newer than this binary) are printed with what to do, and return 1.
int RunServer(const cli::ServerConfig& config);

}  // namespace ferry::app
