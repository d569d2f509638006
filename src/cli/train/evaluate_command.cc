// `ferry evaluate PACKAGE [-o metrics.json]`: the evaluation a package carries (the metrics
// `ferry train` measured on its held-out split, recorded in the package config) as one JSON
// document, the form a pipeline's evaluate step hands to its gate.

#include <cstdio>

#include "cli/cli.h"
#include "cli/flags.h"
#include "common/fs.h"
#include "common/json_writer.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry evaluate";

std::string MetricsJson(const package::PackageContents& p) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Field("package", p.manifest_descriptor.digest)
      .Field("model", p.config.descriptor.name)
      .Field("version", p.config.descriptor.version)
      .Field("source", "package");
  w.Key("metrics").BeginObject();
  for (const auto& [k, v] : p.config.ferry.metrics) w.FieldDouble(k, v);
  w.EndObject().EndObject();
  return out + "\n";
}

}  // namespace

int EvaluateCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry evaluate PACKAGE [-o metrics.json] [flags]",
                "Writes the evaluation a package carries: the metrics `ferry train` measured on\n"
                "its held-out split, with the package digest, model name and version, as JSON\n"
                "({\"package\", \"model\", \"version\", \"source\", \"metrics\": {name: value}}).\n"
                "Checks every layer's digest first. Exit 1 when the package records no metrics.");
  flags.String("output", "", "write the JSON here (default: stdout)");
  flags.Alias("o", "output");
  flags.String("ref", "", "tag or manifest digest (default: the only package in the layout)");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  package::LayoutSource src;
  if (absl::Status s = src.Open(flags.positional()[0]); !s.ok()) return Fail(kCommand, s);
  auto p = package::VerifyContents(src.layout(), flags.Get("ref"));
  if (!p.ok()) return Fail(kCommand, p.status());
  if (p->config.ferry.metrics.empty()) {
    return Fail(kCommand, absl::FailedPreconditionError(
                              "the package records no metrics (train it with `ferry train`)"));
  }
  const std::string json = MetricsJson(*p);
  if (flags.Get("output").empty()) {
    std::fputs(json.c_str(), stdout);
    return kExitOk;
  }
  if (absl::Status s = WriteFileAtomic(flags.Get("output"), json); !s.ok()) {
    return Fail(kCommand, s);
  }
  return kExitOk;
}

}  // namespace ferry::cli
