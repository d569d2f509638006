#include "cli/auth/access_cli.h"

#include <cstdio>
#include <iostream>

#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/json_writer.h"

namespace ferry::cli {

absl::StatusOr<JsonValue> CallServer(const FlagSet& flags, const std::string& method,
                                     const std::string& path, const std::string& body,
                                     const std::string& workspace) {
  ASSIGN_OR_RETURN(net::HttpClient http, ServerClient(flags.Get("tracking-uri")));
  if (!workspace.empty()) http.set_origin_header("X-MLFLOW-WORKSPACE", workspace);
  http.set_unreachable_hint(
      "Start a server with `ferry server --auth`, or point --tracking-uri at one.");
  ASSIGN_OR_RETURN(net::ClientResponse response, http.Send(method, path, body));
  if (response.status != 200) return ServerError(response);
  return ParseJson(response.body);
}

absl::StatusOr<std::string> PasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return absl::InvalidArgumentError("no password on stdin (give it with --password-stdin)");
  }
  if (line.back() == '\r') line.pop_back();
  return line;
}

std::string JsonText(const std::string& s) {
  std::string out;
  JsonWriter(&out).String(s);
  return out;
}

std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ",";
    out += JsonText(fields[i].first) + ":" + fields[i].second;
  }
  return out + "}";
}

int RunSubcommand(const char* command, const char* help, std::span<const Subcommand> table,
                  const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(help, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  for (const Subcommand& sub : table) {
    if (args[0] != sub.name) continue;
    const std::string name = std::string(command) + " " + sub.name;
    FlagSet flags(name + " " + sub.usage, sub.about);
    flags.TrackingUri("tracking server");
    if (sub.flags) sub.flags(flags);
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (auto exit = flags.ParseCommand(name, rest, sub.arguments)) return *exit;
    absl::StatusOr<std::string> out = sub.run(flags, flags.positional());
    if (!out.ok()) return Fail(name, out.status());
    std::fputs(out->c_str(), stdout);
    return 0;
  }
  std::fprintf(stderr, "%s: unknown subcommand '%s'\n\n%s", command, args[0].c_str(), help);
  return 2;
}

}  // namespace ferry::cli
