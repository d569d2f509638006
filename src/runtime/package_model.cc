#include "runtime/package_model.h"

#include <cerrno>
#include <cstdlib>

#include "common/fs.h"
#include "package/file_io.h"
#include "package/layout_source.h"

namespace ferry::runtime {
namespace {

absl::StatusOr<std::vector<TensorSpec>> FromPackage(const std::vector<package::TensorSpec>& specs,
                                                    std::string_view side) {
  std::vector<TensorSpec> out;
  for (const package::TensorSpec& p : specs) {
    std::optional<DataType> type = ParsePackageDataType(p.type);
    if (!type) {
      return absl::InvalidArgumentError("ferry.schema." + std::string(side) + " \"" + p.name +
                                        "\": type \"" + p.type + "\" cannot be served");
    }
    out.push_back({p.name, *type, p.shape, p.columns, p.allow_nan});
  }
  return out;
}

std::vector<package::TensorSpec> ToPackage(const std::vector<TensorSpec>& specs) {
  std::vector<package::TensorSpec> out;
  for (const TensorSpec& s : specs) {
    out.push_back(
        {s.name, std::string(DataTypePackageName(s.datatype)), s.shape, s.columns, s.allow_nan});
  }
  return out;
}

// A fresh private directory under $TMPDIR (or /tmp), removed on destruction.
class TempDir {
 public:
  ~TempDir() {
    if (!path_.empty()) (void)package::RemoveTree(path_);
  }
  absl::Status Create() {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/ferry-model-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) return ErrnoStatus(errno, "mkdtemp", tmpl);
    path_ = tmpl;
    return absl::OkStatus();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

absl::StatusOr<ModelSchema> SchemaFromPackage(const package::FerryFields& fields) {
  ModelSchema schema;
  ASSIGN_OR_RETURN(schema.inputs, FromPackage(fields.inputs, "inputs"));
  ASSIGN_OR_RETURN(schema.outputs, FromPackage(fields.outputs, "outputs"));
  return schema;
}

void SchemaToPackage(const ModelSchema& schema, package::FerryFields& fields) {
  fields.inputs = ToPackage(schema.inputs);
  fields.outputs = ToPackage(schema.outputs);
}

absl::StatusOr<LoadedPackage> LoadPackage(const FamilyRegistry& families, const std::string& path,
                                          const std::string& ref) {
  package::LayoutSource source;
  RETURN_IF_ERROR(source.Open(path));
  TempDir dir;
  RETURN_IF_ERROR(dir.Create());
  const std::string files_dir = dir.path() + "/files";
  LoadedPackage loaded;
  ASSIGN_OR_RETURN(loaded.contents, package::Unpack(source.layout(), ref, files_dir));
  const auto& predictor = loaded.contents.config.ferry.predictor;
  if (!predictor || predictor->kind != "builtin") {
    return absl::FailedPreconditionError(
        "package " + loaded.contents.config.descriptor.name +
        " has no builtin predictor (ferry.predictor.kind \"builtin\" with a family); Ferry "
        "serves the families " +
        families.Names());
  }
  const Family* family = families.Find(predictor->family);
  if (family == nullptr) {
    return absl::FailedPreconditionError("package names predictor family \"" + predictor->family +
                                         "\"; this ferry knows " + families.Names());
  }
  ModelFiles files{files_dir, {}};
  ASSIGN_OR_RETURN(files.schema, SchemaFromPackage(loaded.contents.config.ferry));
  ASSIGN_OR_RETURN(loaded.predictor, family->Load(files));
  loaded.family = predictor->family;
  return loaded;
}

}  // namespace ferry::runtime
