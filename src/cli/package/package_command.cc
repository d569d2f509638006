#include "cli/package/package_command.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/flags.h"
#include "cli/package/package_trust_command.h"
#include "common/file_hash.h"
#include "common/fs.h"
#include "loader/mlflow_model.h"
#include "package/build/contents.h"
#include "package/layout/layout_archive.h"
#include "package/layout/layout_source.h"

namespace ferry::cli {

namespace {

constexpr char kPackageHelp[] =
    "Usage: ferry package <subcommand> [flags]\n"
    "\n"
    "Model packages are OCI image layouts (a directory, or one .tar of it) holding a CNCF\n"
    "ModelPack manifest: one layer per model file plus a config describing how to serve\n"
    "and retrain the model. The manifest digest is the package's identity.\n"
    "\n"
    "Subcommands:\n"
    "  build      Build a package from a directory or runs:/RUN_ID/PATH\n"
    "  inspect    Show a package's manifest, config and backend (DIR or TAR)\n"
    "  sign       Sign a package (.sig) and attach its SLSA provenance (.att)\n"
    "  verify     Check digests, then signature and provenance against a trust policy\n"
    "  push       Push a package with its signature and provenance to an OCI registry\n"
    "  pull       Pull a package with its signature and provenance from an OCI registry\n"
    "  export     Write a layout directory as one reproducible tar\n"
    "  import     Extract a tar into a layout directory, checking everything first\n"
    "  unpack     Write a package's files back out (DIR or TAR)\n"
    "\n"
    "Run `ferry package <subcommand> --help` for its flags.\n";

using package::LayoutSource;

int Fail(const std::string& sub, const absl::Status& s) {
  std::fprintf(stderr, "ferry package %s: %s\n", sub.c_str(), std::string(s.message()).c_str());
  return 1;
}

// Parses flags; returns -1 to go on, or the exit code (help, usage error).
int ParseOrExit(FlagSet& flags, const std::string& sub, const std::vector<std::string>& args,
                size_t positional) {
  auto exit = flags.ParseCommand("ferry package " + sub, args, static_cast<int>(positional));
  return exit ? *exit : -1;
}

int64_t TotalSize(const package::Manifest& m) {
  int64_t total = m.config.size;
  for (const auto& l : m.layers) total += l.size;
  return total;
}

// "age float64[-1], sex float64[-1]": each tensor's name, type and shape (columns when named).
std::string TensorList(const std::vector<package::TensorSpec>& specs) {
  std::string out;
  for (const package::TensorSpec& t : specs) {
    if (!out.empty()) out += ", ";
    out += t.name + " " + t.type + "[";
    for (size_t i = 0; i < t.shape.size(); ++i) out += (i ? "," : "") + std::to_string(t.shape[i]);
    out += "]";
    if (!t.columns.empty()) out += " (" + std::to_string(t.columns.size()) + " columns)";
  }
  return out;
}

void PrintText(const package::PackageContents& p, const loader::PackageBackendInfo& backend) {
  const auto& c = p.config;
  std::printf("package    %s:%s\n", c.descriptor.name.c_str(), c.descriptor.version.c_str());
  std::printf("digest     %s\n", p.manifest_descriptor.digest.c_str());
  std::printf("created    %s\n", c.descriptor.created_at.c_str());
  std::printf("format     %s\n", c.config.format.c_str());
  if (c.ferry.predictor) {
    std::printf("predictor  %s %s %s %s\n", c.ferry.predictor->kind.c_str(),
                c.ferry.predictor->family.c_str(), c.ferry.predictor->flavor.c_str(),
                c.ferry.predictor->entry.c_str());
  }
  std::printf("backend    %s: %s\n", backend.backend.c_str(), backend.reason.c_str());
  if (!c.ferry.inputs.empty()) std::printf("inputs     %s\n", TensorList(c.ferry.inputs).c_str());
  if (!c.ferry.outputs.empty()) {
    std::printf("outputs    %s\n", TensorList(c.ferry.outputs).c_str());
  }
  std::string pins;
  for (const package::Dependency& d : c.ferry.dependencies) {
    pins += (pins.empty() ? "" : ", ") + d.name + "==" + d.version;
  }
  if (!pins.empty()) std::printf("requires   %s\n", pins.c_str());
  if (!c.ferry.source_run_id.empty()) std::printf("run        %s\n", c.ferry.source_run_id.c_str());
  if (!c.ferry.code_commit.empty()) std::printf("commit     %s\n", c.ferry.code_commit.c_str());
  for (const auto& [k, v] : c.ferry.metrics) std::printf("metric     %s=%g\n", k.c_str(), v);
  if (c.ferry.reference_profile) {
    std::printf("profile    %s (reference data profile)\n", c.ferry.reference_profile->c_str());
  }
  std::printf("layers     %zu (%lld bytes with the config)\n", p.manifest.layers.size(),
              static_cast<long long>(TotalSize(p.manifest)));
  for (const auto& l : p.manifest.layers) {
    std::printf("  %s %12lld  %-45s %s\n", l.digest.substr(0, 19).c_str(),
                static_cast<long long>(l.size), l.media_type.c_str(),
                l.Annotation(package::kAnnotationFilepath).c_str());
  }
}

int Inspect(const std::vector<std::string>& args, bool verify_always) {
  const std::string sub = verify_always ? "verify" : "inspect";
  FlagSet flags("ferry package " + sub + " (DIR | FILE.tar) [flags]",
                verify_always ? "Checks the package's manifest, config and every layer (size and "
                                "SHA-256).\nPrints the manifest digest on success."
                              : "Shows the package's manifest and config.");
  flags.String("ref", "", "tag or manifest digest (default: the only package in the layout)");
  if (!verify_always) {
    flags.Bool("json", "print {digest, tag, manifest, config} as JSON");
    flags.Bool("verify", "also check every layer's size and digest");
  }
  if (int code = ParseOrExit(flags, sub, args, 1); code >= 0) return code;
  LayoutSource src;
  if (absl::Status s = src.Open(flags.positional()[0]); !s.ok()) return Fail(sub, s);
  bool verify = verify_always || flags.GetBool("verify");
  auto p = verify ? package::VerifyContents(src.layout(), flags.Get("ref"))
                  : package::ReadPackage(src.layout(), flags.Get("ref"));
  if (!p.ok()) return Fail(sub, p.status());
  if (verify_always) {
    std::printf("%s\n", p->manifest_descriptor.digest.c_str());
    std::fprintf(stderr, "ferry package verify: OK (%zu layers, %lld bytes)\n",
                 p->manifest.layers.size(), static_cast<long long>(TotalSize(p->manifest)));
    return 0;
  }
  if (flags.GetBool("json")) {
    std::printf("{\"digest\":\"%s\",\"tag\":\"%s\",\"manifest\":%s,\"config\":%s}\n",
                p->manifest_descriptor.digest.c_str(),
                p->manifest_descriptor.Annotation(package::kAnnotationRefName).c_str(),
                p->manifest.raw.c_str(), package::SerializeConfig(p->config).c_str());
  } else {
    auto backend = loader::PackageBackend(src.layout(), *p);
    if (!backend.ok()) return Fail(sub, backend.status());
    PrintText(*p, *backend);
  }
  return 0;
}

int ExportCmd(const std::vector<std::string>& args) {
  FlagSet flags("ferry package export DIR -o FILE.tar",
                "Writes the layout DIR as one reproducible tar (every blob reachable from\n"
                "index.json, lexicographic order, mtime 0, uid/gid 0).");
  flags.String("output", "", "the tar file to write");
  flags.Alias("o", "output");
  if (int code = ParseOrExit(flags, "export", args, 1); code >= 0) return code;
  if (flags.Get("output").empty())
    return Fail("export", absl::InvalidArgumentError("-o is required"));
  absl::Status s = package::Export(flags.positional()[0], flags.Get("output"));
  return s.ok() ? 0 : Fail("export", s);
}

int ImportCmd(const std::vector<std::string>& args) {
  FlagSet flags("ferry package import FILE.tar -o DIR",
                "Extracts a package tar into the new layout directory DIR. The archive is\n"
                "checked first (entry names and types, blob digests and sizes, no missing or\n"
                "extra blobs); on any error nothing is written. Prints each package's digest.");
  flags.String("output", "", "the layout directory to create");
  flags.Alias("o", "output");
  if (int code = ParseOrExit(flags, "import", args, 1); code >= 0) return code;
  const std::string out = flags.Get("output");
  if (out.empty()) return Fail("import", absl::InvalidArgumentError("-o is required"));
  if (absl::Status s = package::Import(flags.positional()[0], out); !s.ok()) {
    return Fail("import", s);
  }
  auto layout = package::OciLayout::Open(out);
  if (!layout.ok()) return Fail("import", layout.status());
  auto index = (*layout)->ReadIndex();
  if (!index.ok()) return Fail("import", index.status());
  for (const auto& d : index->manifests) {
    std::printf("%s %s\n", d.digest.c_str(), d.Annotation(package::kAnnotationRefName).c_str());
  }
  return 0;
}

int UnpackCmd(const std::vector<std::string>& args) {
  FlagSet flags("ferry package unpack (DIR | FILE.tar) -o OUT [flags]",
                "Writes the package's files to OUT under their recorded paths, checking each\n"
                "file's digest as it is copied. OUT must not exist or be empty.");
  flags.String("output", "", "directory to create");
  flags.Alias("o", "output");
  flags.String("ref", "", "tag or manifest digest (default: the only package in the layout)");
  if (int code = ParseOrExit(flags, "unpack", args, 1); code >= 0) return code;
  if (flags.Get("output").empty())
    return Fail("unpack", absl::InvalidArgumentError("-o is required"));
  LayoutSource src;
  if (absl::Status s = src.Open(flags.positional()[0]); !s.ok()) return Fail("unpack", s);
  auto p = package::Unpack(src.layout(), flags.Get("ref"), flags.Get("output"));
  if (!p.ok()) return Fail("unpack", p.status());
  std::printf("%s\n", p->manifest_descriptor.digest.c_str());
  return 0;
}

}  // namespace

int PackageCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kPackageHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string sub = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (IsPackageTrustSubcommand(sub)) return PackageTrustCommand(sub, rest);
  if (sub == "build") return PackageBuildCommand(rest);
  if (sub == "inspect") return Inspect(rest, false);
  if (sub == "verify") return Inspect(rest, true);
  if (sub == "export") return ExportCmd(rest);
  if (sub == "import") return ImportCmd(rest);
  if (sub == "unpack") return UnpackCmd(rest);
  std::fprintf(stderr, "ferry package: unknown subcommand '%s'\n\n%s", sub.c_str(), kPackageHelp);
  return 2;
}

}  // namespace ferry::cli
