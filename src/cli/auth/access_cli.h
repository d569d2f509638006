#pragma once
// The pieces `ferry users`, `ferry permissions` and `ferry tokens` share: a JSON call to the
// server (credentials from MLFLOW_TRACKING_*, errors as "<error_code>: <message>"), a
// password read from stdin, and a table of subcommands run through FlagSet.

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "cli/flags.h"
#include "common/json.h"
#include "common/status.h"

namespace ferry::cli {

// Sends `method path` with `body` (JSON; "" for none) to --tracking-uri and parses the answer;
// in `workspace` (X-MLFLOW-WORKSPACE) when given, else in MLFLOW_WORKSPACE's.
absl::StatusOr<JsonValue> CallServer(const FlagSet& flags, const std::string& method,
                                     const std::string& path, const std::string& body = "",
                                     const std::string& workspace = "");

// The first line of stdin, for --password-stdin (never a flag value: it would show in `ps`).
absl::StatusOr<std::string> PasswordFromStdin();

// A JSON object from (key, JSON value) pairs, the values already encoded.
std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields);
std::string JsonText(const std::string& s);  // a JSON string literal

struct Subcommand {
  const char* name;
  const char* usage;  // after "ferry <command> "
  const char* about;
  int arguments;                        // positional arguments it takes
  std::function<void(FlagSet&)> flags;  // extra flags, may be empty
  // Does the work; returns what to print (the JSON with --json is printed for it).
  std::function<absl::StatusOr<std::string>(const FlagSet&, const std::vector<std::string>&)> run;
};

// Runs args[0]'s subcommand: --help, usage errors (exit 2), failures (exit 1).
int RunSubcommand(const char* command, const char* help, std::span<const Subcommand> table,
                  const std::vector<std::string>& args);

}  // namespace ferry::cli
