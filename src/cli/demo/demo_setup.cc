// `ferry demo`, first half: the project, the data, the server and the first versions.

#include <cstdio>
#include <thread>

#include "cli/demo/demo_monitor.h"
#include "cli/demo/demo_run.h"
#include "cli/init/templates.h"
#include "common/fs.h"
#include "common/process.h"

namespace ferry::cli::demo {
namespace {

constexpr char kMarker[] = ".ferry-demo";

absl::Status WriteFiles(const std::string& dir, const init::ProjectTemplate& t) {
  for (const auto& f : t.files) {
    const std::string path = JoinPath(dir, f.path);
    RETURN_IF_ERROR(MakeDirs(path.substr(0, path.rfind('/'))));
    RETURN_IF_ERROR(WriteFileAtomic(path, f.content));
  }
  return absl::OkStatus();
}

// "Registered model 'bc' version 3 (READY)" in a log: "3".
std::string RegisteredVersion(const std::string& log) {
  auto text = ReadFile(log);
  if (!text.ok()) return "";
  const std::string key = "Registered model '" + std::string(kTabularModel) + "' version ";
  const size_t at = text->rfind(key);
  if (at == std::string::npos) return "";
  const size_t end = text->find(' ', at + key.size());
  return text->substr(at + key.size(), end - at - key.size());
}

}  // namespace

absl::Status Ferry(DemoContext& c, const std::string& name, const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(int rc, RunFerry(args, c.Log(name)));
  if (g_interrupted.load()) return absl::CancelledError("interrupted");
  if (rc != 0) {
    return absl::InternalError("`ferry " + args[0] + " " + (args.size() > 1 ? args[1] : "") +
                               "` exited " + std::to_string(rc) + " (" + c.Log(name) + "):\n" +
                               LogTail(c.Log(name)));
  }
  return absl::OkStatus();
}

absl::Status PrepareDir(DemoContext& c) {
  if (PortInUse(c.options.host, c.options.port)) {
    return absl::FailedPreconditionError(
        "port " + std::to_string(c.options.port) + " on " + c.options.host +
        " is in use (an earlier `ferry demo` or `ferry server` still running?): stop it, or "
        "give --port N");
  }
  if (PathExists(c.dir)) {
    ASSIGN_OR_RETURN(std::vector<std::string> entries, ListDir(c.dir));
    if (!entries.empty()) {
      if (!PathExists(c.Path(kMarker))) {
        return absl::FailedPreconditionError(
            c.dir +
            " exists and is not an earlier demo's directory: give --dir with a new or "
            "empty directory (nothing in it was changed)");
      }
      c.progress.Say("setup", "removing the earlier demo in " + c.dir);
      RETURN_IF_ERROR(RemoveTree(c.dir));
    }
  }
  RETURN_IF_ERROR(MakeDirs(c.Path("logs")));
  return WriteFileAtomic(c.Path(kMarker),
                         "made by `ferry demo`; a new run replaces this directory\n");
}

absl::Status WriteProject(DemoContext& c) {
  init::DemoSettings s;
  s.pipeline = "demo";
  s.model = kModel;
  s.tracking_uri = c.url;
  RETURN_IF_ERROR(WriteFiles(c.dir, init::DemoTemplate(s)));
  RETURN_IF_ERROR(MakeDirs(c.Path("tabular")));
  RETURN_IF_ERROR(
      WriteFileAtomic(c.Path("tabular/breast_cancer.csv"), std::string(init::TabularCsv())));
  RETURN_IF_ERROR(MakeDirs(c.Path("keys")));
  RETURN_IF_ERROR(MakeDirs(c.Path("data")));
  RETURN_IF_ERROR(Ferry(c, "keys", {"keys", "generate", "-o", c.Path("keys/demo")}));
  RETURN_IF_ERROR(Ferry(c, "sessions-before",
                        {"data", "sessions", "-o", c.Path("data/sessions.csv"), "--events",
                         std::to_string(kEventsBefore), "--items", std::to_string(kItems), "--seed",
                         std::to_string(c.options.seed)}));
  c.progress.Say("setup", "project in " + c.dir + ": pipeline.yaml, " +
                              std::to_string(kEventsBefore) + " generated session events over " +
                              std::to_string(kItems) + " items, signing key keys/demo.key");
  return absl::OkStatus();
}

absl::Status StartServer(DemoContext& c) {
  const std::string data = c.Path("server");
  RETURN_IF_ERROR(MakeDirs(data));
  const std::vector<std::string> args = {
      "server",
      "--host",
      c.options.host,
      "--port",
      std::to_string(c.options.port),
      "--backend-store-uri",
      "sqlite:///" + data + "/ferry.db",  // absolute: four slashes
      "--artifacts-destination",
      data + "/artifacts",
      "--quiet",
      "--deploy",
      std::string("models:/") + kModel + "@champion",
      "--deploy",
      std::string("models:/") + kTabularModel + "@champion",
      "--canary-percent",
      "20",
      "--monitor",
      "on",
      "--monitor-window-rows",
      std::to_string(kWindowRows),
      "--monitor-alert-after",
      "2",
      "--webhook-allow-hosts",
      c.options.host};
  ASSIGN_OR_RETURN(c.server_pid, SpawnFerry(args, c.Log("server")));
  for (int i = 0; i < 600 && !g_interrupted.load(); ++i) {
    if (auto rc = TryReapProcess(c.server_pid)) {
      c.server_pid = -1;
      return absl::UnavailableError("`ferry server` exited " + std::to_string(*rc) +
                                    " while starting:\n" + LogTail(c.Log("server")));
    }
    if (Answers(c.url, "/health")) {
      c.progress.Say("server", "listening on " + c.url + " (data in " + data + ")");
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return absl::DeadlineExceededError("`ferry server` did not answer /health within 30 s:\n" +
                                     LogTail(c.Log("server")));
}

void StopServer(DemoContext& c) {
  if (c.server_pid <= 0) return;
  StopChild(c.server_pid);
  c.server_pid = -1;
}

bool ServerExited(DemoContext& c) {
  if (c.server_pid <= 0) return true;
  if (!TryReapProcess(c.server_pid)) return false;
  c.server_pid = -1;
  return true;
}

absl::Status FirstVersions(DemoContext& c) {
  RETURN_IF_ERROR(Ferry(
      c, "train-tabular",
      {"train", "logistic", "--data", c.Path("tabular/breast_cancer.csv"), "--target", "target",
       "--register", kTabularModel, "--tracking-uri", c.url, "-o", c.Path("tabular/bc.oci")}));
  c.summary.tabular_model = kTabularModel;
  c.summary.tabular_version = RegisteredVersion(c.Log("train-tabular"));
  RETURN_IF_ERROR(Ferry(c, "alias-tabular",
                        {"models", "alias", kTabularModel, "champion", c.summary.tabular_version,
                         "--tracking-uri", c.url}));
  c.progress.Say("train", std::string("tabular model ") + kTabularModel + " version " +
                              c.summary.tabular_version + " (logistic, 569 rows) @champion");
  c.progress.Say("pipeline",
                 "run 1: validate -> train -> evaluate -> sign -> gate -> register "
                 "-> promote (recommender on the first catalogue)");
  RETURN_IF_ERROR(Ferry(c, "pipeline-1", {"pipeline", "run", "-f", c.Path("pipeline.yaml")}));
  for (int i = 0; i < 600 && !g_interrupted.load(); ++i) {
    auto rec = ServingVersion(c.url, kModel);
    auto tab = ServingVersion(c.url, kTabularModel);
    if (rec.ok() && !rec->empty() && tab.ok() && !tab->empty()) {
      c.summary.first_version = *rec;
      c.progress.Say("serve", std::string(kModel) + " version " + *rec + " and " + kTabularModel +
                                  " version " + *tab + " serve on " + c.url +
                                  "/v2/models/NAME/infer");
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return absl::DeadlineExceededError("the deployments did not serve within 60 s:\n" +
                                     LogTail(c.Log("server")));
}

}  // namespace ferry::cli::demo
