#include "cli/lineage/lineage_command.h"

#include <cstdio>
#include <cstdlib>

#include "cli/flags.h"
#include "cli/lineage/lineage_text.h"
#include "cli/mlflow/server_client.h"
#include "cli/mlflow/tracking_client.h"
#include "common/fs.h"
#include "common/strings.h"
#include "net/http_client.h"
#include "pipeline/tree_digest.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry lineage";

std::string DefaultServer() {
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  }
  return "http://127.0.0.1:5000";
}

// The API path asked for by the positional arguments; a usage error's message otherwise.
absl::StatusOr<std::string> Target(const std::vector<std::string>& pos) {
  const std::string what = pos.empty() ? "" : pos[0];
  if (what == "model" && pos.size() == 3) {
    return "model-versions/" + UrlEncode(pos[1]) + "/" + UrlEncode(pos[2]);
  }
  if (what == "run" && pos.size() == 2) return "runs/" + UrlEncode(pos[1]);
  if (what == "dataset" && pos.size() == 2) {
    std::string digest = pos[1];
    if (PathExists(digest)) {  // a file or directory: its digest, as a pipeline step's input
      ASSIGN_OR_RETURN(digest, pipeline::PathDigest(pos[1]));
      std::fprintf(stderr, "%s: %s\n", pos[1].c_str(), digest.c_str());
    }
    return "datasets/" + UrlEncode(digest);
  }
  return absl::InvalidArgumentError(
      "expected `model NAME VERSION`, `dataset DIGEST_OR_PATH` or `run RUN_ID`");
}

}  // namespace

int LineageCommand(const std::vector<std::string>& args) {
  FlagSet flags(
      "ferry lineage (model NAME VERSION | dataset DIGEST_OR_PATH | run RUN_ID) [flags]",
      "Shows lineage from a Ferry server: what produced a model version (its training run,\n"
      "the pipeline run and steps around it, the data they consumed by digest, the package\n"
      "digest), what consumed a dataset (runs, steps, pipeline runs and the model versions\n"
      "produced from them), or the graph around a run. A dataset given as a PATH (file or\n"
      "directory) is digested here the way pipeline steps digest their inputs (sha256).");
  flags.String("server", DefaultServer(),
               "the Ferry server (or FERRY_TRACKING_URI / MLFLOW_TRACKING_URI)");
  flags.String("format", "text", "text (an indented tree) or json (the server's graph)");
  flags.String("max-nodes", "200", "at most this many nodes (1..1000)");
  if (auto exit = flags.ParseCommand(kCommand, args)) return *exit;
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json, got '" + format + "'");
  }
  auto target = Target(flags.positional());
  if (!target.ok()) {
    if (absl::IsInvalidArgument(target.status())) {
      return flags.UsageError(kCommand, std::string(target.status().message()));
    }
    return Fail(kCommand, target.status());
  }
  auto http = ServerClient(flags.Get("server"));
  if (!http.ok()) return Fail(kCommand, http.status());
  http->set_unreachable_hint("Start a server with `ferry server`, or point --server at one.");
  auto resp = http->Send(
      "GET", "/api/ferry/v1/lineage/" + *target + "?max_nodes=" + UrlEncode(flags.Get("max-nodes")),
      "");
  if (!resp.ok()) return Fail(kCommand, resp.status());
  if (resp->status != 200) return Fail(kCommand, ServerError(*resp));
  if (format == "json") {
    std::printf("%s\n", resp->body.c_str());
    return 0;
  }
  auto graph = ParseJson(resp->body);
  if (!graph.ok()) return Fail(kCommand, graph.status());
  auto text = LineageText(*graph);
  if (!text.ok()) return Fail(kCommand, text.status());
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}

}  // namespace ferry::cli
