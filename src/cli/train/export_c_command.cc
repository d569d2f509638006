// `ferry export-c PACKAGE -o DIR`: a linear or tree model as dependency-free C99 source and
// header, for microcontrollers and anything else without Ferry (seed 002's IoT channel).

#include <cstdio>

#include "cli/cli.h"
#include "cli/flags.h"
#include "common/fs.h"
#include "loader/package_loader.h"
#include "package/build/contents.h"
#include "package/layout/layout_source.h"
#include "runtime/c_export.h"

namespace ferry::cli {
namespace {

absl::Status Export(const std::string& path, const std::string& out_dir,
                    const std::string& prefix) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  ASSIGN_OR_RETURN(TempDir dir, TempDir::Create("ferry-export"));
  const std::string files_dir = dir.path() + "/files";
  ASSIGN_OR_RETURN(package::PackageContents contents,
                   package::Unpack(source.layout(), "", files_dir));
  const auto& predictor = contents.config.ferry.predictor;
  if (!predictor || predictor->kind != "builtin") {
    return absl::FailedPreconditionError("the package has no builtin predictor family");
  }
  runtime::ModelFiles files{files_dir, {}};
  ASSIGN_OR_RETURN(files.schema, loader::SchemaFromPackage(contents.config.ferry));
  return runtime::ExportC(runtime::ProcessFamilies(), files, predictor->family, out_dir, prefix);
}

}  // namespace

int ExportCCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry export-c PACKAGE -o DIR [--prefix NAME]",
                "Writes the model in PACKAGE (layout DIR or .tar; linear, logistic or xgboost)\n"
                "as dependency-free C99: DIR/NAME.h and DIR/NAME.c with\n"
                "  int NAME_predict(const double* features, size_t n_features, double* out);\n"
                "Compile it with any C99 compiler (only <math.h> and <stddef.h> are used).");
  flags.String("output", "", "directory to write NAME.h and NAME.c into");
  flags.Alias("o", "output");
  flags.String("prefix", "model", "C identifier prefixing every symbol");
  if (auto exit = flags.ParseCommand("ferry export-c", args)) return *exit;
  if (flags.positional().size() != 1 || flags.Get("output").empty()) {
    return flags.UsageError("ferry export-c", "give one PACKAGE and -o DIR");
  }
  const std::string& out = flags.Get("output");
  if (absl::Status s = Export(flags.positional()[0], out, flags.Get("prefix")); !s.ok()) {
    std::fprintf(stderr, "ferry export-c: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("Wrote %s/%s.h and %s/%s.c\n", out.c_str(), flags.Get("prefix").c_str(), out.c_str(),
              flags.Get("prefix").c_str());
  return 0;
}

}  // namespace ferry::cli
