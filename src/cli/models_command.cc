// `ferry models list|show|register|alias|stage`: the model registry from the command line,
// against a tracking server's MLflow registry API (--tracking-uri, FERRY_TRACKING_URI or
// MLFLOW_TRACKING_URI).

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/mlflow/model_registry_client.h"
#include "cli/mlflow/server_client.h"
#include "cli/package/servable_check.h"
#include "cli/register_links.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "package/layout/layout_archive.h"

namespace ferry::cli {
namespace {

constexpr char kModelsHelp[] =
    "Usage: ferry models <subcommand> [flags]\n"
    "\n"
    "Work with the model registry of a tracking server (MLflow-compatible).\n"
    "\n"
    "Subcommands:\n"
    "  list                              List registered models\n"
    "  show NAME                         Show a model, its aliases and its versions\n"
    "  register NAME --source URI        Register a new version (creating the model if needed)\n"
    "  alias NAME ALIAS VERSION          Point ALIAS at VERSION (--delete removes ALIAS)\n"
    "  stage NAME VERSION STAGE          Move a version to None|Staging|Production|Archived\n"
    "\n"
    "The server is --tracking-uri, else FERRY_TRACKING_URI, else MLFLOW_TRACKING_URI, else\n"
    "http://127.0.0.1:5000. Run `ferry models <subcommand> --help` for its flags.\n";

// Parses flags common to every subcommand; returns an exit code when the caller should stop.
std::optional<int> ParseFlags(FlagSet& flags, const std::vector<std::string>& args,
                              const char* sub) {
  flags.TrackingUri("tracking server");
  flags.Bool("json", "print the server's JSON instead of a table");
  return flags.ParseCommand(std::string("ferry models ") + sub, args);
}

absl::StatusOr<ModelRegistryClient> Connect(const FlagSet& flags) {
  ASSIGN_OR_RETURN(HttpClient http, ServerClient(flags.Get("tracking-uri")));
  http.set_unreachable_hint(
      "Start a server with `ferry server`, or point --tracking-uri / FERRY_TRACKING_URI at one.");
  return ModelRegistryClient(std::move(http));
}

int Fail(const char* sub, const absl::Status& s, const std::string& hint = "") {
  std::fprintf(stderr, "ferry models %s: %s%s\n", sub, std::string(s.message()).c_str(),
               hint.empty() ? "" : ("\n" + hint).c_str());
  return 1;
}

std::string Time(const JsonValue& obj, std::string_view field) {
  const JsonValue* v = obj.Find(field);
  if (v == nullptr || !v->is_integer()) return "";
  std::time_t secs = static_cast<std::time_t>(v->as_int() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  auto print = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      line += cells[i];
      if (i + 1 < cells.size()) line += std::string(width[i] - cells[i].size() + 2, ' ');
    }
    std::printf("%s\n", line.c_str());
  };
  print(header);
  for (const auto& row : rows) print(row);
}

std::string Aliases(const JsonValue& model) {
  std::string out;
  if (const JsonValue* list = model.Find("aliases"); list && list->is_array()) {
    for (const JsonValue& a : list->items()) {
      if (!out.empty()) out += ", ";
      out += a.is_string() ? a.as_string() : FieldText(a, "alias") + "=v" + FieldText(a, "version");
    }
  }
  return out;
}

std::string LatestVersion(const JsonValue& model) {
  int64_t latest = 0;
  if (const JsonValue* list = model.Find("latest_versions"); list && list->is_array()) {
    for (const JsonValue& v : list->items()) {
      latest = std::max(latest, ParseInt64(FieldText(v, "version")).value_or(0));
    }
  }
  return latest ? std::to_string(latest) : "-";
}

int List(const std::vector<std::string>& args) {
  FlagSet flags("ferry models list [flags]",
                "Lists registered models, by name. Filter with MLflow's grammar, e.g.\n"
                "--filter \"name LIKE 'fraud%'\" or --filter \"tags.team = 'risk'\".");
  flags.String("filter", "", "search filter");
  flags.String("max-results", "1000", "at most this many models");
  if (auto code = ParseFlags(flags, args, "list")) return *code;
  auto max = ParseInt64(flags.Get("max-results"));
  if (!max || *max < 1) return Fail("list", absl::InvalidArgumentError("--max-results: >= 1"));
  auto client = Connect(flags);
  if (!client.ok()) return Fail("list", client.status());
  std::vector<std::vector<std::string>> rows;
  std::vector<JsonValue> models;
  std::string token;
  do {
    auto page = client->SearchModels(flags.Get("filter"),
                                     std::min<int64_t>(*max - models.size(), 1000), token);
    if (!page.ok()) return Fail("list", page.status());
    if (const JsonValue* list = page->Find("registered_models"); list && list->is_array()) {
      for (const JsonValue& m : list->items()) models.push_back(m);
    }
    token = FieldText(*page, "next_page_token");
  } while (!token.empty() && static_cast<int64_t>(models.size()) < *max);
  if (flags.GetBool("json")) {
    JsonValue out = JsonValue::Array();
    out.mutable_items() = models;
    std::printf("%s\n", ToJsonString(out).c_str());
    return 0;
  }
  if (models.empty()) {
    std::printf(
        "No registered models. Register one with `ferry models register NAME --source URI`.\n");
    return 0;
  }
  for (const JsonValue& m : models) {
    rows.push_back({FieldText(m, "name"), LatestVersion(m), Aliases(m),
                    Time(m, "last_updated_timestamp"), FieldText(m, "description")});
  }
  PrintTable({"NAME", "LATEST", "ALIASES", "UPDATED (UTC)", "DESCRIPTION"}, rows);
  return 0;
}

int Show(const std::vector<std::string>& args) {
  FlagSet flags("ferry models show NAME [flags]",
                "Shows a registered model: description, tags, aliases and every version.");
  if (auto code = ParseFlags(flags, args, "show")) return *code;
  if (flags.positional().size() != 1) {
    std::fprintf(stderr, "ferry models show: give exactly one model NAME\n\n%s",
                 flags.Help().c_str());
    return 2;
  }
  const std::string& name = flags.positional()[0];
  auto client = Connect(flags);
  if (!client.ok()) return Fail("show", client.status());
  auto model = client->GetModel(name);
  if (!model.ok()) {
    return Fail("show", model.status(),
                absl::IsNotFound(model.status()) ? "List models with `ferry models list`." : "");
  }
  auto versions = client->ListVersions(name);
  if (!versions.ok()) return Fail("show", versions.status());
  if (flags.GetBool("json")) {
    JsonValue out = JsonValue::Object();
    out.mutable_members().emplace_back("registered_model", *model);
    JsonValue list = JsonValue::Array();
    list.mutable_items() = *versions;
    out.mutable_members().emplace_back("model_versions", std::move(list));
    std::printf("%s\n", ToJsonString(out).c_str());
    return 0;
  }
  std::printf("Model:       %s\n", name.c_str());
  if (!FieldText(*model, "description").empty()) {
    std::printf("Description: %s\n", FieldText(*model, "description").c_str());
  }
  std::printf("Created:     %s UTC\n", Time(*model, "creation_timestamp").c_str());
  std::printf("Updated:     %s UTC\n", Time(*model, "last_updated_timestamp").c_str());
  if (const JsonValue* tags = model->Find("tags"); tags && tags->is_array()) {
    for (const JsonValue& t : tags->items()) {
      std::printf("Tag:         %s=%s\n", FieldText(t, "key").c_str(),
                  FieldText(t, "value").c_str());
    }
  }
  std::printf("Aliases:     %s\n\n", Aliases(*model).empty() ? "-" : Aliases(*model).c_str());
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& v : *versions) {
    rows.push_back({FieldText(v, "version"), FieldText(v, "current_stage"), FieldText(v, "status"),
                    Aliases(v), Time(v, "creation_timestamp"), FieldText(v, "source")});
  }
  if (rows.empty()) {
    std::printf("No versions. Add one with `ferry models register %s --source URI`.\n",
                name.c_str());
    return 0;
  }
  PrintTable({"VERSION", "STAGE", "STATUS", "ALIASES", "CREATED (UTC)", "SOURCE"}, rows);
  return 0;
}

