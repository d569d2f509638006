// `ferry package build (DIR | runs:/RUN_ID/PATH) --name NAME [--version V] [-o OUT_DIR]`.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "cli/flags.h"
#include "cli/mlflow/run_artifacts.h"
#include "cli/mlflow/server_client.h"
#include "cli/monitor/profile_commands.h"
#include "cli/package/package_command.h"
#include "cli/progress.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "common/strings.h"
#include "loader/mlflow_model.h"
#include "monitoring/profile/profile_codec.h"
#include "package/build/builder.h"

namespace ferry::cli {

namespace {

constexpr int64_t kProgressThreshold = int64_t{64} << 20;

int Fail(const absl::Status& s) {
  std::fprintf(stderr, "ferry package build: %s\n", std::string(s.message()).c_str());
  return 1;
}

// Downloads the run's artifacts into a temp dir and fills lineage fields of `o`.
absl::Status FetchRun(const std::string& source, const std::string& tracking_uri,
                      package::BuildOptions& o, std::optional<TempDir>& temp) {
  ASSIGN_OR_RETURN(RunsUri uri, ParseRunsUri(source));
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(tracking_uri));
  http.set_unreachable_hint("Start a server with `ferry server` or set MLFLOW_TRACKING_URI.");
  TrackingClient client(http);
  ASSIGN_OR_RETURN(RunDetails run, client.GetRun(uri.run_id));
  ASSIGN_OR_RETURN(temp, TempDir::Create("ferry-package-run"));
  const std::string& temp_dir = temp->path();
  std::fprintf(stderr, "ferry package build: downloading artifacts of run %s under '%s'\n",
               run.run_id.c_str(), uri.path.c_str());
  RETURN_IF_ERROR(DownloadRunArtifacts(client, run, uri, temp_dir));
  o.model_dir = temp_dir;
  o.source_run_id = run.run_id;
  o.metrics = run.metrics;
  o.params = run.params;
  if (auto it = run.tags.find("mlflow.source.git.commit"); it != run.tags.end()) {
    o.code_commit = it->second;
  }
  return absl::OkStatus();
}

// Profiles DATA into o.reference_profile (ferry monitor profile's defaults).
absl::Status ProfileReference(const std::string& data, package::BuildOptions& o) {
  auto profile = ProfileDataFile(data);
  if (!profile.ok()) {
    return absl::Status(profile.status().code(),
                        "--reference-data: " + std::string(StatusMessage(profile.status())));
  }
  o.reference_profile = monitoring::EncodeProfile(*profile);
  std::fprintf(stderr, "ferry package build: reference profile of %s: %llu rows x %zu columns\n",
               data.c_str(), static_cast<unsigned long long>(profile->rows()),
               profile->columns().size());
  return absl::OkStatus();
}

int RunBuild(const FlagSet& flags) {
  const std::string source = flags.positional()[0];
  package::BuildOptions o;
  o.name = flags.Get("name");
  o.version = flags.Get("version");
  o.out_dir = flags.Get("output");
  o.created_at = flags.Get("created");
  o.progress = ProgressPrinter(StderrStyle(kProgressThreshold));
  o.describe = loader::DescribeMlflowModel;  // an MLflow model: flavor, signature, backend
  std::optional<TempDir> temp;               // a run's downloaded artifacts, removed on return
  if (StartsWith(source, "runs:/")) {
    absl::Status s = FetchRun(source, flags.Get("tracking-uri"), o, temp);
    if (!s.ok()) return Fail(s);
  } else {
    o.model_dir = source;
  }
  if (flags.IsSet("reference-data")) {
    if (absl::Status s = ProfileReference(flags.Get("reference-data"), o); !s.ok()) return Fail(s);
  }
  if (o.out_dir.empty()) o.out_dir = (o.name.empty() ? std::string("package") : o.name) + ".oci";
  auto r = package::Build(o);
  temp.reset();
  if (!r.ok()) return Fail(r.status());
  for (const std::string& w : r->warnings) {
    std::fprintf(stderr, "ferry package build: warning: %s\n", w.c_str());
  }
  if (const auto& p = r->config.ferry.predictor; p && !p->backend.empty()) {
    std::fprintf(stderr, "ferry package build: backend %s: %s\n", p->backend.c_str(),
                 p->reason.c_str());
  }
  std::fprintf(stderr, "ferry package build: %s:%s in %s (%zu layers)\n",
               r->config.descriptor.name.c_str(), r->tag.c_str(), o.out_dir.c_str(),
               r->manifest_value.layers.size());
  std::printf("%s\n", r->manifest.digest.c_str());
  return 0;
}

}  // namespace

int PackageBuildCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry package build (DIR | runs:/RUN_ID/PATH) --name NAME [flags]",
                "Builds a model package (an OCI image layout with a CNCF ModelPack manifest)\n"
                "from a directory, or from a tracking run's artifacts under PATH. One layer per\n"
                "file; the config records the predictor, trainer, schema and dependencies from\n"
                "ferry-package.json / MLmodel / requirements.txt, and for runs:/ the run id,\n"
                "params, metrics and git commit. Prints the manifest digest (the package's\n"
                "identity) on stdout.");
  flags.String("name", "", "package name (descriptor.name)");
  flags.String("version", "", "version, also the tag in index.json (default: latest)");
  flags.String("output", "", "output layout directory (default: NAME.oci)");
  flags.Alias("o", "output");
  flags.String("created", "",
               "creation time, RFC 3339 (default: now; fix it for reproducible builds)");
  flags.String(
      "reference-data", "",
      "CSV, TSV or JSON-lines data, profiled into ferry.referenceProfile (drift baseline)");
  flags.TrackingUri("tracking server for runs:/ sources");
  if (auto exit = flags.ParseCommand("ferry package build", args)) return *exit;
  if (flags.positional().size() != 1) {
    return flags.UsageError("ferry package build", "expected one DIR or runs:/ URI");
  }
  return RunBuild(flags);
}

}  // namespace ferry::cli
