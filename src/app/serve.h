#pragma once
// `ferry serve` and `ferry predict`: the inference commands (composition of runtime,
// serving and the HTTP endpoints).

#include <string>
#include <vector>

namespace ferry::app {

// Returns the exit code: 0 after SIGTERM/SIGINT, 1 when the model cannot be loaded or the
// port bound, 2 for usage errors.
int ServeCommand(const std::vector<std::string>& args);

// `ferry predict PACKAGE < request.json`: loads the model, answers one request read from
// stdin (OIP v2 JSON, or an MLflow /invocations body) on stdout and exits: 0 on success, 1
// when the request or the model fails (the error on stderr, as the server would send it).
int PredictCommand(const std::vector<std::string>& args);

}  // namespace ferry::app
