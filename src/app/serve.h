#pragma once
// `ferry serve` and `ferry predict`: the inference commands (composition of runtime,
// serving and the HTTP endpoints).

#include "cli/server/serve_flags.h"

namespace ferry::app {

// Returns the exit code: 0 after SIGTERM/SIGINT, 1 when the model cannot be loaded or the
// port bound (flags are parsed in cli/serve_flags).
int ServeCommand(const cli::ServeConfig& config);

// `ferry predict PACKAGE < request.json`: loads the model, answers one request read from
// stdin (OIP v2 JSON, or an MLflow /invocations body) on stdout and exits: 0 on success, 1
// when the request or the model fails (the error on stderr, as the server would send it).
int PredictCommand(const cli::PredictConfig& config);

}  // namespace ferry::app