// Polls until the version leaves PENDING_REGISTRATION; 0 when READY, 1 otherwise.
int AwaitReady(ModelRegistryClient& client, const std::string& name, JsonValue version,
               int64_t timeout_s) {
  std::string number = FieldText(version, "version");
  auto start = std::chrono::steady_clock::now();
  auto last_note = start;
  bool noted = false;
  while (FieldText(version, "status") == "PENDING_REGISTRATION") {
    auto now = std::chrono::steady_clock::now();
    if (now - start > std::chrono::seconds(timeout_s)) {
      std::fprintf(stderr,
                   "ferry models register: version %s of '%s' is still PENDING_REGISTRATION "
                   "after %lld s; check it later with `ferry models show %s`\n",
                   number.c_str(), name.c_str(), static_cast<long long>(timeout_s), name.c_str());
      return 1;
    }
    if (!noted || now - last_note > std::chrono::seconds(5)) {
      std::fprintf(stderr, "Waiting for version %s of '%s' to be verified (%lld s)...\n",
                   number.c_str(), name.c_str(),
                   static_cast<long long>(
                       std::chrono::duration_cast<std::chrono::seconds>(now - start).count()));
      noted = true;
      last_note = now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto fresh = client.GetVersion(name, number);
    if (!fresh.ok()) return Fail("register", fresh.status());
    version = *std::move(fresh);
  }
  if (FieldText(version, "status") != "READY") {
    std::fprintf(stderr, "ferry models register: version %s of '%s' failed registration: %s\n",
                 number.c_str(), name.c_str(), FieldText(version, "status_message").c_str());
    return 1;
  }
  std::printf("Registered model '%s' version %s (READY)\n", name.c_str(), number.c_str());
  return 0;
}

// Sends a package (a layout directory is exported to a temporary tar first) and returns the
// server's "package" object (source: the URI it stored it under; digest).
absl::StatusOr<JsonValue> UploadPackage(ModelRegistryClient& client, const std::string& path) {
  std::string tar = path;
  bool temporary = !EndsWith(path, ".tar");
  if (temporary) {
    const char* tmp = std::getenv("TMPDIR");
    tar = JoinPath(tmp && *tmp ? tmp : "/tmp",
                   "ferry-package-" + NewUuidHex(SystemRandom()) + ".tar");
    RETURN_IF_ERROR(package::Export(path, tar));
  }
  std::fprintf(stderr, "Uploading package %s ...\n", path.c_str());
  auto uploaded = client.UploadPackage(tar);
  if (temporary) ::unlink(tar.c_str());
  RETURN_IF_ERROR(uploaded.status());
  std::fprintf(stderr, "Server verified and stored %s (%s %s)\n",
               FieldText(*uploaded, "digest").c_str(), FieldText(*uploaded, "name").c_str(),
               FieldText(*uploaded, "version").c_str());
  if (const JsonValue* checks = uploaded->Find("checks"); checks && checks->is_array()) {
    for (const JsonValue& c : checks->items())
      std::fprintf(stderr, "  ok  %s\n", c.as_string().c_str());
  }
  return *std::move(uploaded);
}

int Register(const std::vector<std::string>& args) {
  FlagSet flags("ferry models register NAME (--source URI | --package PATH) [flags]",
                "Registers a new version of model NAME from --source (creating the model if it\n"
                "does not exist yet) and waits until the server has verified it. Exits 1 if\n"
                "the version fails registration, printing the reason.");
  flags.String("source", "", "where the model's files are (e.g. runs:/RUN/model, s3://...)");
  flags.String("package", "",
               "a package (layout DIR or .tar) for the server to verify and store; "
               "replaces --source");
  flags.String("run-id", "",
               "the run that produced the model (default with --package: the run the "
               "package names, when this server holds it)");
  flags.String("description", "", "description of the new version");
  flags.String("timeout", "600", "seconds to wait for verification");
  flags.String("output", "",
               "write {\"model\", \"version\", \"source\"} of the new version as JSON here (for "
               "a pipeline's later steps: ferry promote --version-from)");
  if (auto code = ParseFlags(flags, args, "register")) return *code;
  auto timeout = ParseInt64(flags.Get("timeout"));
  if (flags.positional().size() != 1 ||
      flags.Get("source").empty() == flags.Get("package").empty() || !timeout) {
    std::fprintf(stderr,
                 "ferry models register: give one model NAME, and --source URI or --package "
                 "PATH%s\n\n%s",
                 timeout ? "" : " and a numeric --timeout", flags.Help().c_str());
    return 2;
  }
  const std::string& name = flags.positional()[0];
  // A model no backend can serve fails here, before anything is created or uploaded.
  absl::Status servable =
      flags.Get("package").empty()
          ? CheckSourceServable(name, flags.Get("source"), flags.Get("tracking-uri"))
          : CheckPackageServable(name, flags.Get("package"));
  if (!servable.ok()) return Fail("register", servable);
  auto client = Connect(flags);
  if (!client.ok()) return Fail("register", client.status());
  auto model = client->CreateModel(name, "");
  if (model.ok()) {
    std::fprintf(stderr, "Created registered model '%s'\n", name.c_str());
  } else if (!absl::IsAlreadyExists(model.status())) {  // as MLflow's register_model
    return Fail("register", model.status());
  }
  std::string source = flags.Get("source"), run_id = flags.Get("run-id"), digest;
  if (!flags.Get("package").empty()) {
    // The package names the run that trained it: the version links to that run.
    if (run_id.empty()) {
      auto named = PackageRunOnServer(flags.Get("package"), flags.Get("tracking-uri"));
      if (!named.ok()) return Fail("register", named.status());
      run_id = *named;
    }
    auto uploaded = UploadPackage(*client, flags.Get("package"));
    if (!uploaded.ok()) return Fail("register", uploaded.status());
    source = FieldText(*uploaded, "source");
    digest = FieldText(*uploaded, "digest");
  }
  auto version = client->CreateVersion(name, source, run_id, flags.Get("description"));
  if (!version.ok()) return Fail("register", version.status());
  for (const KeyValue& tag : RegistrationTags(digest)) {
    absl::Status tagged =
        client->SetVersionTag(name, FieldText(*version, "version"), tag.key, tag.value);
    if (!tagged.ok()) return Fail("register", tagged);
  }
  int code = AwaitReady(*client, name, *version, *timeout);
  if (code == 0 && !flags.Get("output").empty()) {
    std::string json;
    JsonWriter w(&json);
    w.BeginObject().Field("model", name).Field("version", FieldText(*version, "version"));
    w.Field("source", source).EndObject();
    absl::Status written = WriteFileAtomic(flags.Get("output"), json + "\n");
    if (!written.ok()) return Fail("register", written);
  }
  if (code == 0 && flags.GetBool("json")) {
    auto final_version = client->GetVersion(name, FieldText(*version, "version"));
    if (final_version.ok()) std::printf("%s\n", ToJsonString(*final_version).c_str());
  }
  return code;
}

int Alias(const std::vector<std::string>& args) {
  FlagSet flags("ferry models alias NAME ALIAS VERSION | ferry models alias NAME ALIAS --delete",
                "Points ALIAS of model NAME at VERSION (moving it if it exists), or removes it.\n"
                "Clients then load the model as models:/NAME@ALIAS.");
  flags.Bool("delete", "remove the alias");
  if (auto code = ParseFlags(flags, args, "alias")) return *code;
  const auto& pos = flags.positional();
  bool remove = flags.GetBool("delete");
  if (pos.size() != (remove ? 2u : 3u)) {
    std::fprintf(stderr, "ferry models alias: expected NAME ALIAS %s\n\n%s",
                 remove ? "--delete" : "VERSION", flags.Help().c_str());
    return 2;
  }
  auto client = Connect(flags);
  if (!client.ok()) return Fail("alias", client.status());
  if (remove) {
    if (absl::Status s = client->DeleteAlias(pos[0], pos[1]); !s.ok()) return Fail("alias", s);
    std::printf("Removed alias '%s' of '%s'\n", pos[1].c_str(), pos[0].c_str());
    return 0;
  }
  if (absl::Status s = client->SetAlias(pos[0], pos[1], pos[2]); !s.ok()) {
    return Fail("alias", s);
  }
  std::printf("models:/%s@%s -> version %s\n", pos[0].c_str(), pos[1].c_str(), pos[2].c_str());
  return 0;
}

int Stage(const std::vector<std::string>& args) {
  FlagSet flags("ferry models stage NAME VERSION STAGE [flags]",
                "Moves a version to STAGE (None, Staging, Production or Archived; any case).\n"
                "Stages are deprecated in MLflow in favour of aliases, but still served.");
  flags.Bool("archive-existing", "archive the versions now in STAGE (Staging/Production only)");
  if (auto code = ParseFlags(flags, args, "stage")) return *code;
  const auto& pos = flags.positional();
  if (pos.size() != 3) {
    std::fprintf(stderr, "ferry models stage: expected NAME VERSION STAGE\n\n%s",
                 flags.Help().c_str());
    return 2;
  }
  auto client = Connect(flags);
  if (!client.ok()) return Fail("stage", client.status());
  auto v = client->TransitionStage(pos[0], pos[1], pos[2], flags.GetBool("archive-existing"));
  if (!v.ok()) return Fail("stage", v.status());
  if (flags.GetBool("json")) {
    std::printf("%s\n", ToJsonString(*v).c_str());
  } else {
    std::printf("'%s' version %s is now in stage %s\n", pos[0].c_str(), pos[1].c_str(),
                FieldText(*v, "current_stage").c_str());
  }
  return 0;
}

}  // namespace

int ModelsCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kModelsHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  const std::string& sub = args[0];
  if (sub == "list") return List(rest);
  if (sub == "show") return Show(rest);
  if (sub == "register") return Register(rest);
  if (sub == "alias") return Alias(rest);
  if (sub == "stage") return Stage(rest);
  std::fprintf(stderr, "ferry models: unknown subcommand '%s'\n\n%s", sub.c_str(), kModelsHelp);
  return 2;
}

}  // namespace ferry::cli
